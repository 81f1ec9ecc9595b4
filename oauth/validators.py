import base64
import binascii
from urllib.parse import unquote_plus

from axes.handlers.proxy import AxesProxyHandler
from django.http import parse_cookie
from oauth2_provider import oauth2_validators
from oauth2_provider.models import AbstractApplication
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from throttling.backends import refusal_of


def public_client_id_from_basic(validator, request):
    """
    The client id from `Authorization: Basic base64("<client_id>:")`, the form older
    ember-simple-auth and other SPA libraries use to name a public client, or None when
    the header is absent, malformed or carries a secret.
    """
    encoded = validator._extract_basic_auth(request)
    if not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, secret = decoded.partition(":")
    if not separator or secret:
        return None
    return unquote_plus(client_id) or None


class TooManyAttempts(InvalidGrantError):
    """
    A password-grant attempt refused by throttling: `invalid_grant` (the RFC 6749 §5.2 code for
    resource owner credentials that are not accepted) as 429 Too Many Requests with Retry-After.
    """

    status_code = 429

    def __init__(self, refusal, request):
        super().__init__(description=refusal.message, request=request)
        self.retry_after = refusal.retry_after

    @property
    def headers(self):
        return {"Retry-After": str(self.retry_after)}


def contains_nul(value):
    return bool(value) and "\x00" in value


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    # DOT treats psycopg2's ValueError for a NUL byte in a lookup as "not found"; psycopg 3
    # raises DataError instead (a 500). No client id, code or username contains one, so these
    # three lookups answer "not found" before asking the database.

    def _load_application(self, client_id, request):
        if contains_nul(client_id):
            return None
        return super()._load_application(client_id, request)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if contains_nul(code):
            return False
        return super().validate_code(client_id, code, client, request, *args, **kwargs)

    def build_http_request(self, request):
        """Changes one thing: the HttpRequest DOT builds for authenticate() has the cookies (the device cookie)."""
        http_request = super().build_http_request(request)
        http_request.COOKIES = parse_cookie(request.headers.get("HTTP_COOKIE", ""))
        request.http_request = http_request  # for validate_user, after authenticate() has marked it
        return http_request

    def validate_user(self, username, password, client, request, *args, **kwargs):
        """
        Changes two outcomes: an attempt throttling refused is `TooManyAttempts`, not a wrong
        password; and a success clears the failures, as axes does on user_logged_in, which the
        password grant does not send.
        """
        if contains_nul(username):
            return False
        valid = super().validate_user(username, password, client, request, *args, **kwargs)
        refusal = refusal_of(request.http_request)
        if refusal is not None:
            raise TooManyAttempts(refusal, request)
        if valid:
            AxesProxyHandler.user_logged_in(self.__class__, request.http_request, request.user)
        return valid

    def authenticate_client(self, request, *args, **kwargs):
        """
        Changes one case: a body `client_id` naming another client than the one that
        authenticated is `invalid_client` (oauthlib would otherwise answer `server_error`).
        """
        authenticated = super().authenticate_client(request, *args, **kwargs)
        return authenticated and request.client_id in (None, "", request.client.client_id)

    def client_authentication_required(self, request, *args, **kwargs):
        """
        Changes one case: a Basic header naming a *public* client with an empty secret
        identifies that client instead of demanding authentication, which its hashed
        secret could never pass. Confidential clients still have to authenticate.
        """
        client_id = public_client_id_from_basic(self, request)
        if client_id is not None and request.client_id in (None, "", client_id):
            application = self._load_application(client_id, request)
            if application is not None and application.client_type == AbstractApplication.CLIENT_PUBLIC:
                request.client_id = client_id
                return False
        return super().client_authentication_required(request, *args, **kwargs)
