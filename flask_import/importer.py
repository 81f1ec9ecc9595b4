"""
Bringing the Flask design's users, clients and live refresh tokens into this server, as plain
functions: `read_source` (source.py) reads the old tables, `import_flask_authlib` writes them here
in one transaction and returns a `Report` of what it did and of every row it did not take.
"""

import hashlib
import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
    refresh_token_expire_timedelta,
    set_token_value,
)
from oauth2_provider.scopes import get_scopes_backend
from oauth2_provider.settings import oauth2_settings

from accounts.models import normalize_email
from oauth.clients import GRANT_TYPES

from .hashers import SHA256CryptPasswordHasher
from .models import ImportedToken

User = get_user_model()
Application = get_application_model()
AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()

# Authlib's grant type names, in the order one is chosen when a client has several: this
# server holds one grant per client (refresh is implied by the first two).
GRANTS = {
    "authorization_code": GRANT_TYPES["authorization-code"],
    "password": GRANT_TYPES["password"],
    "client_credentials": GRANT_TYPES["client-credentials"],
}
IMPLIED_GRANTS = {"refresh_token"}
# Authlib's default when a client's metadata names no method.
DEFAULT_AUTH_METHOD = "client_secret_basic"
CONFIDENTIAL_AUTH_METHODS = {"client_secret_basic", "client_secret_post"}
NAME_LENGTH = User._meta.get_field("first_name").max_length
EMAIL_LENGTH = User._meta.get_field("email").max_length
CLIENT_NAME_LENGTH = Application._meta.get_field("name").max_length


class ImportAborted(Exception):
    """A source row the importer cannot read; the whole import is rolled back."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> rows

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
        text += f"{self.skipped.total()} skipped"
        if self.skipped:
            text += " (" + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items())) + ")"
        return text


@dataclass
class Report:
    users: Tally = field(default_factory=Tally)
    clients: Tally = field(default_factory=Tally)
    tokens: Tally | None = None
    problems: list[str] = field(default_factory=list)


def import_flask_authlib(source, *, tokens=False, dry_run=False, now=None):
    """
    Import `source` (a source.Source) in one transaction: users, then clients, then with
    `tokens` the live refresh tokens. With `dry_run` everything is done and then rolled back,
    so the report says exactly what a real run would do. Raises ImportAborted (nothing written)
    at a row it cannot read.
    """
    now = now or timezone.now()
    report = Report(tokens=Tally() if tokens else None)
    with transaction.atomic():
        users = import_users(source.users, report)
        clients = import_clients(source.clients, users, report, now)
        if tokens:
            import_tokens(source.tokens, users, clients, report, now)
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- Users ---------------------------------------------------------------------------------


def import_users(rows, report):
    """Import each user whose lower-cased address is theirs alone; returns {source user id: User}."""
    by_email = defaultdict(list)
    for row in rows:
        email = normalize_email(row.email)
        try:
            validate_email(email)
            if len(email) > EMAIL_LENGTH:
                raise ValidationError("too long")
        except ValidationError:
            report.users.skipped["without a valid address"] += 1
            report.problems.append(f"user {row.id}: {row.email!r} is not an email address; not imported.")
            continue
        by_email[email].append(row)

    imported = {}
    for email, group in by_email.items():
        if len(group) > 1:
            report.users.skipped["sharing an address"] += len(group)
            ids = ", ".join(f"{row.id} <{row.email}>" for row in group)
            report.problems.append(
                f"users {ids} are one address whatever the case; none of them imported (nor their tokens): "
                "merge them at the source and run the import again."
            )
            continue
        row = group[0]
        imported[row.id] = import_user(row, email, report)
    return imported


def password_from_source(row, report):
    """The Django encoding of the row's passlib hash, or None (and a problem) when it has none we can verify."""
    try:
        return SHA256CryptPasswordHasher.from_passlib(row.password or "")
    except ValueError:
        report.problems.append(
            f"user {row.id} <{row.email}>: the password is not a sha256_crypt hash; "
            "imported without a usable password (Google sign-in or a new password from staff)."
        )
        return None


def name_from_source(name):
    """The name cut to this server's column; without NUL characters, which PostgreSQL text cannot hold."""
    return (name or "").replace("\x00", "")[:NAME_LENGTH]


def import_user(row, email, report):
    """
    Create the account, or refresh one this import made earlier and nobody has signed in to
    since (its password is still the imported hash). An account someone has used here keeps
    its password and names.
    """
    first_name, last_name = (name_from_source(name) for name in (row.first_name, row.last_name))
    password = password_from_source(row, report)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name)
        if password:
            user.password = password
        else:
            user.set_unusable_password()
        user.save()
        report.users.created += 1
        return user

    imported_before = user.password.startswith(SHA256CryptPasswordHasher.algorithm + "$")
    wanted = {"first_name": first_name, "last_name": last_name, "password": password or user.password}
    changed = imported_before and any(getattr(user, name) != value for name, value in wanted.items())
    if changed:
        for name, value in wanted.items():
            setattr(user, name, value)
        user.save(update_fields=list(wanted))
        report.users.updated += 1
    else:
        report.users.unchanged += 1
    return user


# --- Clients -------------------------------------------------------------------------------


def import_clients(rows, users, report, now):
    """Import each client this server can serve; returns {client_id: Application}."""
    imported = {}
    for row in rows:
        application = import_client(row, users, report, now)
        if application is not None:
            imported[application.client_id] = application
    return imported


class Refused(Exception):
    """A client this server cannot serve as it was: `reason` is counted, `why` reported."""

    def __init__(self, reason, why):
        super().__init__(why)
        self.reason, self.why = reason, why


def client_metadata(row):
    """The client's metadata (a dict whose lists are lists of strings), or ImportAborted."""
    try:
        metadata = json.loads(row.client_metadata or "{}")
    except json.JSONDecodeError as error:
        raise ImportAborted(f"client {row.client_id}: client_metadata is not JSON ({error.msg}).") from error
    if not isinstance(metadata, dict):
        raise ImportAborted(f"client {row.client_id}: client_metadata is not a JSON object.")
    for name in ("grant_types", "redirect_uris"):
        value = metadata.setdefault(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ImportAborted(f"client {row.client_id}: {name} in client_metadata is not a list of strings.")
    return metadata


def client_type(row, metadata, now):
    """Public or confidential, from the client's `token_endpoint_auth_method` and secret; or Refused."""
    method = metadata.get("token_endpoint_auth_method", DEFAULT_AUTH_METHOD)
    if method == "none":
        return AbstractApplication.CLIENT_PUBLIC
    if method not in CONFIDENTIAL_AUTH_METHODS:
        raise Refused(
            "with an unserved authentication method", f"token_endpoint_auth_method {method} is not served here"
        )
    if not row.client_secret:
        raise Refused("without a secret", "a confidential client without a secret")
    if row.client_secret_expires_at and row.client_secret_expires_at <= now.timestamp():
        expired = datetime.fromtimestamp(row.client_secret_expires_at, UTC).isoformat()
        raise Refused("with an expired secret", f"its secret expired at {expired}")
    return AbstractApplication.CLIENT_CONFIDENTIAL


def choose_grant(row, grant_types, public, report):
    """This server's one grant type for the client's Authlib grant types (the others reported); or Refused."""
    served = [name for name in GRANTS if name in grant_types]
    unserved = [name for name in grant_types if name not in GRANTS and name not in IMPLIED_GRANTS]
    if not served:
        raise Refused(
            "with no grant served here",
            f"grant types {', '.join(grant_types) or 'none'}; none is served here "
            f"({', '.join(GRANTS)} are; the implicit grant is off, as RFC 9700 says)",
        )
    chosen = served[0]
    if chosen == "client_credentials" and public:
        raise Refused("with no grant served here", "client_credentials needs a confidential client")
    dropped = served[1:] + unserved
    if dropped:
        report.problems.append(
            f"client {row.client_id}: imported with {chosen} only; {', '.join(dropped)} dropped "
            "(one grant per client here: register another client with createclient for the others)."
        )
    return GRANTS[chosen]


def import_client(row, users, report, now):
    """Create or update the Application `row.client_id`, or report why it is not imported (then None)."""
    metadata = client_metadata(row)
    try:
        kind = client_type(row, metadata, now)
        public = kind == AbstractApplication.CLIENT_PUBLIC
        grant = choose_grant(row, metadata["grant_types"], public, report)
        return save_client(row, metadata, kind, grant, users, report)
    except Refused as refusal:
        report.clients.skipped[refusal.reason] += 1
        report.problems.append(f"client {row.client_id}: {refusal.why}; not imported.")
        return None  # nor its tokens; a client an earlier run imported is left as it is


def save_client(row, metadata, kind, grant, users, report):
    """Create the Application, or update it where it differs from the source; or Refused when DOT rejects it."""
    public = kind == AbstractApplication.CLIENT_PUBLIC
    if not public and row.client_secret_expires_at:
        report.problems.append(
            f"client {row.client_id}: its secret was to expire at "
            f"{datetime.fromtimestamp(row.client_secret_expires_at, UTC).isoformat()}; "
            "secrets do not expire here (delete the client or give it a new secret then)."
        )
    wanted = {
        "name": (metadata.get("client_name") or row.client_id)[:CLIENT_NAME_LENGTH],
        "client_type": kind,
        "authorization_grant_type": grant,
        "redirect_uris": " ".join(metadata["redirect_uris"]),
        "user": users.get(row.user_id),
    }
    application = Application.objects.filter(client_id=row.client_id).first()
    created = application is None
    if created:
        application = Application(client_id=row.client_id)
    changed = created or any(getattr(application, name) != value for name, value in wanted.items())
    for name, value in wanted.items():
        setattr(application, name, value)
    if not public and (created or not check_password(row.client_secret, application.client_secret)):
        # Hashed here with the hasher DOT's ClientSecretField uses, so that a source secret that
        # happens to look like a Django hash is hashed too rather than stored as it is.
        application.client_secret = make_password(row.client_secret, hasher=oauth2_settings.CLIENT_SECRET_HASHER)
        changed = True
    if not changed:
        report.clients.unchanged += 1
        return application
    try:
        application.full_clean(exclude=["user"])
    except ValidationError as error:
        raise Refused(
            "that this server cannot register", "; ".join(" ".join(texts) for texts in error.message_dict.values())
        ) from error
    application.save()
    if created:
        report.clients.created += 1
    else:
        report.clients.updated += 1
    return application


# --- Refresh tokens ------------------------------------------------------------------------


def checksum(token):
    return hashlib.sha256(token.encode()).hexdigest()


def import_tokens(rows, users, clients, report, now):
    """Import each refresh token still live, paired with its access token, each pair a token family of its own."""
    expire_delta = refresh_token_expire_timedelta()  # None: refresh tokens do not age here
    dropped_scopes = Counter()
    for row in rows:
        reason = import_token(row, users, clients, now, expire_delta, dropped_scopes)
        if reason == "created":
            report.tokens.created += 1
        elif reason == "unchanged":
            report.tokens.unchanged += 1
        else:
            report.tokens.skipped[reason] += 1
    for words, count in sorted(dropped_scopes.items()):
        report.problems.append(
            f"{count} token(s) had scope {words!r}, not defined here: they carry the client's default scopes "
            "(the Flask design's API checked no scope)."
        )


def token_scope(row, application, dropped_scopes):
    """The source scopes this server defines and the client may hold; else the client's default scopes."""
    backend = get_scopes_backend()
    available = backend.get_available_scopes(application=application)
    words = (row.scope or "").split()
    kept = [word for word in words if word in available]
    if len(kept) < len(words):
        dropped_scopes[" ".join(words)] += 1
    return " ".join(kept or [s for s in backend.get_default_scopes(application=application) if s in available])


def import_token(row, users, clients, now, expire_delta, dropped_scopes):
    """Import one token; returns "created", "unchanged" or why it was skipped."""
    issued = datetime.fromtimestamp(row.issued_at, UTC)
    # The Flask design's rule (OAuth2Token.is_refresh_token_active): twice the access token's life.
    source_end = issued + 2 * timedelta(seconds=row.expires_in)
    if row.revoked:
        return "revoked at the source"
    if source_end < now:
        return "expired at the source"
    refresh_checksum = checksum(row.refresh_token)
    if (
        ImportedToken.objects.filter(token_checksum=refresh_checksum).exists()
        or RefreshToken.objects.filter(token_checksum=refresh_checksum).exists()
    ):
        return "unchanged"
    application = clients.get(row.client_id)
    if application is None:
        return "of a client not imported"
    if not application.allows_grant_type(GRANT_TYPES["authorization-code"], GRANT_TYPES["password"]):
        return "of a client that cannot refresh"
    user = users.get(row.user_id)
    if user is None:
        return "of a user not imported"
    if not user.is_active:
        return "of a deactivated account"
    # Here a refresh token lives until its access token's expiry plus REFRESH_TOKEN_EXPIRE_SECONDS.
    # The access token keeps its own expiry (never later), moved earlier when needed so that the
    # refresh token does not outlive its life at the source.
    access_expires = issued + timedelta(seconds=row.expires_in)
    if expire_delta is not None:
        access_expires = min(access_expires, source_end - expire_delta)
        if access_expires + expire_delta <= now:
            return "expired under this server's refresh-token lifetime"
    if AccessToken.objects.filter(token_checksum=checksum(row.access_token)).exists():
        return "whose access token is already here"

    access_token = AccessToken(
        user=user, application=application, expires=access_expires, scope=token_scope(row, application, dropped_scopes)
    )
    set_token_value(access_token, row.access_token)
    access_token.save()
    refresh_token = RefreshToken(
        user=user, application=application, access_token=access_token, token_family=uuid.uuid4()
    )
    set_token_value(refresh_token, row.refresh_token)
    refresh_token.save()
    ImportedToken.objects.create(token_checksum=refresh_checksum)
    return "created"
