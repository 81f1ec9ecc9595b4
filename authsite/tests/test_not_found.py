"""Paths under /oauth/ and /api/ that match no route answer in their endpoint's own format, with DEBUG on and off."""

import pytest

JSON_API = "application/vnd.api+json"


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/oauth/tokens", "/oauth/token/", "/oauth/social/google/extra", "/oauth/", "/oauth"])
def test_an_unknown_oauth_path_is_an_rfc_6749_404(client, debug, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "There is no OAuth endpoint at this path.",
    }


@pytest.mark.parametrize("method", ["get", "post", "patch"])
@pytest.mark.parametrize("path", ["/api/nothing", "/api/me/", "/api/users/1/friends", "/api/", "/api"])
def test_an_unknown_api_path_is_a_json_api_404(client, debug, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == JSON_API
    assert response.json() == {
        "errors": [{"status": "404", "code": "not_found", "detail": "There is no API resource at this path."}]
    }


def test_the_routes_themselves_still_answer(client, debug, user, spa_app):
    assert client.get("/oauth/token")["Content-Type"] == "application/json"  # 405, DOT's endpoint
    assert client.get("/oauth/token").status_code == 405
    assert client.get("/api/me").status_code == 401
    # The authorization endpoint stays a page: the login page first.
    response = client.get("/oauth/authorize", {"client_id": spa_app.client_id, "response_type": "code"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/oauth/authorize")


def test_other_unknown_paths_keep_djangos_404(client, debug):
    assert client.get("/accounts/nothing").status_code == 404
    assert client.get("/assets/missing-Ab3_x9Zq.js").status_code == 404
