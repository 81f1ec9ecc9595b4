"""GET /api/me's token query is also the connection's health check (CONN_HEALTH_CHECKS)."""

import pytest
from django.db import connection

from conftest import bearer


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's health check sends nothing")
@pytest.mark.django_db(transaction=True)
def test_a_dead_connection_costs_no_500_and_no_select_1(client, login, user, monkeypatch):
    token = login(user)["access_token"]
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append("SELECT 1") or True)
    connection.ensure_connection()
    connection.connection.close()  # the database restarted under a persistent connection
    connection.health_check_enabled, connection.health_check_done = True, False  # the next request's first query

    response = client.get("/api/me", **bearer(token))

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["email"] == user.email
    assert checks == []  # the token query was the check


@pytest.mark.django_db(transaction=True)
def test_a_live_connection_is_checked_by_the_token_query_alone(client, login, user, monkeypatch):
    token = login(user)["access_token"]
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append("SELECT 1") or True)
    connection.ensure_connection()
    connection.health_check_enabled, connection.health_check_done = True, False

    assert client.get("/api/me", **bearer(token)).status_code == 200
    assert checks == []
    assert connection.health_check_done
