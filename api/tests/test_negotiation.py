"""JSON:API 1.0 content negotiation: the 415 and 406 rules for media type parameters, on /api/me and /api/users."""

import json

import pytest

from conftest import bearer

pytestmark = pytest.mark.django_db

JSON_API = "application/vnd.api+json"


@pytest.fixture
def auth(login, user):
    return bearer(login(user)["access_token"])


def rename(client, auth, user, content_type):
    body = {"data": {"type": "users", "id": str(user.pk), "attributes": {"first-name": "Renamed"}}}
    return client.patch("/api/me", json.dumps(body), content_type=content_type, **auth)


@pytest.mark.parametrize("content_type", [f"{JSON_API}; charset=utf-8", f'{JSON_API}; ext="bulk"', f"{JSON_API};v=1"])
def test_a_json_api_body_with_media_type_parameters_is_415(client, auth, user, content_type):
    response = rename(client, auth, user, content_type)

    assert response.status_code == 415
    assert response["Content-Type"] == JSON_API
    assert response.json()["errors"][0]["status"] == "415"
    user.refresh_from_db()
    assert user.first_name == "Alice"


def test_a_json_api_body_without_parameters_is_accepted(client, auth, user):
    response = rename(client, auth, user, JSON_API)

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.first_name == "Renamed"


@pytest.mark.parametrize("path", ["/api/me", "/api/users"])
@pytest.mark.parametrize("accept", [f"{JSON_API}; ext=bulk", f'{JSON_API};profile="x", {JSON_API}; v=1;q=0.5'])
def test_an_accept_whose_every_json_api_type_has_parameters_is_406(client, auth, path, accept):
    response = client.get(path, HTTP_ACCEPT=accept, **auth)

    assert response.status_code == 406
    assert response["Content-Type"] == JSON_API
    assert response.json()["errors"][0]["status"] == "406"


def test_the_406_comes_before_authentication(client):
    response = client.get("/api/me", HTTP_ACCEPT=f"{JSON_API}; ext=bulk")

    assert response.status_code == 406


@pytest.mark.parametrize(
    "accept",
    [
        JSON_API,
        f"{JSON_API}; ext=bulk, {JSON_API}",  # one instance without parameters is enough
        f"{JSON_API};q=0.9",  # a weight is not a media type parameter
        "application/json",  # no JSON:API media type asked for: nothing to refuse
        "*/*",
        "",
    ],
)
@pytest.mark.parametrize("path", ["/api/me", "/api/users"])
def test_acceptable_accept_headers_get_the_document(client, auth, path, accept):
    response = client.get(path, HTTP_ACCEPT=accept, **auth)

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_API
    assert "data" in response.json()
