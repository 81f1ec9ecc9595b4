"""
Cross-origin access (django-cors-headers): browser apps on the origins in CORS_ALLOWED_ORIGINS
may call /oauth/token, /oauth/revoke, /oauth/userinfo and /api/; nothing else is opened to other origins.

CORS_ALLOWED_ORIGINS is read from the environment when settings are imported, so each test
sets it explicitly instead of relying on the development default.
"""

import pytest
from corsheaders import middleware as cors
from django.http import HttpResponse

from authsite.middleware import CorsMiddleware
from conftest import PASSWORD, bearer

EMBER_DEV = "http://localhost:4200"
EMBER_DEV_IP = "http://127.0.0.1:4200"
CORS_PATHS = ["/oauth/token", "/oauth/revoke", "/oauth/userinfo", "/api/me"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allowed_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [EMBER_DEV, EMBER_DEV_IP]


def preflight(client, path, origin):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


def header_list(response, name):
    return {item.strip().lower() for item in response.get(name, "").split(",") if item.strip()}


def cors_headers(response):
    return {name for name in response.headers if name.lower().startswith("access-control-")}


@pytest.mark.parametrize("origin", [EMBER_DEV, EMBER_DEV_IP])
@pytest.mark.parametrize("path", CORS_PATHS)
def test_preflight_from_an_allowed_origin_is_answered(client, path, origin):
    response = preflight(client, path, origin)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == origin
    assert {"authorization", "content-type"} <= header_list(response, "Access-Control-Allow-Headers")
    assert "post" in header_list(response, "Access-Control-Allow-Methods")
    assert response["Access-Control-Max-Age"] == "3600"
    assert "origin" in header_list(response, "Vary")


@pytest.mark.parametrize("path", CORS_PATHS)
def test_preflight_never_allows_credentials(client, path):
    # Tokens travel in the Authorization header; cookies must not ride along cross-origin.
    response = preflight(client, path, EMBER_DEV)

    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example.com",
        "http://localhost:4201",
        "https://localhost:4200",
        "http://localhost:4200.evil.example.com",
        "http://localhost",
        "null",
    ],
)
@pytest.mark.parametrize("path", CORS_PATHS)
def test_preflight_from_another_origin_is_not_allowed(client, path, origin):
    response = preflight(client, path, origin)

    assert "Access-Control-Allow-Origin" not in response
    assert cors_headers(response) == set()


@pytest.mark.parametrize("path", ["/oauth/introspect", "/accounts/login/", "/oauth/authorize"])
def test_endpoints_outside_the_cors_paths_get_no_cors_headers(client, path):
    response = preflight(client, path, EMBER_DEV)

    assert cors_headers(response) == set()


def test_introspection_from_a_browser_origin_gets_no_cors_headers(client, resource_server):
    response = client.post(
        "/oauth/introspect",
        "token=abc",
        content_type="application/x-www-form-urlencoded",
        headers={"Origin": EMBER_DEV},
    )

    assert cors_headers(response) == set()


def test_api_response_to_an_allowed_origin_carries_the_header(client, login, user):
    token = login(user)["access_token"]

    response = client.get("/api/me", headers={"Origin": EMBER_DEV}, **bearer(token))

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == EMBER_DEV
    assert "origin" in header_list(response, "Vary")


def test_api_error_is_readable_by_an_allowed_origin(client):
    # The app has to see the 401 to know it must log in again.
    response = client.get("/api/me", headers={"Origin": EMBER_DEV}, **bearer("expired-or-forged"))

    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == EMBER_DEV


def test_api_response_to_another_origin_has_no_cors_headers(client, login, user):
    token = login(user)["access_token"]

    response = client.get("/api/me", headers={"Origin": "http://evil.example.com"}, **bearer(token))

    assert response.status_code == 200
    assert cors_headers(response) == set()


def test_token_response_to_an_allowed_origin_carries_the_header(client, token_request, ember_app, user):
    response = token_request(
        grant_type="password",
        username=user.email,
        password=PASSWORD,
        client_id="ember-app",
        headers={"Origin": EMBER_DEV},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == EMBER_DEV


def test_allowed_origins_come_from_the_setting(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    assert preflight(client, "/api/me", "https://app.example.com")["Access-Control-Allow-Origin"] == (
        "https://app.example.com"
    )
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/me", EMBER_DEV)


@pytest.mark.parametrize("origin", [None, "", EMBER_DEV, "http://evil.example.com"])
@pytest.mark.parametrize("method", ["GET", "POST", "OPTIONS"])
@pytest.mark.parametrize("path", [*CORS_PATHS, "/oauth/introspect", "/accounts/login/", "/"])
@pytest.mark.parametrize("vary", [None, "Accept", "Origin"])
def test_the_middleware_answers_as_django_cors_headers_does(rf, path, method, origin, vary):
    """
    authsite.middleware.CorsMiddleware skips django-cors-headers' lookup of a missing Origin
    header; its headers are the library's own, with an Origin header or without one. This fails
    if the library starts to answer a request without one differently.
    """

    def view(request):
        response = HttpResponse("answer")
        if vary is not None:
            response["Vary"] = vary
        return response

    headers = {} if origin is None else {"Origin": origin}
    if method == "OPTIONS":
        headers["Access-Control-Request-Method"] = "POST"

    def answer(middleware):
        response = middleware(view)(rf.generic(method, path, headers=headers))
        return response.status_code, dict(response.headers)

    assert answer(CorsMiddleware) == answer(cors.CorsMiddleware)


def test_a_request_without_origin_is_not_parsed_for_one(client, login, user):
    """What authsite.middleware.CorsMiddleware is for: no request.headers built on GET /api/me."""
    token = login(user)["access_token"]

    response = client.get("/api/me", **bearer(token))

    assert response.status_code == 200
    assert "origin" in header_list(response, "Vary")
    assert "headers" not in response.wsgi_request.__dict__  # HttpRequest.headers is a cached_property
