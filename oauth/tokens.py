"""Issuing this server's tokens to a user who signed in some way other than an OAuth grant."""

from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import Request


def issue_tokens_for(user, application, scopes=None, *, http_request=None, method=""):
    """
    An access token and a refresh token for `user` at `application`, made, stored and shaped
    by the same oauthlib token handler and DOT validator as a password grant's: the result is
    the RFC 6749 section 5.1 response body, and refresh, revocation and introspection treat
    the tokens like any others. `scopes` defaults to the client's default scopes.

    `method` names how the user signed in (a provider's name, such as `google-oauth2`) and
    `http_request` is the request that signed them in: the validator announces the tokens
    with both (oauth.signals.tokens_issued), as it does a grant's.
    """
    core = get_oauthlib_core()
    server = core.server
    validator = server.request_validator
    request = Request("", headers=core.extract_headers(http_request) if http_request is not None else None)
    request.grant_type = method  # no OAuth grant: DOT's token saving reads it only to spot a few grants
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
