"""
The cursor the hot paths send their hand-built statements through: the bearer-token lookup
(api.authentication), the refresh grant (oauth/refresh.py) and introspection
(oauth/introspection.py).

On PostgreSQL, planning such a statement costs more than running it (0.15 to 0.37 ms against
0.03 to 0.07 ms for the token lookup, measured with EXPLAIN ANALYZE). Django's psycopg cursors bind
parameters on the client, and those are never prepared. Here the hot statements go through a
cursor that binds on the server, so psycopg prepares each of them once per connection and sends
only its name and parameters afterwards. Django's `OPTIONS["prepare_threshold"]` (set from
DATABASE_PREPARED_STATEMENTS in the settings) decides whether psycopg prepares at all; every other
query keeps Django's client-side binding.

Elsewhere (SQLite, or with prepared statements off) it is Django's own cursor. Either way the
cursor is Django's wrapper: errors are Django's, and the statements are logged and counted like
any other query.
"""

from functools import cache


def hot_cursor(connection):
    """A cursor on `connection` for the hot paths' statements: server-bound and prepared where it pays."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return connection.cursor()
    return _server_bound_cursor(connection)


def _server_bound_cursor(connection):
    """
    What `connection.cursor()` does (Django 5.2's `_cursor` and `create_cursor`, pinned), with
    the backend's own server-binding cursor class, the one `OPTIONS["server_side_binding"]`
    would make every cursor.
    """
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    connection.validate_thread_sharing()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
        tzloader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != tzloader.timezone:
            register_tzloader(connection.timezone, cursor)
        return _logged(cursor, connection) if connection.queries_logged else connection.make_cursor(cursor)


def _logged(cursor, connection):
    return _debug_wrapper()(cursor, connection)


@cache
def _debug_wrapper():
    """
    The backend's debug wrapper (DEBUG, and the tests' query counts), changed to log each statement
    as Django does when every cursor binds on the server (`compose_sql`): with client-side binding
    off by default it would read the text from psycopg's client-side query, which a server-bound
    cursor does not keep, and log None.
    """
    from django.db.backends.postgresql.base import CursorDebugWrapper
    from django.db.backends.utils import CursorWrapper

    class ServerBoundDebugWrapper(CursorDebugWrapper):
        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)

    return ServerBoundDebugWrapper
