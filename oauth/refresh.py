"""
The lean path of POST /oauth/token for the refresh grant: a public client (the Ember app)
rotating a live refresh token. Every signed-in browser tab does it every few minutes, so it is
the token endpoint's busiest request, and django-oauth-toolkit's path spends most of its time
building an oauthlib request and compiling some twenty ORM queries.

Here the request is answered from one read and one short transaction of six statements, built
once from the models' metadata; oauth/tests/test_lean_refresh.py holds the answer, the rows and
the audit event equal to django-oauth-toolkit's. Anything else goes through
django-oauth-toolkit, which answers it as before: every error, a replay within the grace period
(oauth/grace.py), reuse detection, confidential clients, a `scope` or `resource` parameter.
"""

import json
import time
from datetime import timedelta
from functools import cache

import oauthlib.oauth2
import oauthlib.openid
from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
    refresh_token_expire_timedelta,
)
from oauth2_provider.oauth2_validators import GRANT_TYPE_MAPPING
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.signals import app_authorized
from oauthlib.common import generate_token
from oauthlib.oauth2.rfc6749.utils import is_secure_transport, scope_to_list

from . import signals
from .grace import seal, token_checksum
from .models import SealedReplacement
from .statements import column_converters, convert_row, fetch_one, hot_cursor
from .validators import contains_nul, decode_basic

AccessToken = get_access_token_model()
Application = get_application_model()
RefreshToken = get_refresh_token_model()

LEAN_PARAMETERS = {"grant_type", "refresh_token", "client_id"}  # a body with anything else is DOT's to read
# oauthlib's headers for a token response (GrantTypeBase._get_default_headers).
RESPONSE_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"}

# What the checks read of the client, the presented refresh token and its access token.
CLIENT_FIELDS = ("id", "client_id", "client_type", "authorization_grant_type", "allowed_origins", "registration_source")
REFRESH_TOKEN_FIELDS = ("id", "user", "access_token", "token_family", "resource")
ACCESS_TOKEN_FIELDS = ("expires", "scope")
# Every column the inserts write: the statements are built only when the models have exactly
# these (django-oauth-toolkit 3.4.1's), so a model that gains one sends every refresh to DOT.
ACCESS_TOKEN_COLUMNS = {
    *["id", "user", "source_refresh_token", "token", "token_checksum", "id_token", "application"],
    *["expires", "scope", "resource", "created", "updated"],
}
REFRESH_TOKEN_COLUMNS = {
    *["id", "user", "token", "token_checksum", "application", "access_token", "token_family"],
    *["resource", "created", "updated", "revoked"],
}

_next_sweep = 0.0  # time.monotonic() after which this process deletes expired sealed pairs again


class _HandOver(Exception):
    """The token changed since it was read (a concurrent rotation or revocation): DOT answers."""


def _fields(model, names):
    # In the model's own field order, the order Model.from_db expects its values in.
    return [field for field in model._meta.concrete_fields if field.name in names]


def _insert(connection, model, returning=None):
    """An INSERT of every concrete field but the primary key, and those fields in order."""
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {quote(model._meta.get_field(returning).column)}"
    return sql, fields


@cache
def _statements(alias):
    """
    The statements, built once from the models' metadata, or None when this database or these
    models are not the ones they were written for (the lean path then stays off).

    Only quoted identifiers from model metadata are interpolated; every value is a parameter.
    """
    connection = connections[alias]
    features = connection.features
    if (
        {f.name for f in AccessToken._meta.concrete_fields} != ACCESS_TOKEN_COLUMNS
        or {f.name for f in RefreshToken._meta.concrete_fields} != REFRESH_TOKEN_COLUMNS
        or not features.can_return_columns_from_insert
        or not features.supports_update_conflicts_with_target
    ):
        return None
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    parts = [
        ("c", _fields(Application, CLIENT_FIELDS)),
        ("r", _fields(RefreshToken, REFRESH_TOKEN_FIELDS)),
        ("a", _fields(AccessToken, ACCESS_TOKEN_FIELDS)),
    ]
    read = (
        f"SELECT {', '.join(f'{alias_}.{quote(f.column)}' for alias_, fields in parts for f in fields)} "  # noqa: S608
        f"FROM {table(Application)} c "
        f"LEFT JOIN {table(RefreshToken)} r ON r.{column(RefreshToken, 'token_checksum')} = %s "
        f"AND r.{column(RefreshToken, 'revoked')} IS NULL "
        f"AND r.{column(RefreshToken, 'application')} = c.{column(Application, 'id')} "
        f"LEFT JOIN {table(AccessToken)} a "
        f"ON a.{column(AccessToken, 'id')} = r.{column(RefreshToken, 'access_token')} "
        f"WHERE c.{column(Application, 'client_id')} = %s"
    )
    read_fields = [field for _, fields in parts for field in fields]
    # Revoking is what RefreshToken.revoke() stores: revoked, updated and no access token; the
    # conditions make it a no-op when another request rotated or revoked the token meanwhile.
    revoke = (
        f"UPDATE {table(RefreshToken)} SET {column(RefreshToken, 'revoked')} = %s, "  # noqa: S608
        f"{column(RefreshToken, 'updated')} = %s, {column(RefreshToken, 'access_token')} = NULL "
        f"WHERE {column(RefreshToken, 'id')} = %s AND {column(RefreshToken, 'revoked')} IS NULL "
        f"AND {column(RefreshToken, 'access_token')} = %s"
    )
    # AccessToken.revoke() deletes the row; its one reverse relation (the refresh token's
    # access_token, SET_NULL) is the column the UPDATE above has just cleared.
    delete_access_token = f"DELETE FROM {table(AccessToken)} WHERE {column(AccessToken, 'id')} = %s"  # noqa: S608
    seals = table(SealedReplacement)
    checksum_column = column(SealedReplacement, "token_checksum")
    seal_fields = _fields(SealedReplacement, ("token_checksum", "sealed", "expires"))
    upsert_seal = (
        f"INSERT INTO {seals} ({', '.join(quote(f.column) for f in seal_fields)}) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({checksum_column}) DO UPDATE SET "
        + ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in seal_fields[1:])
    )
    sweep_seals = f"DELETE FROM {seals} WHERE {column(SealedReplacement, 'expires')} <= %s"  # noqa: S608
    return {
        "read": read,
        "read_fields": read_fields,
        "converters": column_converters(connection, read_fields),
        "client_slice": len(parts[0][1]),
        "revoke": revoke,
        "delete_access_token": delete_access_token,
        "insert_access_token": _insert(connection, AccessToken, returning="id"),
        "insert_refresh_token": _insert(connection, RefreshToken),
        "upsert_seal": (upsert_seal, seal_fields),
        "sweep_seals": sweep_seals,
    }


def _configured_as_written():
    """Whether DOT is configured the way this path answers: rotation, its own generators, server and lifetimes."""
    return (
        oauth2_settings.ROTATE_REFRESH_TOKEN
        and oauth2_settings.ACCESS_TOKEN_GENERATOR is None
        and oauth2_settings.REFRESH_TOKEN_GENERATOR is None
        and not oauth2_settings.EXTRA_SERVER_KWARGS
        and isinstance(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS, int)
        # With OpenID Connect on, DOT serves oauthlib's OpenID server; it refreshes like the plain
        # one except for tokens with the `openid` scope (a new ID token), which go to DOT's path.
        and oauth2_settings.OAUTH2_SERVER_CLASS in (oauthlib.oauth2.Server, oauthlib.openid.Server)
    )


def _credentials(request):
    """
    (client id, refresh token) of a body with `grant_type`, `refresh_token` and perhaps
    `client_id`, each once, from a client that names itself in the body or with
    `Authorization: Basic base64("<client_id>:")` (an empty secret); otherwise None.
    """
    post = request.POST
    if not LEAN_PARAMETERS.issuperset(post) or any(len(values) != 1 for _, values in post.lists()):
        return None
    refresh_token, client_id = post.get("refresh_token"), post.get("client_id")
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization is not None:
        scheme, _, encoded = authorization.partition(" ")
        credentials = decode_basic(encoded) if scheme == "Basic" else None
        if credentials is None or credentials[1] or client_id not in (None, "", credentials[0]):
            return None
        client_id = credentials[0]
    if not refresh_token or not client_id or contains_nul(client_id):
        return None
    return client_id, refresh_token


def _read(connection, statements, client_id, refresh_token):
    """The client (an Application, its other fields deferred) and the values of its live token, or None."""
    row = fetch_one(connection, statements["read"], [token_checksum(refresh_token), client_id])
    if row is None:
        return None
    row = convert_row(connection, row, statements["converters"])
    split = statements["client_slice"]
    names = [field.attname for field in statements["read_fields"][:split]]
    client = Application.from_db(connection.alias, names, row[:split])
    refresh_token_id, user_id, access_token_id, token_family, resource, expires, scope = row[split:]
    return client, refresh_token_id, user_id, access_token_id, token_family, resource, expires, scope


def _execute(cursor, connection, statement, values):
    sql, fields = statement
    cursor.execute(sql, [field.get_db_prep_save(values[field.name], connection) for field in fields])


@sensitive_post_parameters("refresh_token")
def refresh_for_public_client(request, view):
    """
    The answer to a public client's refresh grant with a live refresh token, exactly as
    django-oauth-toolkit's TokenView would give it (body, headers, rows, signals), or None when
    the request is anything else or anything is wrong with it: DOT's path then answers it.
    `view` is the TokenView, the sender of DOT's app_authorized signal.
    """
    credentials = _credentials(request)
    if credentials is None or not _configured_as_written():
        return None
    alias = router.db_for_write(RefreshToken)
    statements = _statements(alias)
    if statements is None:
        return None
    client_id, presented = credentials
    connection = connections[alias]
    found = _read(connection, statements, client_id, presented)
    if found is None:
        return None  # an unknown client: DOT's invalid_client
    client, refresh_token_id, user_id, access_token_id, token_family, resource, expires, scope = found
    now = timezone.now()
    expire_delta = refresh_token_expire_timedelta()
    if (
        client.client_type != AbstractApplication.CLIENT_PUBLIC  # it must authenticate: DOT checks the secret
        or client.registration_source == Application.RegistrationSource.CIMD  # DOT may refresh it first
        or not client.is_usable(request)
        or not client.allows_grant_type(*GRANT_TYPE_MAPPING["refresh_token"])
        or refresh_token_id is None  # unknown, revoked, rotated (grace period, reuse) or another client's
        or access_token_id is None  # an orphan, which DOT refuses
        or (expire_delta and expires + expire_delta <= now)  # expired, as DOT's validate_refresh_token says
        or resource  # RFC 8707 audiences: DOT validates and carries them over
        or "openid" in scope.split()  # OpenID Connect: the answer carries a new ID token
    ):
        return None

    # What oauthlib's BearerToken.create_token makes, in its order: the response body.
    expires_in = oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS or 3600
    token = {
        "access_token": generate_token(),
        "expires_in": expires_in,
        "token_type": "Bearer",
        "scope": " ".join(scope_to_list(scope)),  # get_original_scopes: the access token's
        "refresh_token": generate_token(),
    }
    # Hashed at rest (COMPLIANT_BCP_RFC9700_TOKEN_STORAGE): the token column stays empty.
    hashed_at_rest = oauth2_settings.COMPLIANT_BCP_RFC9700_TOKEN_STORAGE
    access_token = {
        "user": user_id,
        "source_refresh_token": refresh_token_id,
        "token": "" if hashed_at_rest else token["access_token"],
        "token_checksum": token_checksum(token["access_token"]),
        "id_token": None,
        "application": client.pk,
        "expires": now + timedelta(seconds=expires_in),
        "scope": token["scope"],
        "resource": [],
        "created": now,
        "updated": now,
    }
    stamp = RefreshToken._meta.get_field("revoked").get_db_prep_save(now, connection)
    try:
        with transaction.atomic(using=alias), hot_cursor(connection) as cursor:
            # Takes the row lock on PostgreSQL; on SQLite the IMMEDIATE transaction holds the write lock.
            cursor.execute(statements["revoke"], [stamp, stamp, refresh_token_id, access_token_id])
            if cursor.rowcount != 1:
                raise _HandOver
            cursor.execute(statements["delete_access_token"], [access_token_id])
            if cursor.rowcount != 1:
                raise _HandOver
            _execute(cursor, connection, statements["insert_access_token"], access_token)
            access_token["id"] = cursor.fetchone()[0]
            _execute(
                cursor,
                connection,
                statements["insert_refresh_token"],
                {
                    "user": user_id,
                    "token": "" if hashed_at_rest else token["refresh_token"],
                    "token_checksum": token_checksum(token["refresh_token"]),
                    "application": client.pk,
                    "access_token": access_token["id"],
                    "token_family": token_family,
                    "resource": [],
                    "created": now,
                    "updated": now,
                    "revoked": None,
                },
            )
            _seal_replacement(cursor, connection, statements, presented, token, now)
            # In the same transaction, so the audit event is committed with the tokens.
            signals.tokens_issued.send(
                sender=oauth2_settings.OAUTH2_VALIDATOR_CLASS,
                request=request,
                user_id=user_id,
                client=client,
                grant_type="refresh_token",
                token_family=token_family,
            )
    except _HandOver:
        return None
    if app_authorized.has_listeners(view):
        fields = AccessToken._meta
        instance = AccessToken(**{fields.get_field(name).attname: value for name, value in access_token.items()})
        instance.application = client  # already loaded: no query for receivers that read it
        app_authorized.send(sender=view, request=request, token=instance)
    response = HttpResponse(json.dumps(token))
    for name, value in RESPONSE_HEADERS.items():
        response[name] = value
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and is_secure_transport(origin) and client.origin_allowed(origin):
        response["Access-Control-Allow-Origin"] = origin  # as oauthlib's _create_cors_headers
    return response


def _seal_replacement(cursor, connection, statements, presented, token, now):
    """
    oauth.grace.seal_replacement in the transaction's statements: an upsert, and the expired
    pairs deleted once per grace period by each process rather than at every rotation.
    """
    global _next_sweep
    grace_period = settings.REFRESH_TOKEN_GRACE_PERIOD
    if grace_period <= 0:
        return
    checksum = token_checksum(presented)
    _execute(
        cursor,
        connection,
        statements["upsert_seal"],
        {
            "token_checksum": checksum,
            "sealed": seal(presented, checksum, token),
            "expires": now + timedelta(seconds=grace_period),
        },
    )
    if time.monotonic() >= _next_sweep:
        _next_sweep = time.monotonic() + grace_period
        sweep_field = SealedReplacement._meta.get_field("expires")
        cursor.execute(statements["sweep_seals"], [sweep_field.get_db_prep_save(now, connection)])
