import hashlib
import re
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from rest_framework import exceptions

AccessToken = get_access_token_model()
User = get_user_model()

B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 6750 §2.1: no other token reaches the database


class TokenInQueryString(exceptions.APIException):
    status_code = 400
    default_detail = "Access tokens are not accepted in the query string; send an Authorization: Bearer header."
    default_code = "invalid_request"


# What a request needs of the token (DOT's validity checks) and of its user (permissions and
# the /api/me document); any other field loads on first use, as with QuerySet.only().
TOKEN_FIELDS = ("id", "user", "application", "expires", "scope", "resource")
USER_FIELDS = ("id", "email", "first_name", "last_name", "date_joined", "is_active", "is_staff", "is_superuser")


@cache
def _token_query(alias):
    """The token-and-user lookup as SQL, plus each column's converters, built once from the models' metadata."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    # In the models' own field order, which Model.from_db expects of a partial row.
    token_fields = [f for f in AccessToken._meta.concrete_fields if f.name in TOKEN_FIELDS]
    user_fields = [f for f in User._meta.concrete_fields if f.name in USER_FIELDS]
    columns = [f"t.{quote(f.column)}" for f in token_fields] + [f"u.{quote(f.column)}" for f in user_fields]
    # Only quoted identifiers from model metadata are interpolated; the checksum is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(AccessToken._meta.db_table)} t "  # noqa: S608
        f"LEFT JOIN {quote(User._meta.db_table)} u "
        f"ON u.{quote(User._meta.pk.column)} = t.{quote(AccessToken._meta.get_field('user').column)} "
        f"WHERE t.{quote(AccessToken._meta.get_field('token_checksum').column)} = %s"
    )
    converters = [
        (f.cached_col, connection.ops.get_db_converters(f.cached_col) + f.cached_col.get_db_converters(connection))
        for f in (*token_fields, *user_fields)
    ]
    return sql, [f.attname for f in token_fields], [f.attname for f in user_fields], converters


def access_token_with_user(token):
    """
    The AccessToken whose checksum matches `token`, with its user already attached, or None.

    What `AccessToken.objects.select_related("user").get(token_checksum=…)` returns, with
    the SQL built once instead of per call: every API request runs this, and compiling the
    ORM query cost more than all the rest of GET /api/me. Values pass through the same
    database converters the ORM applies.
    """
    alias = router.db_for_read(AccessToken)
    connection = connections[alias]
    sql, token_names, user_names, converters = _token_query(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [hashlib.sha256(token.encode()).hexdigest()])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, column_converters) in zip(row, converters, strict=True):
        for converter in column_converters:
            value = converter(value, column, connection)
        values.append(value)
    access_token = AccessToken.from_db(alias, token_names, values[: len(token_names)])
    user_values = values[len(token_names) :]
    access_token.user = User.from_db(alias, user_names, user_values) if user_values[0] is not None else None
    return access_token


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
        if not B64TOKEN.fullmatch(token):
            _fail(request, "invalid_token", "The Authorization header must be 'Bearer <token>'.")
        access_token = access_token_with_user(token)
        if access_token is None:
            _fail(request, "invalid_token", "The access token is invalid or has been revoked.")
        if access_token.is_expired():
            _fail(request, "invalid_token", "The access token has expired.")
        if access_token.resource and not access_token.allows_audience(request.build_absolute_uri(request.path)):
            _fail(request, "invalid_token", "The access token is not valid for this resource.")
        user = access_token.user
        if user is not None and not user.is_active:
            _fail(request, "invalid_token", "The account is disabled.")
        return user, access_token
