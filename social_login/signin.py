"""
Signing in with another identity provider, through the OAuth 2 backends of social-auth:
which providers are enabled, what the browser app needs to send a user to one, and the local
user behind the authorization code it brings back.
"""

import time

from django.conf import settings
from django.utils.module_loading import import_string
from social_core.backends.oauth import BaseOAuth2
from social_core.exceptions import SocialAuthBaseException
from social_django.utils import load_strategy

from . import signals


class ProviderNotEnabled(LookupError):
    """No enabled provider goes by the name asked for; the message says why, for the client."""


def _oauth2_backend_classes():
    for path in settings.AUTHENTICATION_BACKENDS:
        backend_class = import_string(path)
        if issubclass(backend_class, BaseOAuth2):
            yield backend_class


def _is_configured(backend):
    return all(backend.get_key_and_secret())


def provider_backend(name, request, redirect_uri=None):
    """
    The backend of the enabled provider `name` (for example `google-oauth2`), set up for a
    sign-in that returned to `redirect_uri`. Raises ProviderNotEnabled when the provider is
    unknown, or known but without a key and secret.
    """
    for backend_class in _oauth2_backend_classes():
        if backend_class.name == name:
            backend = backend_class(load_strategy(request), redirect_uri)
            if not _is_configured(backend):
                raise ProviderNotEnabled(
                    f"Sign-in with {backend.get_title(backend.strategy)} is not configured on this server."
                )
            return backend
    raise ProviderNotEnabled(f"This server has no sign-in provider called {name!r}.")


def enabled_providers(request):
    """
    For each enabled provider, what a browser app needs to build its authorization request
    (RFC 6749 section 4.1.1): the app adds its own redirect URI, state and PKCE challenge.
    """
    strategy = load_strategy(request)
    providers = []
    for backend_class in _oauth2_backend_classes():
        backend = backend_class(strategy)
        if _is_configured(backend):
            providers.append(
                {
                    "name": backend.name,
                    "title": backend.get_title(strategy),
                    "authorization_endpoint": backend.authorization_url(),
                    "client_id": backend.get_key_and_secret()[0],
                    "scope": backend.get_scope_argument().get("scope", ""),
                }
            )
    return providers


def user_for_code(backend, *, code, code_verifier):
    """
    The local user behind an authorization code that a browser app got from the provider of
    `backend`: the code and the PKCE verifier are exchanged at the provider's token endpoint,
    the profile is read, and the social-auth pipeline finds, links or creates the account.
    Raises social-core's exceptions (SocialAuthBaseException) when any of that fails.

    This is BaseOAuth2.auth_complete() without its server-side session: the browser app began
    the flow, so it holds the state (and has checked it) and the PKCE verifier.
    """
    started = time.perf_counter()
    exchanged = {"sender": type(backend), "provider": backend.name}
    try:
        user = _redeem(backend, code, code_verifier)
    except SocialAuthBaseException as failure:
        error = getattr(failure, "code", None) or "provider_error"
        signals.provider_exchanged.send(**exchanged, seconds=time.perf_counter() - started, error=error)
        raise
    signals.provider_exchanged.send(**exchanged, seconds=time.perf_counter() - started, error=None)
    return user


def _redeem(backend, code, code_verifier):
    # BaseOAuth2's parameters, not a PKCE subclass's: those read the verifier from the session.
    params = BaseOAuth2.auth_complete_params(backend) | {"code": code, "code_verifier": code_verifier}
    method, encoding = backend.ACCESS_TOKEN_METHOD, backend.ACCESS_TOKEN_PAYLOAD
    payload = {"params": params} if method == "GET" else {"json": params} if encoding == "json" else {"data": params}
    response = backend.request_access_token(
        backend.access_token_url(),
        headers=backend.auth_headers(),
        auth=backend.auth_complete_credentials(),
        method=method,
        **payload,
    )
    return backend.do_auth(backend.get_access_token(response), response=response)
