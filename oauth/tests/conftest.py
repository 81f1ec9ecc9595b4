"""Fixtures of the tests of PostgreSQL's prepared statements (test_statements.py, test_libpq.py)."""

import pytest
from django.db import connection


@pytest.fixture
def fresh_session(transactional_db):
    """A new database session, which has prepared nothing yet."""
    connection.close()


@pytest.fixture
def prepared_statements():
    """A function that reads what this connection's session has prepared: {name: statement text}."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, statement FROM pg_prepared_statements")
            return dict(cursor.fetchall())

    return read
