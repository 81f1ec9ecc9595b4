"""Issuing this server's tokens to a user who signed in some way other than an OAuth grant."""

from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import Request


def issue_tokens_for(user, application, scopes=None):
    """
    An access token and a refresh token for `user` at `application`, made, stored and shaped
    by the same oauthlib token handler and DOT validator as a password grant's: the result is
    the RFC 6749 section 5.1 response body, and refresh, revocation and introspection treat
    the tokens like any others. `scopes` defaults to the client's default scopes.
    """
    server = get_oauthlib_core().server
    validator = server.request_validator
    request = Request("")
    request.user = user
    request.client = application
    request.client_id = application.client_id
    request.scopes = scopes or validator.get_default_scopes(application.client_id, request)
    token = server.default_token_type.create_token(request, refresh_token=True)
    validator.save_token(token, request)
    return dict(token)


def scopes_allowed(application, scopes):
    """Whether `application` may hold every one of `scopes`: the DOT validator's check, as its grants make it."""
    validator = get_oauthlib_core().server.request_validator
    return validator.validate_scopes(application.client_id, scopes, application, Request(""))
