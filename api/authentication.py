import hashlib
import re
from dataclasses import KW_ONLY, dataclass, fields
from datetime import datetime
from functools import cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, connections, router
from django.db.models import DEFERRED
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from rest_framework import exceptions

from oauth.statements import column_converters, convert_row, fetch_one

AccessToken = get_access_token_model()
User = get_user_model()

NOT_CHECKED = object()
B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 6750 §2.1: no other token reaches the database


class TokenInQueryString(exceptions.APIException):
    status_code = 400
    default_detail = "Access tokens are not accepted in the query string; send an Authorization: Bearer header."
    default_code = "invalid_request"


@dataclass(slots=True, eq=False, repr=False)  # repr=False: an account's fields stay out of logs and tracebacks
class FoundUser:
    """The user of a FoundToken: what the permissions and the /api/me document read of the account."""

    id: int
    email: str
    first_name: str
    last_name: str
    date_joined: datetime
    is_active: bool
    is_staff: bool
    is_superuser: bool

    @property
    def pk(self):
        return self.id


@dataclass(slots=True, eq=False, repr=False)
class FoundToken:
    """
    An access token the lookup found, and its user (a FoundUser, or None), as plain attributes
    of its row: the bearer checks, the permissions and the /api/me document read nothing else,
    and building model instances costs more than the lookup's query. DOT's token checks are
    AccessToken's own methods, which read only `expires`, `scope` and `resource`
    (api/tests/test_found_token.py holds them to it). `instances()` makes the AccessToken and
    User DRF's views are given; any field the lookup did not select loads on first use there,
    as with QuerySet.only().
    """

    id: int
    user_id: int | None
    application_id: int | None
    expires: datetime
    scope: str
    resource: list
    _: KW_ONLY  # the token's columns above, in the lookup's order; what is made of the row below
    user: FoundUser | None
    _row: list
    _alias: str

    is_expired = AccessToken.is_expired
    allow_scopes = AccessToken.allow_scopes
    is_valid = AccessToken.is_valid
    allows_audience = AccessToken.allows_audience

    @classmethod
    def from_row(cls, row, alias):
        """From the lookup's row, its values already converted, on the database `alias`."""
        values = row[:USER_START]
        user = FoundUser(*row[USER_START:]) if row[USER_START] is not None else None
        return cls(*values, user=user, _row=row, _alias=alias)

    @property
    def pk(self):
        return self.id

    def instances(self):
        """The user (or None) and the AccessToken, as `select_related("user")` would load them."""
        access_token = _instance(AccessToken, self._alias, TOKEN_SLOTS, self._row)
        access_token.user = _instance(User, self._alias, USER_SLOTS, self._row) if self.user is not None else None
        return access_token.user, access_token


def _slots(model, selected, offset):
    """
    The field names Model.from_db is given, its values with DEFERRED for every field not
    selected (what from_db would otherwise work out per call), and where each selected
    field's value sits in that list and in the row.
    """
    concrete = model._meta.concrete_fields
    positions = [(concrete.index(field), offset + i) for i, field in enumerate(selected)]
    return [field.attname for field in selected], [DEFERRED] * len(concrete), positions


def _instance(model, alias, slots, row):
    names, values, positions = slots
    values = values.copy()
    for position, index in positions:
        values[position] = row[index]
    return model.from_db(alias, names, values)


# The lookup's columns, in the row's order: FoundToken's fields of the token (those before its
# KW_ONLY marker), then FoundUser's.
TOKEN_MODEL_FIELDS = [AccessToken._meta.get_field(f.name) for f in fields(FoundToken) if not f.kw_only]
USER_MODEL_FIELDS = [User._meta.get_field(f.name) for f in fields(FoundUser)]
USER_START = len(TOKEN_MODEL_FIELDS)  # the row's index of the user's id (NULL for a token without a user)
TOKEN_SLOTS = _slots(AccessToken, TOKEN_MODEL_FIELDS, 0)
USER_SLOTS = _slots(User, USER_MODEL_FIELDS, USER_START)


class TokenQuery(NamedTuple):
    sql: str
    converters: list  # see column_converters()


@cache
def _token_query(alias):
    """The token-and-user lookup as SQL, built once from the models' metadata, and its row's converters."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = [f"t.{quote(f.column)}" for f in TOKEN_MODEL_FIELDS] + [f"u.{quote(f.column)}" for f in USER_MODEL_FIELDS]
    # Only quoted identifiers from model metadata are interpolated; the checksum is a parameter
    # (named: SQLite then maps it without the regular expression positional ones go through).
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(AccessToken._meta.db_table)} t "  # noqa: S608
        f"LEFT JOIN {quote(User._meta.db_table)} u "
        f"ON u.{quote(User._meta.pk.column)} = t.{quote(AccessToken._meta.get_field('user').column)} "
        f"WHERE t.{quote(AccessToken._meta.get_field('token_checksum').column)} = %(checksum)s"
    )
    return TokenQuery(sql, column_converters(connection, (*TOKEN_MODEL_FIELDS, *USER_MODEL_FIELDS)))


def _fetch_checked(connection, sql, params):
    """
    The first row of `sql`, with the query itself as the connection's health check: where
    CONN_HEALTH_CHECKS would send `SELECT 1` before the request's first query (one round trip
    on PostgreSQL), a query that fails on a dead connection is sent again, once, on a new one,
    so a database restart still costs no 500. `health_check_done` is private in Django
    (5.2, pinned); setting it is what skips the `SELECT 1`.
    """
    check_pending = (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    )
    if check_pending:
        connection.health_check_done = True
    try:
        return fetch_one(connection, sql, params)
    except (InterfaceError, OperationalError):
        if not check_pending:
            raise
    connection.close()  # the connection was dead: the next query opens a new one
    return fetch_one(connection, sql, params)


def find_token(token):
    """
    The FoundToken whose checksum matches `token`, with its user, or None.

    What `AccessToken.objects.select_related("user").get(token_checksum=…)` finds, with the
    SQL built once instead of per call: every API request runs this, and compiling the ORM
    query cost more than all the rest of GET /api/me. Values pass through the same database
    converters the ORM applies.
    """
    alias = router.db_for_read(AccessToken)
    connection = connections[alias]
    query = _token_query(alias)
    row = _fetch_checked(connection, query.sql, {"checksum": hashlib.sha256(token.encode()).hexdigest()})
    if row is None:
        return None
    return FoundToken.from_row(convert_row(connection, row, query.converters), alias)


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
        found = self.checked_token(request._request)
        return None if found is None else found.instances()

    def checked_token(self, request):
        """
        The request's checked bearer token as a FoundToken (None without an Authorization:
        Bearer header), from Django's HttpRequest, without the query-string check; a token that
        fails a check raises AuthenticationFailed. The outcome is remembered on the request:
        MeView's lean path checks the token before DRF's view runs, and a request it hands over
        to that view is not looked up a second time.
        """
        outcome = request.__dict__.get("_bearer_token_outcome", NOT_CHECKED)
        if outcome is NOT_CHECKED:
            try:
                outcome = self._check_bearer(request)
            except exceptions.AuthenticationFailed as error:
                outcome = error
            request._bearer_token_outcome = outcome
        if isinstance(outcome, exceptions.AuthenticationFailed):
            raise outcome
        return outcome

    def _check_bearer(self, request):
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":  # auth schemes are case-insensitive (RFC 9110 §11.1)
            return None
        token = token.strip()
        if not B64TOKEN.fullmatch(token):
            _fail(request, "invalid_token", "The Authorization header must be 'Bearer <token>'.")
        found = find_token(token)
        if found is None:
            _fail(request, "invalid_token", "The access token is invalid or has been revoked.")
        if found.is_expired():
            _fail(request, "invalid_token", "The access token has expired.")
        if found.resource and not found.allows_audience(request.build_absolute_uri(request.path)):
            _fail(request, "invalid_token", "The access token is not valid for this resource.")
        if found.user is not None and not found.user.is_active:
            _fail(request, "invalid_token", "The account is disabled.")
        return found
