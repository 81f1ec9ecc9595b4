import base64
import binascii
from urllib.parse import unquote_plus

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, parse_cookie
from jwcrypto import jws
from oauth2_provider import oauth2_validators
from oauth2_provider.models import AbstractApplication, get_access_token_model, get_refresh_token_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, UnsupportedResponseTypeError

from throttling.backends import refusal_of

from . import signals
from .grace import seal_replacement, token_checksum, unseal_replacement

AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()


def decode_basic(encoded):
    """
    The client id and secret of an `Authorization: Basic` header's credentials, form-decoded
    as RFC 6749 §2.3.1 says, or None when they are malformed.
    """
    if not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        return None
    return unquote_plus(client_id), unquote_plus(secret)


def basic_credentials(validator, request):
    """decode_basic() of an oauthlib request's `Authorization: Basic` header."""
    return decode_basic(validator._extract_basic_auth(request))


def public_client_id_from_basic(validator, request):
    """
    The client id from `Authorization: Basic base64("<client_id>:")`, the form older
    ember-simple-auth and other SPA libraries use to name a public client, or None when
    the header is absent, malformed or carries a secret.
    """
    credentials = basic_credentials(validator, request)
    if credentials is None or credentials[1]:
        return None
    return credentials[0] or None


def sender_of(request):
    """An oauthlib request's sender as a Django HttpRequest: its META (address, user agent), never its body."""
    http_request = HttpRequest()
    http_request.META = request.headers
    return http_request


def live_token_owner(token, client):
    """(user id, token family) of the live access or refresh token `token` of `client`, or None."""
    lookup = {"token_checksum": token_checksum(token), "application": client}
    return (
        AccessToken.objects.filter(**lookup).values_list("user_id", "refresh_token__token_family").first()
        or RefreshToken.objects.filter(**lookup, revoked__isnull=True).values_list("user_id", "token_family").first()
    )


def family_revoked_on_reuse(refresh_token):
    """
    (user id, token family) when `refresh_token` is a revoked token whose family has no live
    member left, which is what DOT's reuse protection leaves behind; None otherwise.
    """
    live_member = RefreshToken.objects.filter(token_family=OuterRef("token_family"), revoked__isnull=True)
    return (
        RefreshToken.objects.filter(
            token_checksum=token_checksum(refresh_token), revoked__isnull=False, token_family__isnull=False
        )
        .filter(~Exists(live_member))
        .values_list("user_id", "token_family")
        .first()
    )


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
    # lookups answer "not found" before asking the database.

    def _load_application(self, client_id, request):
        if contains_nul(client_id):
            return None
        return super()._load_application(client_id, request)

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        """
        Changes the error for a response type this server offers no client (implicit, hybrid):
        RFC 6749 §4.1.2.1's `unsupported_response_type`, where DOT's False says `unauthorized_client`.
        """
        if response_type not in oauth2_settings.OAUTH2_RESPONSE_TYPES_SUPPORTED:
            raise UnsupportedResponseTypeError(request=request)
        return super().validate_response_type(client_id, response_type, client, request, *args, **kwargs)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if contains_nul(code):
            return False
        return super().validate_code(client_id, code, client, request, *args, **kwargs)

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        # With OpenID Connect on, oauthlib asks this before validate_code, to pick the grant type.
        if contains_nul(code):
            return []
        return super().get_authorization_code_scopes(client_id, code, redirect_uri, request)

    def build_http_request(self, request):
        """
        Changes the HttpRequest DOT builds for authenticate(): it has the cookies (the device
        cookie, for throttling) and the client (`oauth2_client`, for user_login_failed listeners).
        """
        http_request = super().build_http_request(request)
        http_request.COOKIES = parse_cookie(request.headers.get("HTTP_COOKIE", ""))
        http_request.oauth2_client = request.client
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
        if authenticated:
            self.upgrade_client_secret(request)
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

    def upgrade_client_secret(self, request):
        """
        Re-hashes an authenticated client's secret with CLIENT_SECRET_HASHER when it was stored
        with another hasher (Argon2, before this server had a fast one): DOT verifies secrets
        without Django's re-hash-on-use, so an old secret would cost an Argon2 verify forever.
        """
        client = request.client
        if not client.hash_client_secret:
            return  # stored as the operator chose (HS256 needs it readable)
        try:
            hasher = identify_hasher(client.client_secret)
        except ValueError:
            return
        if hasher.algorithm == get_hasher(oauth2_settings.CLIENT_SECRET_HASHER).algorithm:
            return
        # DOT tried the Basic header, then the body; re-check which one carried the secret.
        basic = basic_credentials(self, request)
        for secret in (basic and basic[1], getattr(request, "client_secret", None)):
            if secret and hasher.verify(secret, client.client_secret):
                client.client_secret = secret  # ClientSecretField hashes it as it saves
                client.save(update_fields=["client_secret"])
                return

    # The refresh grace period with hashed token storage (oauth/grace.py): DOT's own needs
    # the plain tokens, which COMPLIANT_BCP_RFC9700_TOKEN_STORAGE no longer stores.

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        """
        Changes one case: a refresh token rotated less than REFRESH_TOKEN_GRACE_PERIOD ago
        passes when the pair that replaced it unseals and is still live, and the request
        will get that pair. Otherwise DOT decides, and its reuse detection revokes the family;
        then refresh_token_reused is sent (see the listeners' note below).
        """
        replacement = unseal_replacement(refresh_token)
        successor = replacement and (
            RefreshToken.objects.filter(
                token_checksum=token_checksum(replacement["refresh_token"]), revoked__isnull=True
            )
            .select_related("access_token", "user")
            .first()
        )
        if successor is None:
            return self._validate_or_report_reuse(refresh_token, client, request, *args, **kwargs)
        request.user = successor.user
        request.refresh_token = refresh_token
        # Its scopes are the ones the replacement pair carries (get_original_scopes reads them here).
        request.refresh_token_instance = successor
        request.sealed_replacement = replacement
        return successor.application_id == client.pk

    def _save_bearer_token(self, token, request, *args, **kwargs):
        """
        Changes the refresh grant: a rotation seals the new pair under the old refresh
        token, and a refresh whose token another request rotated meanwhile (two tabs at
        once) answers that sealed pair, where DOT would answer the plain tokens it no
        longer stores. DOT's save_bearer_token documents this private method as the one to
        override (DOT is pinned); it runs in that method's transaction.
        """
        if request.grant_type != "refresh_token":
            return super()._save_bearer_token(token, request, *args, **kwargs)
        replacement = getattr(request, "sealed_replacement", None)
        if replacement is None and self._rotated_meanwhile(request.refresh_token_instance):
            replacement = unseal_replacement(request.refresh_token)
            if replacement is None:  # revoked, not rotated
                raise InvalidGrantError(request=request)
        if replacement is not None:
            token.clear()
            token.update(replacement)
            return None
        super()._save_bearer_token(token, request, *args, **kwargs)
        seal_replacement(request.refresh_token, token)
        return None

    def _rotated_meanwhile(self, refresh_token):
        """Whether `refresh_token` was revoked since it was validated; waits for a rotation under way."""
        # A row lock on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock.
        revoked = RefreshToken.objects.select_for_update().filter(pk=refresh_token.pk).values_list("revoked", flat=True)
        return any(revoked)

    # The overrides below change nothing the server does; they tell listeners (oauth.signals)
    # what it did, with what only the validator knows: the user, the client, the token family.

    def save_bearer_token(self, token, request, *args, **kwargs):
        """Sends tokens_issued once the tokens are stored (a refresh keeps its token's family)."""
        presented = getattr(request, "refresh_token_instance", None)  # rotation clears it
        saved = super().save_bearer_token(token, request, *args, **kwargs)
        family = presented.token_family if presented is not None else getattr(request, "token_family", None)
        signals.tokens_issued.send(
            sender=type(self),
            request=sender_of(request),
            user_id=request.user.pk if request.user else None,
            client=request.client,
            grant_type=request.grant_type,
            token_family=family,
        )
        return saved

    def _create_refresh_token(self, request, *args, **kwargs):
        """Remembers the new token's family on the request, for tokens_issued."""
        refresh_token = super()._create_refresh_token(request, *args, **kwargs)
        request.token_family = refresh_token.token_family
        return refresh_token

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs):
        """Sends token_revoked when a live token was revoked (not for unknown or already revoked ones)."""
        owner = live_token_owner(token, request.client)
        super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        if owner is not None:
            user_id, family = owner
            signals.token_revoked.send(
                sender=type(self),
                request=sender_of(request),
                user_id=user_id,
                client=request.client,
                token_family=family,
            )

    def _validate_or_report_reuse(self, refresh_token, client, request, *args, **kwargs):
        """DOT's validate_refresh_token; sends refresh_token_reused when its reuse protection revoked the family."""
        if super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return True
        if oauth2_settings.REFRESH_TOKEN_REUSE_PROTECTION and (revoked := family_revoked_on_reuse(refresh_token)):
            user_id, family = revoked
            signals.refresh_token_reused.send(
                sender=type(self), request=sender_of(request), user_id=user_id, client=client, token_family=family
            )
        return False

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
