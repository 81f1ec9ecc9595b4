"""
The hot reads on PostgreSQL, sent to libpq itself: oauth.statements.fetch_one's path when
statements are prepared and nothing reads Django's query log.

psycopg's cursor spends about 60 µs of Python on each statement (query conversion, its
prepared-statement cache, result handling) on top of the round trip; `PGconn.exec_prepared`,
psycopg's documented low-level interface to libpq, adds a few. Measured in-process, the bearer
token lookup took 124 µs of CPU through the cursor and 67 µs through libpq.

Here each statement is prepared under a name of its own on each connection, the first time it is
used there, and its row is loaded with the connection's own loaders (those Django registered
included), which give what a psycopg cursor gives.

Two cases go through a cursor instead (`can_send`):
- inside a transaction, or with autocommit off. psycopg deallocates every prepared statement
  after a ROLLBACK, DROP, ALTER, DISCARD ALL or DEALLOCATE ALL (it sends DEALLOCATE ALL), and a
  statement found missing is prepared again and sent again, which only works outside a
  transaction: in one the failure would have aborted it.
- a parameter other than text. Text is sent untyped, as psycopg sends a str, and PostgreSQL
  infers its type from the statement.

Only fixed statements come here (oauth.statements' hot reads): each is prepared, and kept, on
every connection that runs it.
"""

import hashlib
import re
import weakref
from collections.abc import Mapping
from datetime import datetime
from functools import cache

import psycopg
from psycopg import errors, pq

TIMESTAMPTZ_OID = 1184
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")  # Django's parameter styles, and an escaped %
RESULT_OK = frozenset([pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK])

# For each psycopg connection: its prepared statements' names, with the loaders of their columns.
_prepared = weakref.WeakKeyDictionary()


class Statement:
    """`sql`, in Django's parameter style, as libpq takes it: a name, its text with $n, and the key of each $n."""

    __slots__ = ("keys", "name", "text")

    def __init__(self, sql):
        self.name = f"authsite_{hashlib.sha256(sql.encode()).hexdigest()[:32]}".encode()
        self.keys = []  # a parameter's name (%(name)s) or position (%s), for each of $1, $2, …
        positions = iter(range(sql.count("%s")))

        def numbered(match):
            if match[0] == "%%":
                return "%"
            key = next(positions) if match[1] is None else match[1]
            if key not in self.keys:
                self.keys.append(key)
            return f"${self.keys.index(key) + 1}"

        self.text = PLACEHOLDER.sub(numbered, sql).encode()


@cache
def statement(sql):
    return Statement(sql)


def can_send(connection, params):
    """Whether fetch_one() can send a statement with `params` on Django's open `connection` now."""
    values = params.values() if isinstance(params, Mapping) else params or ()
    database = connection.connection
    # Not in autocommit, psycopg would have begun a transaction before the statement.
    outside = database.autocommit and database.pgconn.transaction_status == pq.TransactionStatus.IDLE
    return outside and all(type(value) is str for value in values)


def fetch_one(connection, sql, params):
    """
    The first row of `sql` (Django's parameter style, text parameters) as a tuple, or None,
    on Django's open `connection`. Errors are psycopg's, for Django's wrap_database_errors.
    """
    stmt = statement(sql)
    values = [_text(params[key]) for key in stmt.keys]
    database = connection.connection
    pgconn = database.pgconn
    prepared = _prepared.setdefault(database, {})  # name: its columns' loaders, None until it has run
    if stmt.name not in prepared:
        _prepare(connection, stmt, prepared)
    result = pgconn.exec_prepared(stmt.name, values)
    if result.status not in RESULT_OK and _sqlstate(result) == errors.InvalidSqlStatementName.sqlstate:
        # Deallocated since (psycopg's DEALLOCATE ALL, a DISCARD ALL): prepared again, sent again.
        _prepare(connection, stmt, prepared)
        result = pgconn.exec_prepared(stmt.name, values)
    _check(connection, result)
    loaders = prepared[stmt.name]
    if loaders is None:
        loaders = prepared[stmt.name] = _loaders(connection, result)
    if not result.ntuples:
        return None
    return tuple(
        None if (value := result.get_value(0, column)) is None else load(value) for column, load in enumerate(loaders)
    )


def _text(value):
    # libpq sends a text parameter as a C string: a NUL would end it early, so it is refused,
    # as psycopg refuses it.
    if "\x00" in value:
        raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return value.encode()


def _sqlstate(result):
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    return sqlstate.decode() if sqlstate else None


def _prepare(connection, stmt, prepared):
    """
    Prepare `stmt` on the connection and record it, its loaders to come. A statement that is
    there already (its first run failed after it was prepared, or the session outlived our
    record of it) counts as prepared: only a DEALLOCATE removes it, and that is handled above.
    """
    result = connection.connection.pgconn.prepare(stmt.name, stmt.text)
    if result.status not in RESULT_OK and _sqlstate(result) != errors.DuplicatePreparedStatement.sqlstate:
        _check(connection, result)
    prepared[stmt.name] = None


def _check(connection, result):
    """Raise what psycopg raises for a failed `result` (psycopg's own error_from_result; psycopg is pinned)."""
    if result.status in RESULT_OK:
        return
    pgconn = connection.connection.pgconn
    if pgconn.status == pq.ConnStatus.BAD:
        raise psycopg.OperationalError(pgconn.get_error_message())
    raise errors.error_from_result(result, encoding=connection.connection.info.encoding)


def _loaders(connection, result):
    """A function for each column of `result` that loads its text value, as a psycopg cursor would."""
    adapters = connection.connection.adapters
    loaders = []
    for column in range(result.nfields):
        oid = result.ftype(column)
        loader = adapters.get_loader(oid, pq.Format.TEXT) or adapters.get_loader(0, pq.Format.TEXT)
        load = loader(oid, connection.connection).load
        loaders.append(_timestamptz_loader(connection, load) if oid == TIMESTAMPTZ_OID else load)
    return loaders


def _timestamptz_loader(connection, load):
    """
    What Django's timestamptz loader gives (the time in connection.timezone, which is the
    session's, or naive without USE_TZ), from `datetime.fromisoformat`: Django's loader parses in
    Python and costs 7 µs a value. Anything ISO 8601 does not cover (a BC date, infinity, another
    DateStyle) goes to the registered loader.
    """

    def load_timestamptz(value):
        try:
            moment = datetime.fromisoformat(value.decode())
        except ValueError:
            return load(value)
        timezone = connection.timezone
        return moment.replace(tzinfo=None) if timezone is None else moment.astimezone(timezone)

    return load_timestamptz
