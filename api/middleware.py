"""
Session, authentication and message middleware that leave the API's requests alone: every
API request authenticates with its bearer token (api.authentication), and none reads or
writes a session, a session user or a message. Everything else gets them as Django ships them.
"""

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions

API_PREFIX = "/api/"  # authsite/urls.py includes api.urls here


class SkipForTheAPI:
    """Changes one thing: requests under API_PREFIX go straight on, untouched by this middleware."""

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)  # under ASGI, a coroutine the caller awaits
        return super().__call__(request)


class SessionMiddleware(SkipForTheAPI, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(SkipForTheAPI, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(SkipForTheAPI, messages.MessageMiddleware):
    pass
