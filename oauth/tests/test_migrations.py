"""Tokens issued while they were stored in plain text survive the move to hashed storage."""

import hashlib
import secrets
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import bearer, stored_access_tokens, stored_refresh_tokens

BEFORE = [("oauth", "0001_sealedreplacement")]


def migrate(targets):
    """Migrate to `targets`; the models as they were then, every other app at its latest."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in {app for app, _ in targets}]
    return executor.loader.project_state(others + targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_plain_tokens_and_nobody_is_signed_out(client, token_request, user, ember_app):
    old_apps = migrate(BEFORE)
    access_token_model = old_apps.get_model("oauth2_provider", "AccessToken")
    refresh_token_model = old_apps.get_model("oauth2_provider", "RefreshToken")
    access, refresh = secrets.token_urlsafe(30), secrets.token_urlsafe(30)
    # As DOT stored them with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE off: the value and its checksum.
    stored_access = access_token_model.objects.create(
        user_id=user.pk,
        application_id=ember_app.pk,
        token=access,
        token_checksum=hashlib.sha256(access.encode()).hexdigest(),
        expires=timezone.now() + timedelta(hours=1),
        scope="read write",
    )
    refresh_token_model.objects.create(
        user_id=user.pk,
        application_id=ember_app.pk,
        token=refresh,
        access_token=stored_access,
        token_family=uuid.uuid4(),
    )
    refresh_token_model.objects.update(token_checksum="")  # one without a checksum yet

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert stored_access_tokens(access).get().token == ""
    assert stored_refresh_tokens(refresh).get().token == ""
    assert client.get("/api/me", **bearer(access)).status_code == 200
    response = token_request(grant_type="refresh_token", refresh_token=refresh, client_id="ember-app")
    assert response.status_code == 200, response.content
    assert client.get("/api/me", **bearer(response.json()["access_token"])).status_code == 200
