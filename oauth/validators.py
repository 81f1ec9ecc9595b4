import base64
import binascii
from urllib.parse import unquote_plus

from jwcrypto import jws
from oauth2_provider import oauth2_validators
from oauth2_provider.models import AbstractApplication
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem


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

    def validate_user(self, username, password, client, request, *args, **kwargs):
        if contains_nul(username):
            return False
        return super().validate_user(username, password, client, request, *args, **kwargs)

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

    # --- OpenID Connect -------------------------------------------------------------------
    # `sub` is DOT's: the account's primary key, a public subject (see the README for why).

    def get_additional_claims(self):
        """The standard claims this server knows, each released with its scope (`oidc_claim_scope`)."""
        return {
            "email": lambda request: request.user.email,
            # No address here has been proven to belong to its user: nothing sends a confirmation.
            "email_verified": lambda request: False,
            "name": lambda request: request.user.get_full_name(),
            "given_name": lambda request: request.user.first_name,
            "family_name": lambda request: request.user.last_name,
            "updated_at": lambda request: int(request.user.updated_at.timestamp()),
        }

    def validate_silent_login(self, request):
        """
        oauthlib asks this for `prompt=none` and DOT 3.4.1 leaves it unimplemented (a 500). The
        session is not in oauthlib's request: the authorization view answers `login_required`.
        """
        return True

    def validate_silent_authorization(self, request):
        """As `validate_silent_login`: the authorization view answers `consent_required`."""
        return True

    def _get_key_for_token(self, token):
        """
        Changes which key checks an RS256 ID token this server signed (a logout's `id_token_hint`):
        the one its `kid` names, inactive keys included, where DOT tries the current key only and
        so refuses every hint signed before a rotation. Overrides a private method of
        django-oauth-toolkit 3.4.1 (pinned).
        """
        key = super()._get_key_for_token(token)
        if key is None or key.get("kty") != "RSA":
            return key
        signed = jws.JWS()
        signed.deserialize(token)
        kid = signed.jose_header.get("kid")
        for pem in oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE:
            retired = jwk_from_pem(pem)
            if kid == retired.thumbprint():
                return retired
        return key

    def get_oidc_claims(self, token, token_handler, request):
        """Changes one thing: an empty name is left out, as OpenID Connect Core §5.3.2 asks, not sent as ""."""
        claims = super().get_oidc_claims(token, token_handler, request)
        return {name: value for name, value in claims.items() if value != ""}
