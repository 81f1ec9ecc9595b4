import json

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as dot_views
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from throttling.devices import remember_device

from . import signals
from .clients import oauthlib_request_for
from .introspection import introspect_for_resource_server
from .refresh import refresh_for_public_client
from .scopes import is_resource_server

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def oauth_error(error, description, status=400, **headers):
    """An RFC 6749 §5.2 error document, never cached."""
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


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
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(self, request, *args, **kwargs):
        return oauth_error("invalid_request", f"{request.method} is not allowed here; use POST.", 405, Allow="POST")


class AuthorizationView(dot_views.AuthorizationView):
    """DOT's consent page, which also tells listeners (consent_decided) what the user answered."""

    def form_valid(self, form):
        response = super().form_valid(form)
        signals.consent_decided.send(
            sender=type(self),
            request=self.request,
            user_id=self.request.user.pk,
            client=get_application_model().objects.filter(client_id=form.cleaned_data["client_id"]).first(),
            allowed=bool(form.cleaned_data.get("allow")),
            scopes=form.cleaned_data.get("scope", "").split(),
        )
        return response


class TokenView(FormEncodedEndpointMixin, dot_views.TokenView):
    """
    Changes how unsupported grant types are answered: DOT hands the device-code grant to
    its own flow before oauthlib sees it (a 500 without `device_code`); this server has
    no device flow, so every grant it does not offer is `unsupported_grant_type`.
    A successful password grant also sets the device cookie (throttling.devices), and a
    public client's refresh grant with a live token is answered by oauth/refresh.py's lean
    path, which gives DOT's answer with fewer statements.
    """

    def post(self, request, *args, **kwargs):
        grant_type = request.POST.get("grant_type")
        if grant_type and grant_type not in oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED:
            return oauth_error("unsupported_grant_type", f"This server does not offer the {grant_type!r} grant.")
        if grant_type == "refresh_token" and (response := refresh_for_public_client(request, self)) is not None:
            return response  # the lean path (oauth/refresh.py); DOT's answers everything else
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
