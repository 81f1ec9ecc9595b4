import base64
import binascii
import hashlib
from urllib.parse import unquote_plus

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from oauth2_provider import oauth2_validators
from oauth2_provider.models import AbstractApplication, get_access_token_model, get_refresh_token_model
from oauth2_provider.settings import oauth2_settings

from . import signals

AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()


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


def sender_of(request):
    """An oauthlib request's sender as a Django HttpRequest: its META (address, user agent), never its body."""
    http_request = HttpRequest()
    http_request.META = request.headers
    return http_request


def _checksum(token):
    return hashlib.sha256(token.encode()).hexdigest()


def live_token_owner(token, client):
    """(user id, token family) of the live access or refresh token `token` of `client`, or None."""
    lookup = {"token_checksum": _checksum(token), "application": client}
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
            token_checksum=_checksum(refresh_token), revoked__isnull=False, token_family__isnull=False
        )
        .filter(~Exists(live_member))
        .values_list("user_id", "token_family")
        .first()
    )


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

    # The overrides below change nothing the server does; they tell listeners (oauth.signals)
    # what it did, with what only the validator knows: the user, the client, the token family.

    def build_http_request(self, request):
        """Adds the client (`oauth2_client`) to the request authenticate() gets, for user_login_failed listeners."""
        http_request = super().build_http_request(request)
        http_request.oauth2_client = request.client
        return http_request

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

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        """Sends refresh_token_reused when DOT's reuse protection has just revoked the token's family."""
        if super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return True
        if oauth2_settings.REFRESH_TOKEN_REUSE_PROTECTION and (revoked := family_revoked_on_reuse(refresh_token)):
            user_id, family = revoked
            signals.refresh_token_reused.send(
                sender=type(self), request=sender_of(request), user_id=user_id, client=client, token_family=family
            )
        return False
