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
    postgresql = _postgresql()
    connection.validate_thread_sharing()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = postgresql.ServerBindingCursor(connection.connection)
        tzloader = connection.connection.adapters.get_loader(postgresql.TIMESTAMPTZ_OID, postgresql.Format.TEXT)
        if connection.timezone != tzloader.timezone:
            postgresql.register_tzloader(connection.timezone, cursor)
        if connection.queries_logged:
            return postgresql.ServerBoundDebugWrapper(cursor, connection)
        return connection.make_cursor(cursor)


@cache
def _postgresql():
    """The PostgreSQL backend's parts used above, imported once (and only where PostgreSQL is used)."""
    from types import SimpleNamespace

    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from django.db.backends.utils import CursorWrapper
    from psycopg.pq import Format

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
        ServerBindingCursor=ServerBindingCursor,
        ServerBoundDebugWrapper=ServerBoundDebugWrapper,
        register_tzloader=register_tzloader,
    )
