"""
Session, authentication and message middleware that leave the API's requests and the OAuth
endpoints clients call with credentials alone: every API request authenticates with its bearer
token (api.authentication), every token, revocation and introspection request with client
credentials in its body or Authorization header, and none of them reads or writes a session, a
session user or a message. Everything else gets them as Django ships them, /oauth/authorize
(whose login needs the session) and the social sign-in views included.
"""

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions

API_PREFIX = "/api/"  # authsite/urls.py includes api.urls here
# oauth/urls.py's token, revocation and introspection endpoints, under authsite/urls.py's /oauth/.
CREDENTIAL_ENDPOINTS = frozenset({"/oauth/token", "/oauth/revoke", "/oauth/introspect"})


class SkipForTheAPI:
    """Changes one thing: those requests go straight on, untouched by this middleware."""

    def __call__(self, request):
        path = request.path_info
        if path.startswith(API_PREFIX) or path in CREDENTIAL_ENDPOINTS:
            return self.get_response(request)  # under ASGI, a coroutine the caller awaits
        return super().__call__(request)


class SessionMiddleware(SkipForTheAPI, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(SkipForTheAPI, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(SkipForTheAPI, messages.MessageMiddleware):
    pass
