import hashlib

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from rest_framework import exceptions

AccessToken = get_access_token_model()


class TokenInQueryString(exceptions.APIException):
    status_code = 400
    default_detail = "Access tokens are not accepted in the query string; send an Authorization: Bearer header."
    default_code = "invalid_request"


def _fail(request, error, description, exception=exceptions.AuthenticationFailed):
    request.oauth2_error = {"error": error, "error_description": description}
    raise exception(description)


class BearerTokenAuthentication(OAuth2Authentication):
    """
    Changes how a bearer token is checked, because every API request pays for it: one
    indexed query (token and user together) instead of building an oauthlib request,
    and the header alone (DOT's path parses the request body first). The token checks
    are DOT's own (`AccessToken.is_valid`, `allows_audience`); inactive users are refused.
    The challenge header is DOT's, with RFC 6750's `error` and `error_description`.
    """

    def authenticate(self, request):
        if "access_token" in request.query_params:  # RFC 6750 §2.3, RFC 9700 §4.3.2
            _fail(request, "invalid_request", TokenInQueryString.default_detail, TokenInQueryString)
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":  # auth schemes are case-insensitive (RFC 9110 §11.1)
            return None
        token = token.strip()
        if not token or any(c.isspace() for c in token):
            _fail(request, "invalid_token", "The Authorization header must be 'Bearer <token>'.")
        try:
            access_token = AccessToken.objects.select_related("user").get(
                token_checksum=hashlib.sha256(token.encode()).hexdigest()
            )
        except AccessToken.DoesNotExist:
            _fail(request, "invalid_token", "The access token is invalid or has been revoked.")
        if access_token.is_expired():
            _fail(request, "invalid_token", "The access token has expired.")
        if access_token.resource and not access_token.allows_audience(request.build_absolute_uri(request.path)):
            _fail(request, "invalid_token", "The access token is not valid for this resource.")
        user = access_token.user
        if user is not None and not user.is_active:
            _fail(request, "invalid_token", "The account is disabled.")
        return user, access_token
