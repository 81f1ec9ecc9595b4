"""
The cursor the hot paths send their hand-built statements through, and the ORM's converters
for the rows they read: the bearer-token lookup (api.authentication), the refresh grant
(oauth/refresh.py) and introspection (oauth/introspection.py).

On PostgreSQL, planning such a statement costs more than running it (0.15 to 0.37 ms against
0.03 to 0.07 ms for the token lookup, measured with EXPLAIN ANALYZE). Django's psycopg cursors bind
parameters on the client, and those are never prepared. Here the hot statements go through a
cursor that binds on the server, so psycopg prepares each of them once per connection and sends
only its name and parameters afterwards. Django's `OPTIONS["prepare_threshold"]` (set from
DATABASE_PREPARED_STATEMENTS in the settings) decides whether psycopg prepares at all; every other
query keeps Django's client-side binding.

Elsewhere (SQLite, or with prepared statements off) it is Django's own cursor. Either way
`hot_cursor` gives Django's wrapper: errors are Django's, and the statements are logged and
counted like any other query.

A statement that reads one row goes through `fetch_one`, which steps around that wrapper when
neither the query log (DEBUG, the tests' query counts) nor an execute_wrapper is on: a tool
that hooks Django's CursorWrapper or connection.cursor() itself does not see those reads. On
PostgreSQL it then steps around psycopg's cursor too, to libpq (oauth/libpq.py).
"""

import contextlib
from collections.abc import Mapping
from functools import cache


def hot_cursor(connection):
    """A cursor on `connection` for the hot paths' statements: server-bound and prepared where it pays."""
    if not _prepares(connection):
        return connection.cursor()
    # What `connection.cursor()` does (Django 5.2's `_cursor`, pinned), with _dbapi_cursor's cursor.
    _connect_checked(connection)
    with connection.wrap_database_errors:
        cursor = _dbapi_cursor(connection)
        if connection.queries_logged:
            return _postgresql().ServerBoundDebugWrapper(cursor, connection)
        return connection.make_cursor(cursor)


def fetch_one(connection, sql, params):
    """
    The first row `sql` returns, as hot_cursor would fetch it. Where nothing reads what Django's
    cursor wrapper adds (the query log of DEBUG and of the tests' query counts, execute_wrappers),
    the statement goes to the database driver directly: the wrapper's layers cost more than the
    token lookup's own query on SQLite. Where statements are prepared, that is libpq itself
    (oauth/libpq.py), as psycopg's cursor costs more again. What remains of Django's layers is
    kept: the thread and broken-transaction checks, the health check, and Django's database errors.
    """
    if connection.queries_logged or connection.execute_wrappers:
        with hot_cursor(connection) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    _connect_checked(connection)
    connection.validate_no_broken_transaction()
    cursor = None
    with connection.wrap_database_errors:
        if _prepares(connection) and (libpq := _postgresql().libpq).can_send(connection, params):
            return libpq.fetch_one(connection, sql, params)
        try:
            cursor = _dbapi_cursor(connection)
            cursor.execute(_driver_sql(connection, sql, params), params)
            return cursor.fetchone()
        finally:
            # As CursorWrapper.__exit__: a failure to close never hides the statement's own error.
            if cursor is not None:
                with contextlib.suppress(connection.Database.Error):
                    cursor.close()


def column_converters(connection, fields):
    """
    What the ORM does to the values of `fields` on their way out of the database (as Django's
    SQLCompiler.get_converters), for a row of those fields in that order: (index, function,
    column) for each function, a value's in the order they apply. convert_row() applies them.
    """
    converters = []
    for index, field in enumerate(fields):
        column = field.cached_col
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters += [(index, function, column) for function in functions]
    return converters


def convert_row(connection, row, converters):
    """`row` as a list, its values converted as the ORM's apply_converters does."""
    row = list(row)
    for index, function, column in converters:
        row[index] = function(row[index], column, connection)
    return row


def _connect_checked(connection):
    """The checks Django's `_cursor` makes before it opens a cursor, and the connection itself."""
    connection.validate_thread_sharing()
    connection.close_if_health_check_failed()
    connection.ensure_connection()


def _prepares(connection):
    """Whether psycopg prepares statements on `connection` (DATABASE_PREPARED_STATEMENTS, in the settings)."""
    options = connection.settings_dict["OPTIONS"]
    return connection.vendor == "postgresql" and options.get("prepare_threshold") is not None


def _dbapi_cursor(connection):
    """
    The driver's cursor Django's would wrap: on SQLite, sqlite3's own, for a statement that
    _driver_sql() converted; elsewhere the backend's (`create_cursor`, which takes Django's
    parameter style), or where statements are prepared, what `create_cursor` makes (Django 5.2,
    pinned) with the backend's server-binding cursor class, the one
    `OPTIONS["server_side_binding"]` would make every cursor.
    """
    if connection.vendor == "sqlite":
        return connection.connection.cursor()
    if not _prepares(connection):
        return connection.create_cursor()
    postgresql = _postgresql()
    cursor = postgresql.ServerBindingCursor(connection.connection)
    tzloader = connection.connection.adapters.get_loader(postgresql.TIMESTAMPTZ_OID, postgresql.Format.TEXT)
    if connection.timezone != tzloader.timezone:
        postgresql.register_tzloader(connection.timezone, cursor)
    return cursor


def _driver_sql(connection, sql, params):
    """`sql` in the parameter style of _dbapi_cursor()'s cursor."""
    if connection.vendor != "sqlite":
        return sql
    return _sqlite_sql(sql, tuple(params) if isinstance(params, Mapping) else None)


@cache
def _sqlite_sql(sql, param_names):
    """
    `sql` in sqlite3's parameter style, converted once, by what Django's SQLite cursor runs on
    every statement (its convert_query, which reads nothing of its cursor: Django 5.2, pinned).
    """
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    return SQLiteCursorWrapper.convert_query(None, sql, param_names=param_names)


@cache
def _postgresql():
    """The PostgreSQL backend's parts used above, imported once (and only where PostgreSQL is used)."""
    from types import SimpleNamespace

    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from django.db.backends.utils import CursorWrapper
    from psycopg.pq import Format

    from . import libpq

    class ServerBoundDebugWrapper(CursorDebugWrapper):
        """
        The backend's debug wrapper (DEBUG, and the tests' query counts), changed to log each
        statement as Django does when every cursor binds on the server (`compose_sql`): with
        client-side binding the default, it would read the text from psycopg's client-side query,
        which a server-bound cursor does not keep, and log None.
        """

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)

    return SimpleNamespace(
        TIMESTAMPTZ_OID=TIMESTAMPTZ_OID,
        Format=Format,
        libpq=libpq,
        ServerBindingCursor=ServerBindingCursor,
        ServerBoundDebugWrapper=ServerBoundDebugWrapper,
        register_tzloader=register_tzloader,
    )
