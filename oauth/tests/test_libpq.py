"""
On PostgreSQL, fetch_one sends a hot read to libpq itself (oauth/libpq.py) outside a transaction.
These tests hold it to what a psycopg cursor would give, and to Django's errors and recovery.
"""

import datetime

import psycopg
import pytest
from django.db import DataError, OperationalError, ProgrammingError, connection, transaction

from api.authentication import find_token
from oauth import statements
from oauth.statements import fetch_one

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="libpq is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # autocommit, as a request runs: no test transaction
    pytest.mark.usefixtures("fresh_session"),
]

EVERY_KIND = "SELECT %s::int, %s, %s::boolean, NULL::text, %s::timestamptz, %s::jsonb, %s::bigint, %s::timestamptz"
EVERY_KIND_PARAMS = ["42", "text", "t", "2026-01-02 03:04:05.678+01", '{"a": [1]}', "7", "2026-01-02 03:04:05+00"]


@pytest.fixture
def prepared_here(prepared_statements):
    """A function that reads the names of the statements oauth/libpq.py has prepared in this session."""
    return lambda: [name for name in prepared_statements() if name.startswith("authsite_")]


@pytest.fixture
def no_cursor(monkeypatch):
    """No cursor is used, Django's or psycopg's: the statement went to libpq."""
    connection.ensure_connection()
    used = lambda *args, **kwargs: pytest.fail("a cursor was used")  # noqa: E731
    monkeypatch.setattr(statements, "_dbapi_cursor", used)  # fetch_one's cursors, server-binding ones included
    monkeypatch.setattr(connection, "cursor", used)
    monkeypatch.setattr(connection.connection, "cursor", used)


def test_rows_are_loaded_as_a_psycopg_cursor_loads_them(prepared_here):
    with transaction.atomic():  # inside a transaction: the cursor's path
        through_a_cursor = fetch_one(connection, EVERY_KIND, EVERY_KIND_PARAMS)
    assert prepared_here() == []

    through_libpq = fetch_one(connection, EVERY_KIND, EVERY_KIND_PARAMS)

    assert len(prepared_here()) == 1
    assert through_libpq == through_a_cursor
    assert [type(value) for value in through_libpq] == [type(value) for value in through_a_cursor]
    moment = through_libpq[4]
    assert moment == datetime.datetime(2026, 1, 2, 2, 4, 5, 678000, tzinfo=datetime.UTC)
    assert moment.tzinfo == connection.timezone
    assert moment.utcoffset() == through_a_cursor[4].utcoffset()
    assert through_libpq[5] == '{"a": [1]}'  # jsonb as text, which Django's JSONField then parses


@pytest.mark.parametrize("value", ["infinity", "0044-03-15 12:00:00+00 BC"])
def test_a_time_iso_8601_does_not_cover_goes_to_djangos_loader(value):
    with transaction.atomic(), pytest.raises(DataError) as through_a_cursor:
        fetch_one(connection, "SELECT %s::timestamptz", [value])

    with pytest.raises(DataError) as through_libpq:
        fetch_one(connection, "SELECT %s::timestamptz", [value])

    assert str(through_libpq.value) == str(through_a_cursor.value)


def test_goes_to_libpq_outside_a_transaction(no_cursor):
    assert fetch_one(connection, "SELECT %s", ["x"]) == ("x",)


def test_takes_djangos_parameter_styles(no_cursor):
    assert fetch_one(connection, "SELECT %(a)s || %(b)s || %(a)s", {"a": "x", "b": "y"}) == ("xyx",)
    assert fetch_one(connection, "SELECT 'a%%b' || %s, %s", ["c", "d"]) == ("a%bc", "d")
    assert fetch_one(connection, "SELECT 1 WHERE 'a' = %s", ["b"]) is None


def test_other_parameters_go_to_a_cursor(prepared_here):
    assert fetch_one(connection, "SELECT %s", [1]) == (1,)  # an int, typed as psycopg types it
    assert prepared_here() == []


def test_a_nul_is_refused_as_psycopg_refuses_it(no_cursor):
    # libpq would end the parameter at the NUL: "a\x00b" would be sent as "a".
    with pytest.raises(DataError, match="NUL"):
        fetch_one(connection, "SELECT 1 WHERE %s = 'a'", ["a\x00b"])


def test_errors_are_djangos_and_leave_the_connection_usable(no_cursor):
    with pytest.raises(ProgrammingError) as raised:
        fetch_one(connection, "SELECT * FROM no_such_table_here WHERE 1 = %s", ["1"])

    assert isinstance(raised.value.__cause__, psycopg.errors.UndefinedTable)
    assert raised.value.__cause__.diag.sqlstate == "42P01"  # psycopg's own error, with its diagnostics
    assert fetch_one(connection, "SELECT %s", ["still here"]) == ("still here",)


def test_a_statement_whose_first_run_failed_runs_again(prepared_here):
    """Prepared, then refused at its first run: it stays prepared, and the next run uses it."""
    with pytest.raises(DataError):
        fetch_one(connection, "SELECT %s::int", ["not a number"])
    assert len(prepared_here()) == 1

    assert fetch_one(connection, "SELECT %s::int", ["7"]) == (7,)
    assert len(prepared_here()) == 1


def test_a_statement_deallocated_since_is_prepared_again(prepared_here):
    assert fetch_one(connection, "SELECT %s", ["x"]) == ("x",)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what psycopg sends after a ROLLBACK or a DROP
    assert prepared_here() == []

    assert fetch_one(connection, "SELECT %s", ["y"]) == ("y",)
    assert len(prepared_here()) == 1


def test_a_new_connection_prepares_again(prepared_here):
    fetch_one(connection, "SELECT %s", ["x"])
    connection.close()

    assert fetch_one(connection, "SELECT %s", ["y"]) == ("y",)
    assert len(prepared_here()) == 1


@pytest.fixture
def closed_after():
    """The test kills its connection: Django drops it before the test database is flushed."""
    yield
    connection.close()


def test_a_dead_connection_is_djangos_operational_error(closed_after):
    fetch_one(connection, "SELECT %s", ["x"])
    terminate(connection.connection.info.backend_pid)

    with pytest.raises(OperationalError):
        fetch_one(connection, "SELECT %s", ["y"])


def test_the_token_lookup_survives_a_dead_connection(login, user):
    """Its query is the request's health check (api.authentication._fetch_checked): one retry, on a new connection."""
    token = login(user)["access_token"]
    assert find_token(token) is not None
    terminate(connection.connection.info.backend_pid)
    connection.health_check_enabled, connection.health_check_done = True, False  # as at a request's start

    found = find_token(token)

    assert found is not None and found.user.email == user.email


def terminate(pid):
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
