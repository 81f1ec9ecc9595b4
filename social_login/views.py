import logging
import re

from django.http import JsonResponse
from django.views import View
from django.views.decorators.http import require_safe
from oauth2_provider.models import AbstractApplication
from oauthlib.oauth2.rfc6749.utils import scope_to_list
from social_core.exceptions import SocialAuthBaseException

from oauth.clients import authenticate_client
from oauth.tokens import issue_tokens_for, scopes_allowed
from oauth.views import FormEncodedEndpointMixin, oauth_error

from . import signals
from .signin import ProviderNotEnabled, enabled_providers, provider_backend, user_for_code

logger = logging.getLogger(__name__)

REQUIRED_PARAMETERS = ("code", "redirect_uri", "code_verifier")
# RFC 7636 section 4.1: 43 to 128 unreserved characters.
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


@require_safe
def providers(request):
    """GET /oauth/social: the enabled sign-in providers, so the app offers only those."""
    return JsonResponse({"providers": enabled_providers(request)}, headers={"Cache-Control": "no-cache"})


class SocialTokenView(FormEncodedEndpointMixin, View):
    """
    POST /oauth/social/<backend>: a provider's authorization code (with its redirect URI and
    PKCE verifier) in, this server's token response out, exactly as /oauth/token answers a
    password grant. Open to first-party clients only, the ones trusted with passwords.
    """

    def post(self, request, backend):
        try:
            provider = provider_backend(backend, request, request.POST.get("redirect_uri"))
        except ProviderNotEnabled as error:
            return oauth_error("invalid_request", str(error), 404)
        client = authenticate_client(request)
        if client is None:
            return oauth_error(
                "invalid_client",
                "Unknown client, or its credentials are wrong.",
                401,
                WWW_Authenticate='Basic realm="oauth"',
            )
        if client.authorization_grant_type != AbstractApplication.GRANT_PASSWORD:
            return oauth_error("unauthorized_client", "This client may not sign users in with another provider.")

        params = {name: request.POST.get(name, "") for name in REQUIRED_PARAMETERS}
        if missing := [name for name, value in params.items() if not value]:
            return oauth_error("invalid_request", f"Missing parameter: {', '.join(missing)}.")
        code, redirect_uri, code_verifier = params.values()
        if not CODE_VERIFIER.fullmatch(code_verifier):
            return oauth_error("invalid_request", "code_verifier must be 43 to 128 characters (RFC 7636).")
        # The provider sends its codes only to URIs registered for it; checking ours too keeps a
        # code from being redeemed for a page the client never registered (no open redirect).
        if not client.redirect_uri_allowed(redirect_uri):
            return oauth_error("invalid_request", "redirect_uri is not registered for this client.")
        scopes = scope_to_list(request.POST.get("scope")) or None
        if scopes and not scopes_allowed(client, scopes):
            return oauth_error("invalid_scope", "The requested scope is invalid or not allowed for this client.")

        failed = {"sender": type(self), "request": request, "provider": provider.name, "client": client}
        try:
            user = user_for_code(provider, code=code, code_verifier=code_verifier)
        except SocialAuthBaseException as error:
            signals.sign_in_failed.send(**failed, user=None, reason=getattr(error, "code", None) or "provider_error")
            return provider_failure(provider, error)
        if user is None or not user.is_active:
            signals.sign_in_failed.send(**failed, user=user, reason="inactive_account" if user else "no_account")
            return oauth_error("invalid_grant", "This account cannot sign in.")

        token = issue_tokens_for(user, client, scopes, http_request=request, method=provider.name)
        return JsonResponse(token, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def provider_failure(backend, error):
    """The RFC 6749 answer to a failed exchange with the provider (social-core's classified error)."""
    title = backend.get_title(backend.strategy)
    log = logger.error if error.source == "configuration" else logger.warning
    log("Sign-in with %s failed: %s (provider code %s).", backend.name, error.code, error.provider_code)
    if error.recovery == "retry_later":
        headers = {"Retry_After": error.retry_after} if error.retry_after else {}
        return oauth_error(
            "temporarily_unavailable", f"{title} is not responding right now; try again later.", 503, **headers
        )
    if error.claim == "email_verified":
        description = f"{title} has not verified this account's email address, so it cannot be used to sign in here."
    elif error.code == "profile_email_missing":
        description = f"{title} did not share an email address, which this server needs to sign you in."
    elif error.code in ("email_in_use", "username_in_use"):
        # The address is a deactivated account's (the pipeline links active accounts only).
        description = "This email address belongs to an account that cannot sign in."
    else:
        description = f"{title} sign-in failed: {error}"
    return oauth_error("invalid_grant", description)
