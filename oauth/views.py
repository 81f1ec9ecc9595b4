import json

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as dot_views
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import add_params_to_uri

from throttling.backends import refuse_before_checking
from throttling.devices import remember_device

from . import signals
from .clients import oauthlib_request_for
from .introspection import introspect_for_resource_server
from .refresh import refresh_for_public_client
from .scopes import is_resource_server

Application = get_application_model()

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def oauth_error(error, description, status=400, **headers):
    """An RFC 6749 §5.2 error document, never cached."""
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def with_client_challenge(response):
    """
    Changes oauthlib's `invalid_client` answer, which challenges with `Bearer`, a scheme no client
    authenticates with here: RFC 6749 §5.2 asks for the scheme the client used (Basic), plus a description.
    """
    if response.status_code != 401 or response.get("WWW-Authenticate", "").startswith("Basic"):
        return response
    if json.loads(response.content or b"{}").get("error") != "invalid_client":
        return response
    return oauth_error(
        "invalid_client",
        "Client authentication failed: unknown client, wrong secret, or missing credentials.",
        401,
        WWW_Authenticate='Basic realm="oauth"',
    )


@method_decorator(csrf_exempt, name="dispatch")
class FormEncodedEndpointMixin:
    """
    Changes how DOT's POST-only endpoints answer requests they cannot read: a JSON body
    gets `invalid_request` that says why (DOT would read no grant type and answer a
    misleading `unsupported_grant_type`), and a wrong method gets an RFC 6749 document.
    Clients authenticate with their credentials, not cookies, so there is no CSRF check.
    """

    http_method_names = ["post", "options"]

    def dispatch(self, request, *args, **kwargs):
        # Checked before DOT's own dispatch, which authenticates first on some endpoints.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        if request.method == "POST" and request.content_type != FORM_CONTENT_TYPE:
            return oauth_error(
                "invalid_request",
                f"The request body must be {FORM_CONTENT_TYPE} (RFC 6749), not {request.content_type or 'empty'}.",
            )
        if request.method == "POST" and request.META.get("QUERY_STRING"):
            # oauthlib refuses them too, but DOT would send its answer as text/html.
            return oauth_error("invalid_request", "Parameters belong in the request body, not the URL.")
        return with_client_challenge(super().dispatch(request, *args, **kwargs))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return oauth_error("invalid_request", f"{request.method} is not allowed here; use POST.", 405, Allow="POST")


class TokenView(FormEncodedEndpointMixin, dot_views.TokenView):
    """
    Changes how missing and unsupported grant types are answered: DOT hands the device-code grant to
    its own flow before oauthlib sees it (a 500 without `device_code`); this server has
    no device flow, so every grant it does not offer is `unsupported_grant_type`.
    A password grant that throttling refuses is answered before DOT reads it (the same 429), a
    successful one also sets the device cookie (throttling.devices), and a
    public client's refresh grant with a live token is answered by oauth/refresh.py's lean
    path, which gives DOT's answer with fewer statements.
    """

    def post(self, request, *args, **kwargs):
        grant_type = request.POST.get("grant_type")
        if not grant_type:  # oauthlib says unsupported_grant_type; RFC 6749 §5.2 says invalid_request
            return oauth_error("invalid_request", "The grant_type parameter is missing.")
        if grant_type not in oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED:
            return oauth_error("unsupported_grant_type", f"This server does not offer the {grant_type!r} grant.")
        if grant_type == "refresh_token" and (response := refresh_for_public_client(request, self)) is not None:
            return response  # the lean path (oauth/refresh.py); DOT's answers everything else
        username = request.POST.get("username") if grant_type == "password" else None
        if username and (refusal := refuse_before_checking(request, username)):
            # The validator's TooManyAttempts answer, without building oauthlib's request first.
            return oauth_error("invalid_grant", refusal.message, 429, Retry_After=str(refusal.retry_after))
        response = super().post(request, *args, **kwargs)
        if grant_type == "password" and response.status_code == 200:
            remember_device(request, request.POST["username"])
        return response


class RevokeTokenView(FormEncodedEndpointMixin, dot_views.RevokeTokenView):
    pass


@method_decorator(csrf_exempt, name="dispatch")  # as the mixin's: as_view() reads the outermost dispatch
class IntrospectTokenView(FormEncodedEndpointMixin, dot_views.IntrospectTokenView):
    """
    Changes who may introspect with client credentials: DOT admits any confidential
    client; RFC 7662 introspection is for resource servers, so only they pass here.
    A bearer token with the `introspection` scope (only resource servers can get one)
    still works as in DOT.
    """

    def dispatch(self, request, *args, **kwargs):
        """
        Changes how the common case is served, not what it answers: a resource server's
        Basic-authenticated request is answered from one query (oauth/introspection.py)
        instead of DOT's oauthlib request, application lookup and token query. Every other
        request, and every error, goes through DOT as before.
        """
        return introspect_for_resource_server(request) or super().dispatch(request, *args, **kwargs)

    def authenticate_client(self, request):
        oauthlib_request, validator = oauthlib_request_for(request)
        return validator.authenticate_client(oauthlib_request) and is_resource_server(oauthlib_request.client)

    def unauthenticated_response(self, request, oauthlib_request=None):
        return oauth_error(
            "invalid_client",
            "Only a resource server's client credentials (or a token with the introspection scope) may introspect.",
            401,
            WWW_Authenticate='Basic realm="oauth"',
        )


class ServerMetadataView(dot_views.OAuthServerMetadataView):
    """Changes one field of DOT's RFC 8414 document: public clients ("none") cannot introspect."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        metadata = json.loads(response.content)
        metadata["introspection_endpoint_auth_methods_supported"] = ["client_secret_basic", "client_secret_post"]
        response.content = json.dumps(metadata)
        return response


class ConnectDiscoveryInfoView(dot_views.ConnectDiscoveryInfoView):
    """
    Changes DOT's OpenID Provider metadata to say what this server does: ID tokens are signed
    with RS256 only (DOT also lists HS256, which signs with the client secret, stored hashed here).
    It also names three fields DOT leaves out, whose defaults in OpenID Connect Discovery §3
    would be wrong here: no implicit grant, no fragment responses, no `request_uri`.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        metadata = json.loads(response.content)
        metadata["id_token_signing_alg_values_supported"] = [Application.RS256_ALGORITHM]
        metadata["grant_types_supported"] = oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED
        metadata["response_modes_supported"] = ["query"]
        metadata["request_uri_parameter_supported"] = False
        response.content = json.dumps(metadata)
        return response


class RPInitiatedLogoutView(dot_views.RPInitiatedLogoutView):
    """
    Changes which tokens a logout ends: those of apps that sign users in through this server's
    pages (authorization code), not the Ember app's password-grant sessions, which have their own
    sign-out.
    """

    token_deletion_grant_types = [Application.GRANT_AUTHORIZATION_CODE]


def asks_for_a_fresh_sign_in(request):
    """
    Whether an OpenID Connect authorization request wants a sign-in newer than the user's last
    one: `prompt=login`, or more than `max_age` seconds since it (OpenID Connect Core §3.1.2.1).
    """
    if "login" in request.GET.get("prompt", "").split():
        return True
    max_age = request.GET.get("max_age", "")
    if not max_age.isdigit():
        return False
    last_login = request.user.last_login
    return last_login is None or (timezone.now() - last_login).total_seconds() > int(max_age)


def without_the_fresh_sign_in_request(request):
    """The authorization URL once the user has signed in afresh: no `prompt=login`, no `max_age`."""
    query = request.GET.copy()
    prompt = [value for value in query.pop("prompt", [""])[0].split() if value != "login"]
    if prompt:
        query["prompt"] = " ".join(prompt)
    query.pop("max_age", None)
    return f"{request.path}?{query.urlencode()}"


def add_issuer(uri, request):
    """An authorization response's URI with the RFC 9207 `iss` parameter, when the server sends it."""
    if not oauth2_settings.COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS:
        return uri
    return add_params_to_uri(uri, [("iss", oauth2_settings.oauth2_authorization_server_issuer(request))])


class AuthorizationView(dot_views.AuthorizationView):
    """
    Changes the error answers sent back to the app: every one carries the RFC 9207 `iss`, which
    DOT adds to successful answers only (strict clients such as oauth4webapi refuse the others).
    Changes three OpenID Connect answers of DOT's:
    - a signed-in user asked to sign in again (`prompt=login`, or `max_age` passed): DOT sends them
      to the login page, which waves a signed-in user straight back, so they never sign in again
      and `auth_time` stays old. Here their session ends first;
    - `prompt=none` for an app the user has not allowed yet: DOT shows the consent page, which
      `prompt=none` forbids. Here the app gets `consent_required`;
    - `prompt=none` without a session: `login_required` gets the RFC 9207 `iss` like every other
      authorization response.
    It also tells listeners (consent_decided) what the user answered on the consent page.
    """

    def error_response(self, error, application, **kwargs):
        """Adds RFC 9207 `iss` to error redirects: DOT adds it to successful responses only."""
        response = super().error_response(error, application, **kwargs)
        if isinstance(response, OAuth2ResponseRedirect):
            response["Location"] = add_issuer(response["Location"], self.request)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        signals.consent_decided.send(
            sender=type(self),
            request=self.request,
            user_id=self.request.user.pk,
            client=Application.objects.filter(client_id=form.cleaned_data["client_id"]).first(),
            allowed=bool(form.cleaned_data.get("allow")),
            scopes=form.cleaned_data.get("scope", "").split(),
        )
        return response

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and asks_for_a_fresh_sign_in(request):
            try:
                self.validate_authorization_request(request)
            except OAuthToolkitError as error:
                return self.error_response(error, application=None)
            if "none" in request.GET.get("prompt", "").split():
                return self.error_for_prompt_none(request, "login_required")  # may not show the login page
            logout(request)
            return redirect_to_login(without_the_fresh_sign_in_request(request), resolve_url(self.get_login_url()))
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200 and "none" in request.GET.get("prompt", "").split():
            return self.error_for_prompt_none(request, "consent_required")
        return response

    def error_for_prompt_none(self, request, error):
        """OpenID Connect's answer to a `prompt=none` it cannot grant silently, sent back to the app."""
        _, credentials = self.validate_authorization_request(request)
        application = Application.objects.get(client_id=credentials["client_id"])
        parameters = [("error", error)]
        if credentials.get("state"):
            parameters.append(("state", credentials["state"]))
        return self.redirect(
            add_issuer(add_params_to_uri(credentials["redirect_uri"], parameters), request), application
        )

    def handle_no_permission(self):
        """The answers to a request without a session, the `login_required` redirect with `iss`."""
        response = super().handle_no_permission()
        if isinstance(response, OAuth2ResponseRedirect):
            response["Location"] = add_issuer(response["Location"], self.request)
        return response


def bearer_challenge(error=None, description=None, status=401, **parameters):
    """An RFC 6750 §3 answer: the challenge, with an error code only when a token was sent."""
    challenge = 'Bearer realm="oauth"'
    body = {}
    if error:
        parameters = {"error": error, "error_description": description, **parameters}
        body = {"error": error, "error_description": description}
    challenge += "".join(f', {name}="{value}"' for name, value in parameters.items())
    response = JsonResponse(body, status=status)
    response["WWW-Authenticate"] = challenge
    response["Cache-Control"] = "no-store"
    return response


class UserInfoView(dot_views.UserInfoView):
    """
    Changes UserInfo's error answers to RFC 6750's letter: oauthlib sends them as text/html, names
    an error even when no token was sent, and answers a good token without `openid` as an invalid
    one. Here: no token is a bare 401 challenge, a bad token 401 `invalid_token`, and a token
    without `openid` 403 `insufficient_scope`. Extends DOT's private `_create_userinfo_response`
    (django-oauth-toolkit 3.4.1, pinned).
    """

    def _create_userinfo_response(self, request):
        response = super()._create_userinfo_response(request)
        if response.status_code == 200:
            return response
        _, oauthlib_request = self.get_oauthlib_core().verify_request(request, scopes=["openid"])
        # DOT names the error only when a token was sent.
        error = getattr(oauthlib_request, "oauth2_error", {}).get("error")
        if error == "insufficient_scope":
            return bearer_challenge(error, "The access token was not issued for OpenID Connect.", 403, scope="openid")
        if error:
            return bearer_challenge("invalid_token", "The access token is invalid, expired or revoked.")
        return bearer_challenge()
