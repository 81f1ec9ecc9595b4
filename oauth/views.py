import json

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as dot_views
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from .clients import oauthlib_request_for
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


class TokenView(FormEncodedEndpointMixin, dot_views.TokenView):
    """
    Changes how unsupported grant types are answered: DOT hands the device-code grant to
    its own flow before oauthlib sees it (a 500 without `device_code`); this server has
    no device flow, so every grant it does not offer is `unsupported_grant_type`.
    """

    def post(self, request, *args, **kwargs):
        grant_type = request.POST.get("grant_type")
        if grant_type and grant_type not in oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED:
            return oauth_error("unsupported_grant_type", f"This server does not offer the {grant_type!r} grant.")
        return super().post(request, *args, **kwargs)


class RevokeTokenView(FormEncodedEndpointMixin, dot_views.RevokeTokenView):
    pass


class IntrospectTokenView(FormEncodedEndpointMixin, dot_views.IntrospectTokenView):
    """
    Changes who may introspect with client credentials: DOT admits any confidential
    client; RFC 7662 introspection is for resource servers, so only they pass here.
    A bearer token with the `introspection` scope (only resource servers can get one)
    still works as in DOT.
    """

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
    Changes one field of DOT's OpenID Provider metadata: ID tokens are signed with RS256 only.
    DOT also lists HS256, which signs with the client secret, and this server stores secrets hashed.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        metadata = json.loads(response.content)
        metadata["id_token_signing_alg_values_supported"] = [Application.RS256_ALGORITHM]
        response.content = json.dumps(metadata)
        return response


class RPInitiatedLogoutView(dot_views.RPInitiatedLogoutView):
    """
    Changes which tokens a logout ends: those of apps that sign users in through this server's
    pages (authorization code), not the Ember app's password-grant sessions, which have their own
    sign-out.
    """

    token_deletion_grant_types = [Application.GRANT_AUTHORIZATION_CODE]
