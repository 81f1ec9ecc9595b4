from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import bearer, stored_access_tokens

pytestmark = pytest.mark.django_db


def assert_invalid_token(response, description=None):
    assert response.status_code == 401
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="api"')
    assert 'error="invalid_token"' in challenge
    if description:
        assert description in challenge
    errors = response.json()["errors"]
    assert errors[0]["status"] == "401"


def test_no_token_is_401_with_a_bare_challenge(client):
    """RFC 6750 §3.1: a request without credentials gets no error code."""
    response = client.get("/api/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["errors"][0]["status"] == "401"


def test_unknown_token(client, ember_app):
    assert_invalid_token(client.get("/api/me", **bearer("not-a-token")), "invalid or has been revoked")


def test_expired_token(client, login, user):
    token = login(user)["access_token"]
    stored_access_tokens(token).update(expires=timezone.now() - timedelta(seconds=1))

    assert_invalid_token(client.get("/api/me", **bearer(token)), "expired")


def test_revoked_token(client, login, token_request, user):
    token = login(user)["access_token"]
    token_request("/oauth/revoke", token=token, client_id="ember-app")

    assert_invalid_token(client.get("/api/me", **bearer(token)))


def test_disabled_account(client, login, user):
    token = login(user)["access_token"]
    user.is_active = False
    user.save()

    assert_invalid_token(client.get("/api/me", **bearer(token)), "disabled")


def test_scheme_is_case_insensitive(client, login, user):
    token = login(user)["access_token"]

    assert client.get("/api/me", HTTP_AUTHORIZATION=f"bearer {token}").status_code == 200


def test_token_in_the_query_string_is_refused(client, login, user):
    token = login(user)["access_token"]

    response = client.get("/api/me", {"access_token": token})

    assert response.status_code == 400
    assert 'error="invalid_request"' in response["WWW-Authenticate"]
    assert "query string" in response.json()["errors"][0]["detail"]


def test_token_in_the_query_string_is_refused_even_with_a_header(client, login, user):
    token = login(user)["access_token"]

    response = client.get(f"/api/me?access_token={token}", **bearer(token))

    assert response.status_code == 400


def test_client_credentials_token_has_no_user_to_show(client, token_request, resource_server):
    from conftest import basic_auth

    token = token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    ).json()["access_token"]

    response = client.get("/api/me", **bearer(token))

    assert response.status_code == 403
    assert "errors" in response.json()


def test_token_lookup_matches_the_orm(login, user):
    from api.authentication import find_token

    token = login(user)["access_token"]

    found = find_token(token)
    orm = stored_access_tokens(token).select_related("user").get()
    fields = ("pk", "expires", "scope", "resource", "application_id", "user_id")
    assert [getattr(found, name) for name in fields] == [getattr(orm, name) for name in fields]
    user_fields = ("pk", "email", "first_name", "last_name", "date_joined", "is_active", "is_staff", "is_superuser")
    assert [getattr(found.user, name) for name in user_fields] == [getattr(orm.user, name) for name in user_fields]
    assert found.user.is_active is True  # the database's 1 converted, as the ORM converts it

    user_instance, access_token = found.instances()
    assert [getattr(access_token, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert user_instance == orm.user and access_token.user is user_instance
    assert (user_instance.email, user_instance.date_joined) == (user.email, user.date_joined)
    assert access_token.token_checksum == orm.token_checksum  # a field left out of the query still loads when asked for
    assert find_token("nope") is None


def test_token_lookup_of_a_token_without_a_user(token_request, resource_server):
    from api.authentication import find_token
    from conftest import basic_auth

    token = token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    ).json()["access_token"]

    found = find_token(token)
    orm = stored_access_tokens(token).get()
    fields = ("pk", "expires", "scope", "resource", "application_id", "user_id")
    assert [getattr(found, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert found.user is None and found.user_id is None
    user_instance, access_token = found.instances()
    assert user_instance is None and access_token.user is None
    assert [getattr(access_token, name) for name in fields] == [getattr(orm, name) for name in fields]


def test_any_accept_header_gets_json_api(client, login, user):
    token = login(user)["access_token"]

    response = client.get("/api/me", HTTP_ACCEPT="text/html", **bearer(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.api+json"


@pytest.mark.parametrize("query", ["", "?&"])  # the lean path, and DRF's
def test_a_token_for_another_resource_is_refused(client, login, user, query):
    token = login(user)["access_token"]
    stored_access_tokens(token).update(resource=["https://elsewhere.example.com/"])

    assert_invalid_token(client.get(f"/api/me{query}", **bearer(token)), "not valid for this resource")


@pytest.mark.parametrize("query", ["", "?&"])
def test_a_token_for_this_resource_is_accepted(client, login, user, query):
    token = login(user)["access_token"]
    stored_access_tokens(token).update(resource=["http://testserver/api/"])

    response = client.get(f"/api/me{query}", **bearer(token))

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["email"] == user.email
