import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from conftest import basic_auth, bearer, stored_access_tokens

pytestmark = pytest.mark.django_db


def test_revoking_the_access_token_ends_api_access(login, token_request, client, user):
    tokens = login(user)

    response = token_request(
        "/oauth/revoke", token=tokens["access_token"], token_type_hint="access_token", client_id="ember-app"
    )

    assert response.status_code == 200
    assert client.get("/api/me", **bearer(tokens["access_token"])).status_code == 401


def test_revoking_the_refresh_token_ends_refreshing(login, token_request, user):
    tokens = login(user)

    response = token_request(
        "/oauth/revoke",
        token=tokens["refresh_token"],
        token_type_hint="refresh_token",
        headers={"Authorization": basic_auth("ember-app")},
    )

    assert response.status_code == 200
    refresh = token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app")
    assert refresh.json()["error"] == "invalid_grant"


def test_logout_as_ember_simple_auth_does_it(login, token_request, client, user):
    """Two revocations, one per token type, each with the token and the client id."""
    tokens = login(user)

    for hint in ("access_token", "refresh_token"):
        response = token_request("/oauth/revoke", token=tokens[hint], token_type_hint=hint, client_id="ember-app")
        assert response.status_code == 200

    assert not AccessToken.objects.filter(user=user).exists()
    assert not RefreshToken.objects.filter(user=user, revoked__isnull=True).exists()


def test_a_client_cannot_revoke_another_clients_token(login, token_request, spa_app, user):
    tokens = login(user)

    response = token_request("/oauth/revoke", token=tokens["access_token"], client_id="other-spa")

    assert response.status_code == 200  # RFC 7009: no hint whether the token exists
    assert stored_access_tokens(tokens["access_token"]).exists()


def test_unknown_token_revocation_is_ok(token_request, ember_app):
    assert token_request("/oauth/revoke", token="nope", client_id="ember-app").status_code == 200


def test_revocation_without_a_client_is_invalid_client(login, token_request, user):
    tokens = login(user)

    response = token_request("/oauth/revoke", token=tokens["access_token"])

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert stored_access_tokens(tokens["access_token"]).exists()


def introspect(token_request, token, **headers):
    return token_request("/oauth/introspect", token=token, headers=headers)


def test_resource_server_introspects_with_its_credentials(login, token_request, resource_server, user):
    tokens = login(user)

    response = introspect(
        token_request, tokens["access_token"], Authorization=basic_auth("resource-server", resource_server.secret)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["active"] is True
    assert body["username"] == "alice@example.com"
    assert body["client_id"] == "ember-app"
    assert body["scope"] == "read write"


def test_introspecting_a_revoked_token_says_inactive(login, token_request, resource_server, user):
    tokens = login(user)
    token_request("/oauth/revoke", token=tokens["access_token"], client_id="ember-app")

    response = introspect(
        token_request, tokens["access_token"], Authorization=basic_auth("resource-server", resource_server.secret)
    )

    assert response.json() == {"active": False}


def test_resource_server_introspects_with_an_introspection_token(login, token_request, resource_server, user):
    tokens = login(user)
    grant = token_request(
        grant_type="client_credentials",
        scope="introspection",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    )
    assert grant.status_code == 200
    assert grant.json()["scope"] == "introspection"

    response = introspect(token_request, tokens["access_token"], Authorization=f"Bearer {grant.json()['access_token']}")

    assert response.status_code == 200
    assert response.json()["active"] is True


@pytest.mark.parametrize("who", ["public", "public-basic", "confidential-web-app", "user-token", "nobody"])
def test_nobody_else_may_introspect(login, token_request, web_app, user, who):
    tokens = login(user)
    headers = {
        "public": {},
        "public-basic": {"Authorization": basic_auth("ember-app")},
        "confidential-web-app": {"Authorization": basic_auth("web-app", web_app.secret)},
        "user-token": {"Authorization": f"Bearer {tokens['access_token']}"},
        "nobody": {},
    }[who]
    data = {"client_id": "ember-app"} if who == "public" else {}

    response = token_request("/oauth/introspect", token=tokens["access_token"], headers=headers, **data)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "active" not in response.json()


def test_introspection_by_get_is_refused(client, login, resource_server, user):
    tokens = login(user)

    response = client.get(
        "/oauth/introspect",
        {"token": tokens["access_token"]},
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    )

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"] == "invalid_request"


def test_client_credentials_default_scopes_exclude_introspection_for_no_one_else(token_request, resource_server):
    response = token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    )

    assert response.status_code == 200
    assert response.json()["scope"] == "read write"
    assert "refresh_token" not in response.json()
