"""
The lean path of POST /oauth/introspect: a resource server authenticating with HTTP Basic and
asking about one token, answered from one SQL statement. Resource servers call it for every
request they serve, so its cost is theirs; anything else goes through django-oauth-toolkit.
"""

import calendar
import hashlib
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.http import JsonResponse
from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.settings import oauth2_settings

from .hashers import ALGORITHM
from .scopes import is_resource_server
from .statements import column_converters, convert_row, fetch_one
from .validators import contains_nul, decode_basic

AccessToken = get_access_token_model()
Application = get_application_model()
User = get_user_model()

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
LEAN_PARAMETERS = {"token", "token_type_hint"}  # a body with anything else is DOT's to read

# What the checks and the document read, by model (the client, the token, the token's client
# and its user); the rest of each row is deferred, as with QuerySet.only().
CLIENT_FIELDS = (
    "id",
    "client_id",
    "client_type",
    "authorization_grant_type",
    "client_secret",
    "hash_client_secret",
    "registration_source",
)
TOKEN_FIELDS = ("id", "user", "application", "expires", "scope", "resource")
TOKEN_CLIENT_FIELDS = ("id", "client_id")
USER_FIELDS = ("id", User.USERNAME_FIELD)


def _columns(model, names):
    # In the model's own field order, the order Model.from_db expects its values in.
    return [field for field in model._meta.concrete_fields if field.name in names]


@cache
def _query(alias):
    """
    The statement, built once from the models' metadata: the client by its id, and beside it
    the token by its checksum (never by the `token` column, which may be empty when tokens
    are hashed at rest), with the token's client and user; and the column converters.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    parts = [
        ("c", Application, _columns(Application, CLIENT_FIELDS)),
        ("t", AccessToken, _columns(AccessToken, TOKEN_FIELDS)),
        ("tc", Application, _columns(Application, TOKEN_CLIENT_FIELDS)),
        ("u", User, _columns(User, USER_FIELDS)),
    ]
    columns = [f"{table}.{quote(field.column)}" for table, _, fields in parts for field in fields]

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    applications, tokens = quote(Application._meta.db_table), quote(AccessToken._meta.db_table)
    # Only quoted identifiers from model metadata are interpolated; the values are parameters.
    sql = (
        f"SELECT {', '.join(columns)} FROM {applications} c "  # noqa: S608
        f"LEFT JOIN {tokens} t ON t.{column(AccessToken, 'token_checksum')} = %(checksum)s "
        f"LEFT JOIN {applications} tc ON tc.{column(Application, 'id')} = t.{column(AccessToken, 'application')} "
        f"LEFT JOIN {quote(User._meta.db_table)} u "
        f"ON u.{quote(User._meta.pk.column)} = t.{column(AccessToken, 'user')} "
        f"WHERE c.{column(Application, 'client_id')} = %(client_id)s"
    )
    converters = column_converters(connection, [field for _, _, fields in parts for field in fields])
    slices, start = [], 0
    for _, model, fields in parts:
        slices.append((model, [field.attname for field in fields], start, start + len(fields)))
        start += len(fields)
    return sql, converters, slices


def _fetch(client_id, token):
    """The client named `client_id` and the access token `token` (or None), as model instances."""
    alias = router.db_for_read(AccessToken)
    connection = connections[alias]
    sql, converters, slices = _query(alias)
    row = fetch_one(connection, sql, {"client_id": client_id, "checksum": hashlib.sha256(token.encode()).hexdigest()})
    if row is None:
        return None, None
    row = convert_row(connection, row, converters)
    client, access_token, token_client, user = (
        model.from_db(alias, names, row[start:end]) if row[start] is not None else None
        for model, names, start, end in slices
    )
    if access_token is not None:
        # Both attached, so reading them (as DOT's document does) runs no query.
        access_token.application, access_token.user = token_client, user
    return client, access_token


def introspection_document(access_token):
    """
    What DOT's IntrospectTokenView.get_token_response answers for `access_token`
    (None: unknown), field for field; oauth/tests/test_introspection.py holds them equal.
    """
    if access_token is None or not access_token.is_valid():
        return {"active": False}
    data = {
        "active": True,
        "scope": access_token.scope,
        "exp": int(calendar.timegm(access_token.expires.timetuple())),
    }
    if access_token.application:
        data["client_id"] = access_token.application.client_id
    if access_token.user:
        data["username"] = access_token.user.get_username()
    if access_token.resource:
        data["aud"] = access_token.resource
    return data


def introspect_for_resource_server(request):
    """
    The answer to a resource server introspecting a token with its client credentials in an
    `Authorization: Basic` header, or None when the request is anything else or anything is
    wrong with it: DOT's path then answers it, errors included.

    The client checks are those of DOT's `_authenticate_basic_auth` and the view's
    `is_resource_server`, with DOT's `_check_secret` (private in django-oauth-toolkit, which
    requirements.txt pins at 3.4.1); only clients whose secret is stored with
    CLIENT_SECRET_HASHER pass here (an older hash is upgraded on DOT's path first).
    """
    if request.method != "POST" or request.content_type != FORM_CONTENT_TYPE or request.META.get("QUERY_STRING"):
        return None
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    credentials = decode_basic(encoded) if scheme == "Basic" else None
    if credentials is None or not LEAN_PARAMETERS.issuperset(request.POST) or "token" not in request.POST:
        return None
    client_id, secret = credentials
    token = request.POST["token"]
    if contains_nul(client_id):
        return None
    client, access_token = _fetch(client_id, token)
    if (
        client is None
        or client.registration_source == Application.RegistrationSource.CIMD  # DOT may refresh it first
        or not client.is_usable(request)
        or not is_resource_server(client)
        or not client.hash_client_secret
        or not client.client_secret.startswith(f"{ALGORITHM}$")
        or not oauth2_settings.OAUTH2_VALIDATOR_CLASS()._check_secret(secret, client.client_secret)
    ):
        return None
    return JsonResponse(introspection_document(access_token))
