"""The hot paths' statements are prepared once per connection on PostgreSQL (oauth/statements.py)."""

from urllib.parse import urlencode

import django
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import basic_auth, bearer

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")


def test_pinned_django_version():
    # oauth/statements.py copies what BaseDatabaseWrapper._cursor and the psycopg backend's create_cursor do.
    assert django.VERSION[:2] == (5, 2)


def test_the_token_lookup_is_prepared_once_and_still_counted(client, login, user, fresh_session, prepared_statements):
    token = login(user)["access_token"]

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/api/me", **bearer(token)).status_code == 200

    assert len(queries) == 3  # one query a request, logged like any other
    lookups = [statement for statement in prepared_statements().values() if "token_checksum" in statement]
    assert len(lookups) == 1
    assert "$1" in lookups[0]  # bound on the server


def test_the_token_lookup_is_prepared_without_a_query_log(client, login, user, fresh_session, prepared_statements):
    """As production runs it: fetch_one's own path, around Django's cursor wrapper, prepares too."""
    token = login(user)["access_token"]

    for _ in range(3):
        assert client.get("/api/me", **bearer(token)).status_code == 200

    lookups = [statement for statement in prepared_statements().values() if "token_checksum" in statement]
    assert len(lookups) == 1


def test_the_refresh_and_introspection_statements_are_prepared(
    client, login, token_request, user, resource_server, fresh_session, prepared_statements
):
    pair = login(user)
    refreshed = token_request(grant_type="refresh_token", refresh_token=pair["refresh_token"], client_id="ember-app")
    assert refreshed.status_code == 200, refreshed.content
    introspected = client.post(
        "/oauth/introspect",
        urlencode({"token": refreshed.json()["access_token"]}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=basic_auth(resource_server.application.client_id, resource_server.secret),
    )
    assert introspected.json()["active"] is True

    statements = prepared_statements().values()
    assert any(
        statement.startswith("UPDATE") and "oauth2_provider_refreshtoken" in statement for statement in statements
    )
    assert any(
        statement.startswith("INSERT") and "oauth2_provider_accesstoken" in statement for statement in statements
    )
    assert any("oauth2_provider_application" in statement and "token_checksum" in statement for statement in statements)


def test_with_prepared_statements_off_nothing_is_prepared(
    client, login, user, fresh_session, prepared_statements, monkeypatch
):
    token = login(user)["access_token"]
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)

    assert client.get("/api/me", **bearer(token)).status_code == 200
    assert prepared_statements() == {}
