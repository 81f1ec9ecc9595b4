from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from conftest import basic_auth, bearer, stored_access_tokens, stored_refresh_tokens
from oauth.models import SealedReplacement

pytestmark = pytest.mark.django_db


@pytest.fixture
def refresh(token_request):
    def post(refresh_token, **extra):
        return token_request(grant_type="refresh_token", refresh_token=refresh_token, client_id="ember-app", **extra)

    return post


def age_refresh_token(refresh_token, seconds):
    """Make a refresh token `seconds` old, measured from when it was issued with its access token."""
    access_token = stored_refresh_tokens(refresh_token).get().access_token
    access_token.expires = timezone.now() - timedelta(seconds=seconds - settings.ACCESS_TOKEN_LIFETIME)
    access_token.save()


def test_refresh_rotates_both_tokens(login, refresh, user):
    first = login(user)

    response = refresh(first["refresh_token"])

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == "read write"
    assert stored_refresh_tokens(first["refresh_token"]).get().revoked is not None
    assert not stored_access_tokens(first["access_token"]).exists()


def test_refresh_with_basic_header_of_the_public_client(login, token_request, user):
    tokens = login(user)

    response = token_request(
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        headers={"Authorization": basic_auth("ember-app")},
    )

    assert response.status_code == 200


def test_refresh_cannot_widen_the_scope(login, refresh, user):
    tokens = login(user, scope="read")

    response = refresh(tokens["refresh_token"], scope="read write")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_replay_within_the_grace_period_returns_the_same_tokens(login, refresh, user):
    first = login(user)
    second = refresh(first["refresh_token"]).json()

    replay = refresh(first["refresh_token"])

    assert replay.status_code == 200
    assert replay.json()["access_token"] == second["access_token"]
    assert replay.json()["refresh_token"] == second["refresh_token"]


def test_replay_within_the_grace_period_stores_nothing_new(login, refresh, user):
    first = login(user)
    refresh(first["refresh_token"])
    counts = AccessToken.objects.count(), RefreshToken.objects.count()

    assert refresh(first["refresh_token"]).status_code == 200

    assert (AccessToken.objects.count(), RefreshToken.objects.count()) == counts


def test_replay_within_the_grace_period_after_the_other_tab_logged_out(login, refresh, token_request, client, user):
    first = login(user)
    second = refresh(first["refresh_token"]).json()
    token_request("/oauth/revoke", token=second["refresh_token"], client_id="ember-app")

    replay = refresh(first["refresh_token"])

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert client.get("/api/me", **bearer(second["access_token"])).status_code == 401


def test_a_revoked_refresh_token_gets_no_grace(login, refresh, token_request, user):
    tokens = login(user)
    token_request("/oauth/revoke", token=tokens["refresh_token"], client_id="ember-app")

    response = refresh(tokens["refresh_token"])

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_replay_within_the_grace_period_by_another_client(login, refresh, token_request, spa_app, user):
    first = login(user)
    refresh(first["refresh_token"])

    response = token_request(grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="other-spa")

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_grant", "unauthorized_client"}


def test_without_a_grace_period_a_replay_revokes_the_family(login, refresh, client, settings, user):
    settings.REFRESH_TOKEN_GRACE_PERIOD = 0
    first = login(user)
    second = refresh(first["refresh_token"]).json()

    replay = refresh(first["refresh_token"])

    assert replay.json()["error"] == "invalid_grant"
    assert client.get("/api/me", **bearer(second["access_token"])).status_code == 401


def test_replay_after_the_grace_period_revokes_the_whole_family(login, refresh, client, user):
    first = login(user)
    second = refresh(first["refresh_token"]).json()
    SealedReplacement.objects.update(expires=timezone.now())  # the grace period is over

    replay = refresh(first["refresh_token"])

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert client.get("/api/me", **bearer(second["access_token"])).status_code == 401
    assert refresh(second["refresh_token"]).json()["error"] == "invalid_grant"


def test_refresh_token_lives_twice_the_access_token(login, refresh, user):
    assert settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] == settings.ACCESS_TOKEN_LIFETIME == 3600
    assert settings.REFRESH_TOKEN_LIFETIME == 2 * settings.ACCESS_TOKEN_LIFETIME

    young = login(user)["refresh_token"]
    age_refresh_token(young, settings.REFRESH_TOKEN_LIFETIME - 60)
    assert refresh(young).status_code == 200

    old = login(user)["refresh_token"]
    age_refresh_token(old, settings.REFRESH_TOKEN_LIFETIME + 1)
    response = refresh(old)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_refresh_token_of_another_client_is_refused(login, token_request, spa_app, user):
    tokens = login(user)

    response = token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="other-spa")

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_grant", "unauthorized_client"}


def test_unknown_refresh_token(refresh, ember_app):
    response = refresh("not-a-token")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
