"""Token, revocation and introspection answers to the letter of RFC 6749 §5.1-5.2, RFC 7009 and RFC 7662."""

import pytest

from conftest import basic_auth, stored_access_tokens

pytestmark = pytest.mark.django_db

CLIENT_CHALLENGE = 'Basic realm="oauth"'


def assert_invalid_client(response):
    """RFC 6749 §5.2: 401, a challenge in the scheme clients authenticate with here, never cached."""
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CLIENT_CHALLENGE
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["error_description"]


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke"])
def test_a_wrong_basic_secret_is_challenged_with_basic(token_request, web_app, path):
    response = token_request(
        path,
        headers={"Authorization": basic_auth("web-app", "wrong")},
        grant_type="client_credentials",
        token="anything",
    )

    assert_invalid_client(response)


def test_an_unknown_client_in_basic_is_challenged_with_basic(token_request):
    response = token_request(headers={"Authorization": basic_auth("nobody", "secret")}, grant_type="client_credentials")

    assert_invalid_client(response)


def test_a_wrong_secret_in_the_body_gets_the_same_answer(token_request, web_app):
    response = token_request(
        client_id="web-app",
        client_secret="wrong",
        grant_type="authorization_code",
        code="x",
        redirect_uri="https://app.example.com/callback",
    )

    assert_invalid_client(response)


def test_introspection_keeps_its_own_invalid_client_description(token_request, resource_server):
    response = token_request(
        "/oauth/introspect", headers={"Authorization": basic_auth("resource-server", "wrong")}, token="x"
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CLIENT_CHALLENGE
    assert "resource server" in response.json()["error_description"]


def test_a_missing_grant_type_is_invalid_request(token_request, ember_app):
    response = token_request(client_id="ember-app")

    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == "invalid_request"


def test_expires_in_is_an_integer_on_issue_and_refresh(token_request, login, user):
    tokens = login(user)
    refreshed = token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app")

    assert refreshed.status_code == 200
    for answer in (tokens, refreshed.json()):
        assert type(answer["expires_in"]) is int
        assert answer["token_type"] == "Bearer"
    assert refreshed["Cache-Control"] == "no-store"


@pytest.mark.parametrize("hint", [None, "access_token", "refresh_token", "no_such_type"])
def test_revoking_an_unknown_token_is_200(token_request, ember_app, hint):
    data = {"client_id": "ember-app", "token": "no-such-token"}
    if hint:
        data["token_type_hint"] = hint

    response = token_request("/oauth/revoke", **data)

    assert response.status_code == 200  # RFC 7009 §2.2


def test_a_wrong_hint_does_not_stop_revocation(token_request, login, user):
    tokens = login(user)

    response = token_request(
        "/oauth/revoke", client_id="ember-app", token=tokens["access_token"], token_type_hint="refresh_token"
    )

    assert response.status_code == 200  # RFC 7009 §2.1: the search extends to every token type
    assert not stored_access_tokens(tokens["access_token"]).exists()


def test_introspecting_an_unknown_token_is_only_active_false(token_request, resource_server):
    response = token_request(
        "/oauth/introspect",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
        token="no-such-token",
    )

    assert response.status_code == 200
    assert response.json() == {"active": False}  # RFC 7662 §2.2


def test_introspecting_a_live_token_names_its_fields(token_request, login, user, resource_server):
    tokens = login(user)

    response = token_request(
        "/oauth/introspect",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
        token=tokens["access_token"],
    )

    body = response.json()
    assert body["active"] is True
    assert body["client_id"] == "ember-app"
    assert body["scope"] == tokens["scope"]
    assert type(body["exp"]) is int
