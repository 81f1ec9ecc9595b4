"""
fetch_one (oauth/statements.py) sends a statement to the driver's cursor when nothing reads what
Django's cursor wrapper adds, and keeps the rest of what the wrapper does. These tests fail if
it loses any of that, on SQLite and on PostgreSQL.
"""

import contextlib
import threading

import django
import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.transaction import TransactionManagementError
from django.db.utils import IntegrityError
from django.test.utils import CaptureQueriesContext

from oauth import statements
from oauth.statements import fetch_one

pytestmark = pytest.mark.django_db


def test_pinned_django_version():
    # fetch_one keeps, by hand, the checks Django 5.2's _cursor and CursorWrapper._execute make.
    assert django.VERSION[:2] == (5, 2)


def test_takes_djangos_parameter_style_on_every_backend():
    assert fetch_one(connection, "SELECT %s, %s", [1, "two"]) == (1, "two")
    assert fetch_one(connection, "SELECT %(a)s", {"a": 3}) == (3,)
    assert fetch_one(connection, "SELECT %(a)s || %(b)s || %(a)s", {"a": "x", "b": "y"}) == ("xyx",)
    assert fetch_one(connection, "SELECT '100%%', %s", ["x"]) == ("100%", "x")
    assert fetch_one(connection, "SELECT 1 WHERE 1 = %s", [2]) is None


def test_without_a_query_log_it_goes_around_djangos_cursor(monkeypatch):
    connection.ensure_connection()
    used = lambda *args, **kwargs: pytest.fail("Django's cursor wrapper was used")  # noqa: E731
    monkeypatch.setattr(connection, "cursor", used)
    monkeypatch.setattr(connection, "make_cursor", used)
    monkeypatch.setattr(CursorWrapper, "execute", used)

    assert fetch_one(connection, "SELECT %s", [1]) == (1,)


@pytest.mark.parametrize("sql", ["SELECT %s", "SELECT * FROM no_such_table_here WHERE 1 = %s"])
def test_closes_its_cursor_whatever_happens(sql, monkeypatch):
    cursors = []
    dbapi_cursor = statements._dbapi_cursor

    def kept(*args, **kwargs):
        cursors.append(dbapi_cursor(*args, **kwargs))
        return cursors[-1]

    monkeypatch.setattr(statements, "_dbapi_cursor", kept)
    monkeypatch.setattr(statements, "_prepares", lambda connection: False)  # a cursor, not libpq
    with contextlib.suppress(DatabaseError):
        fetch_one(connection, sql, [1])

    assert len(cursors) == 1
    assert cursors[0].closed if connection.vendor == "postgresql" else _closed_sqlite_cursor(cursors[0])


def _closed_sqlite_cursor(cursor):
    try:
        cursor.fetchone()
    except connection.Database.ProgrammingError as error:
        return "closed cursor" in str(error)
    return False


def test_refuses_a_connection_from_another_thread():
    this_threads = connections["default"]  # `connection` would give the other thread its own
    raised = []

    def other_thread():
        try:
            fetch_one(this_threads, "SELECT 1", [])
        except DatabaseError as error:
            raised.append(error)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert raised and "same thread" in str(raised[0])


@pytest.mark.django_db(transaction=True)  # a connection in a test's transaction is never closed
def test_a_failed_health_check_gets_a_new_connection(monkeypatch):
    connection.ensure_connection()
    before = connection.connection
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    connection.health_check_enabled, connection.health_check_done = True, False

    assert fetch_one(connection, "SELECT %s", [1]) == (1,)
    assert connection.connection is not before


def test_with_a_query_log_it_is_logged_like_any_query():
    with CaptureQueriesContext(connection) as queries:
        assert fetch_one(connection, "SELECT %s", [7]) == (7,)

    assert len(queries) == 1
    assert "7" in queries[0]["sql"]


def test_execute_wrappers_still_see_it():
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert fetch_one(connection, "SELECT %s", [1]) == (1,)

    assert seen == ["SELECT %s"]


def test_errors_are_djangos():
    with pytest.raises(DatabaseError) as raised:
        fetch_one(connection, "SELECT * FROM no_such_table_here", [])

    assert type(raised.value).__module__ == "django.db.utils"


def test_a_broken_transaction_is_refused_as_djangos_cursor_refuses_it(django_user_model):
    user = django_user_model.objects.create_user("a@example.com", "pw-pw-pw-pw-pw-1")
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            django_user_model.objects.create(email=user.email)
        with pytest.raises(TransactionManagementError):
            fetch_one(connection, "SELECT %s", [1])
