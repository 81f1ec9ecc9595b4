"""
Broken, hostile and oversized input, in one sweep over every endpoint.

Every case is held to the same contract, with DEBUG off as in production:

- never a 500, and never a traceback or Django's debug page in the body;
- /oauth/token, /oauth/revoke, /oauth/introspect and /oauth/social/<backend> answer a 4xx with
  400, 401 or 405 and an RFC 6749 JSON error document (the stand-in Google plays the provider);
- /api/ answers a 4xx with a JSON:API error document, and a 401 with a Bearer challenge;
- HTML pages never echo a submitted <script> unescaped;
- nothing is written to the database.

Requests go through `Client.generic`, so bodies, content types and headers arrive exactly as
written here. Passwords are hashed with MD5 in this module only: the sweep makes hundreds of
requests and the hasher is not what it tests.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken
from social_django.models import UserSocialAuth

from accounts.models import User
from conftest import EMBER_GOOGLE_CALLBACK, basic_auth

FORM = "application/x-www-form-urlencoded"
JSON_API = "application/vnd.api+json"

# Placeholders filled in per test, once the fixtures exist.
VALID_TOKEN = "<valid access token>"
RESOURCE_SERVER = "<resource server Basic credentials>"
MY_ID = "<my user id>"

SOCIAL_TOKEN = "/oauth/social/google-oauth2"
OAUTH_ENDPOINTS = ("/oauth/token", "/oauth/revoke", "/oauth/introspect", SOCIAL_TOKEN)
# RFC 6749 §5.2, plus RFC 7009's code for the revocation endpoint.
OAUTH_ERROR_CODES = {
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "unsupported_token_type",
}
DB_MODELS = (User, Application, AccessToken, RefreshToken, Grant, IDToken, Session, UserSocialAuth)


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: bytes = b""
    content_type: str = FORM
    authorization: str | None = None
    logged_in: bool = False
    status: int | None = None  # set where the exact answer is part of the contract
    error: str | None = None  # the RFC 6749 error code, likewise


def fields(value, **overrides):
    """A form with `value` in every field some endpoint reads."""
    data = {
        "grant_type": "password",
        "client_id": "ember-app",
        "username": value,
        "password": value,
        "token": value,
        "scope": value,
        "redirect_uri": value,
        "response_type": "code",
        "state": value,
        "code": value,
        "code_verifier": value,
    }
    data.update(overrides)
    return urlencode(data).encode()


def as_query(payload):
    """The payload as it would arrive in a URL: bytes that cannot travel raw are percent-encoded."""
    return "?" + quote(payload, safe="=&%+[]")


def json_api(attributes, resource_id=MY_ID, resource_type="users"):
    return json.dumps({"data": {"type": resource_type, "id": resource_id, "attributes": attributes}}).encode()


FORM_PAYLOADS = {
    "truncated form": b"grant_type=pass%ZZ&&=&username",
    "non-UTF-8 bytes": b"grant_type=password&client_id=ember-app&username=\xff\xfe&password=\xc3\x28&token=\xff",
    "percent-encoded NUL": fields("alice\x00@example.com"),
    "raw NUL bytes": b"grant_type=password\x00&client_id=ember-app&username=\x00&password=\x00&token=\x00",
    "SQL": fields("' OR 1=1 --"),
    "HTML": fields("<script>alert(1)</script>"),
    "10,000-character email and password": fields("t" * 10_000, username="a" * 10_000 + "@example.com"),
    "1 MB field": fields("alice@example.com", password="p" * 1_000_000),
    "1 MB of fields": b"a=1&" * 262_144,
}

OTHER_CONTENT_TYPES = {
    "application/json": (b'{"grant_type": "password", "client_id": "ember-app"}', "application/json"),
    "text/plain": (b"grant_type=password&client_id=ember-app", "text/plain"),
    "multipart/form-data": (
        b'--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\npassword\r\n--x--\r\n',
        "multipart/form-data; boundary=x",
    ),
    "multipart/form-data without a boundary": (b"grant_type=password", "multipart/form-data"),
    "no content type": (b"grant_type=password&client_id=ember-app", ""),
}

BAD_AUTHORIZATION = {
    "Bearer without a token": "Bearer",
    "Bearer and a space": "Bearer ",
    "Bearer NUL": "Bearer \x00",
    "Bearer with two words": "Bearer a b",
    "Bearer 5,000 characters": "Bearer " + "x" * 5000,
    # Header bytes reach Django decoded as Latin-1, so UTF-8 arrives as mojibake.
    "Bearer non-ASCII": "Bearer " + "jéton-☃".encode().decode("latin-1"),
    "Bearer HTML": "Bearer <script>alert(1)</script>",
    "Basic garbage": "Basic !!!",
}

ENDPOINTS = [
    ("POST", "/oauth/token"),
    ("POST", "/oauth/revoke"),
    ("POST", "/oauth/introspect"),
    ("POST", SOCIAL_TOKEN),
    ("GET", "/oauth/social"),
    ("GET", "/oauth/authorize"),
    ("POST", "/oauth/authorize"),
    ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/api/me"),
    ("PATCH", "/api/me"),
    ("GET", "/api/users"),
    ("GET", "/api/users/1"),
    ("POST", "/accounts/login/"),
]


def reaching_the_code(method, path):
    """What a request needs to get past authentication to the code that reads its input."""
    if path.startswith("/api/"):
        return {"authorization": f"Bearer {VALID_TOKEN}"}
    if path == "/oauth/introspect":
        return {"authorization": RESOURCE_SERVER}
    if path == "/oauth/authorize":
        return {"logged_in": True}
    return {}


def form_payload_cases():
    for method, path in ENDPOINTS:
        for name, payload in FORM_PAYLOADS.items():
            if method == "GET":
                case = Case(method, path + as_query(payload), **reaching_the_code(method, path))
            else:
                status = 415 if path.startswith("/api/") else None  # the API reads JSON:API only
                case = Case(method, path, payload, status=status, **reaching_the_code(method, path))
            yield pytest.param(case, id=f"{method} {path} {name}")


def grant_type_cases():
    for name, grant_type in {
        "made up": "magic",
        "10,000 characters": "g" * 10_000,
        "in capitals": "PASSWORD",
        "implicit": "implicit",
        "jwt-bearer": "urn:ietf:params:oauth:grant-type:jwt-bearer",
    }.items():
        case = Case(
            "POST", "/oauth/token", fields("x", grant_type=grant_type), status=400, error="unsupported_grant_type"
        )
        yield pytest.param(case, id=f"grant type {name}")
    # RFC 6749 §3.1: a parameter without a value is treated as omitted, and a missing one is invalid_request.
    case = Case("POST", "/oauth/token", fields("x", grant_type=""), status=400, error="invalid_request")
    yield pytest.param(case, id="grant type empty")
    yield pytest.param(
        Case("POST", "/oauth/token", b"grant_type=password&grant_type=client_credentials&client_id=ember-app"),
        id="grant type repeated",
    )
    device = "urn:ietf:params:oauth:grant-type:device_code"
    for name, body in {
        "device_code without a device code": fields("x", grant_type=device),
        "device_code with an unknown device code": fields("x", grant_type=device, device_code="x"),
    }.items():
        case = Case("POST", "/oauth/token", body, status=400, error="unsupported_grant_type")
        yield pytest.param(case, id=f"grant type {name}")
    yield pytest.param(
        Case("POST", "/oauth/token", fields("x", grant_type="client_credentials"), authorization=RESOURCE_SERVER),
        id="one client's credentials with another's client_id",
    )


def nul_identifier_cases():
    """A NUL in each identifier the OAuth endpoints look up in the database."""
    code = fields("x", grant_type="authorization_code", client_id="other-spa", code="\x00", code_verifier="v" * 43)
    cases = {
        "client_id in the body": Case("POST", "/oauth/token", fields("x", client_id="ember\x00app")),
        "client id in Basic credentials": Case(
            "POST", "/oauth/token", fields("x", client_id=""), authorization=basic_auth("ember\x00app")
        ),
        "authorization code": Case("POST", "/oauth/token", code),
        "client_id on revoke": Case("POST", "/oauth/revoke", fields("x", client_id="\x00")),
        "client id in Basic credentials on introspect": Case(
            "POST", "/oauth/introspect", fields("x"), authorization=basic_auth("\x00", "secret")
        ),
        "client_id on authorize": Case("GET", "/oauth/authorize?response_type=code&client_id=%00", logged_in=True),
        "code sent on to Google": Case(
            "POST",
            SOCIAL_TOKEN,
            urlencode(
                {
                    "client_id": "ember-app",
                    "code": "\x00",
                    "redirect_uri": EMBER_GOOGLE_CALLBACK,
                    "code_verifier": "v" * 43,
                }
            ).encode(),
            error="invalid_grant",
        ),
    }
    for name, case in cases.items():
        yield pytest.param(case, id=f"NUL in the {name}")


def content_type_cases():
    for method, path in [(m, p) for m, p in ENDPOINTS if m in ("POST", "PATCH")]:
        for name, (body, content_type) in OTHER_CONTENT_TYPES.items():
            status = 400 if path in OAUTH_ENDPOINTS else 415 if path.startswith("/api/") else None
            case = Case(method, path, body, content_type, status=status, **reaching_the_code(method, path))
            yield pytest.param(case, id=f"{method} {path} {name}")


def json_api_cases():
    bodies = {
        "truncated JSON": (b'{"data": {"type": "users", "id": ', 400),
        "non-UTF-8 JSON": (b'{"data": {"type": "users", "attributes": {"first-name": "\xff\xfe"}}}', 400),
        "a list": (b"[]", 400),
        "data null": (b'{"data": null}', 400),
        "another resource type": (json_api({"first-name": "x"}, resource_type="tokens"), 409),
        "someone else's id": (json_api({"first-name": "x"}, resource_id="999999"), 409),
        "NUL in a name": (json_api({"first-name": "a\x00b"}), 400),
        "10,000-character name": (json_api({"first-name": "n" * 10_000}), 400),
        "1 MB name": (json_api({"last-name": "n" * 1_000_000}), 400),
        # Stored as given: a name is data, and the API answers JSON, never HTML.
        "SQL in a name": (json_api({"first-name": "' OR 1=1 --"}), 200),
        "HTML in a name": (json_api({"last-name": "<script>alert(1)</script>"}), 200),
    }
    for name, (body, status) in bodies.items():
        case = Case("PATCH", "/api/me", body, JSON_API, f"Bearer {VALID_TOKEN}", status=status)
        yield pytest.param(case, id=f"PATCH /api/me {name}")


def query_string_cases():
    """Hostile URLs on the endpoints that read a body; the GET endpoints get theirs from FORM_PAYLOADS."""
    queries = {"an invalid percent-escape": "?x=%ZZ", "raw characters": '?state={"<b>"}|^`\\'}
    for method, path in [(m, p) for m, p in ENDPOINTS if m in ("POST", "PATCH")]:
        for name, query in queries.items():
            case = Case(method, path + query, fields("x"), **reaching_the_code(method, path))
            yield pytest.param(case, id=f"{method} {path} URL with {name}")


def api_query_cases():
    queries = {
        "SQL in filter[email]": "?filter[email]=%27+OR+1%3D1+--",
        "HTML in filter[email]": "?filter[email]=%3Cscript%3Ealert(1)%3C/script%3E",
        "NUL in filter[email]": "?filter[email]=%00",
        "10,000-character filter[email]": "?filter[email]=" + "a" * 10_000,
        "HTML in sort": "?sort=%3Cscript%3E",
        "SQL in sort": "?sort=email%27+OR+1%3D1+--",
        "a page number that is not one": "?page[number]=abc",
        "a huge page size": "?page[size]=99999999999999999999999",
        "an unknown include": "?include=%3Cscript%3E",
        "a token in the query string": "?access_token=abc",
    }
    for name, query in queries.items():
        yield pytest.param(Case("GET", "/api/users" + query, authorization=f"Bearer {VALID_TOKEN}"), id=f"{name}")


def method_cases():
    for path in OAUTH_ENDPOINTS:
        for method in ("GET", "PUT", "DELETE", "PATCH"):
            yield pytest.param(Case(method, path, status=405), id=f"{method} {path}")
    api = {
        "/api/me": ("PUT", "DELETE", "POST"),
        "/api/users": ("PUT", "DELETE", "POST"),
        "/api/users/1": ("PUT", "DELETE", "PATCH"),
    }
    for path, methods in api.items():
        for method in methods:
            case = Case(method, path, b"{}", JSON_API, f"Bearer {VALID_TOKEN}", status=405)
            yield pytest.param(case, id=f"{method} {path}")
    for method in ("POST", "PUT", "DELETE"):
        yield pytest.param(Case(method, "/.well-known/oauth-authorization-server", status=405), id=f"{method} metadata")
        yield pytest.param(Case(method, "/oauth/social", status=405), id=f"{method} provider list")
    yield pytest.param(Case("DELETE", "/accounts/login/", status=405), id="DELETE /accounts/login/")


def authorization_header_cases():
    # Wrong credentials in the body too, so no endpoint has a reason to succeed.
    body = fields("wrong", username="alice@example.com")
    for method, path in ENDPOINTS:
        for name, header in BAD_AUTHORIZATION.items():
            status = 401 if path.startswith("/api/") else None
            yield pytest.param(
                Case(method, path, body, authorization=header, status=status), id=f"{method} {path} {name}"
            )
    for name, header in {
        "lowercase bearer": f"bearer {VALID_TOKEN}",
        "uppercase BEARER": f"BEARER {VALID_TOKEN}",
        "Bearer with extra spaces": f"Bearer   {VALID_TOKEN}  ",
    }.items():
        yield pytest.param(Case("GET", "/api/me", authorization=header, status=200), id=f"GET /api/me {name}")
    yield pytest.param(
        Case("GET", "/api/me", authorization=f"Bearer {VALID_TOKEN} extra", status=401),
        id="GET /api/me valid token and a second word",
    )


CASES = [
    *form_payload_cases(),
    *grant_type_cases(),
    *nul_identifier_cases(),
    *content_type_cases(),
    *json_api_cases(),
    *query_string_cases(),
    *api_query_cases(),
    *method_cases(),
    *authorization_header_cases(),
]


@pytest.fixture(autouse=True)
def production_like(settings):
    # Django renders its debug pages, with tracebacks, only when DEBUG is on.
    settings.DEBUG = False
    # A fast password hasher, and the client-secret one, which stored client secrets name.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "oauth.hashers.ClientSecretHasher"]


def row_counts():
    return {model.__name__: model.objects.count() for model in DB_MODELS}


def describe(response):
    return f"{response.status_code} {response.get('Content-Type')} {response.content[:300]!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_a_clean_answer_and_changes_nothing(
    case, user, ember_app, spa_app, resource_server, login, google
):
    token = login(user)["access_token"]
    client = Client(raise_request_exception=False)
    if case.logged_in:
        client.force_login(user)
    extra = {}
    if case.authorization is not None:
        authorization = case.authorization.replace(VALID_TOKEN, token)
        authorization = authorization.replace(RESOURCE_SERVER, basic_auth("resource-server", resource_server.secret))
        extra["HTTP_AUTHORIZATION"] = authorization
    body = case.body.replace(MY_ID.encode(), str(user.pk).encode())
    before = row_counts()

    response = client.generic(case.method, case.path, data=body, content_type=case.content_type, **extra)

    status = response.status_code
    endpoint = case.path.partition("?")[0]
    assert status < 500, describe(response)
    assert b"Traceback" not in response.content, describe(response)
    assert b"DEBUG = True" not in response.content, describe(response)
    if case.status is not None:
        assert status == case.status, describe(response)
    if status == 405:
        assert "Allow" in response, describe(response)
    if response.get("Content-Type", "").startswith("text/html"):
        assert b"<script>alert(1)</script>" not in response.content, describe(response)
    if endpoint in OAUTH_ENDPOINTS and status >= 400:
        assert status in (400, 401, 405), describe(response)
        if status == 401:
            assert "WWW-Authenticate" in response, describe(response)
        assert response["Content-Type"] == "application/json", describe(response)
        assert response.json()["error"] in OAUTH_ERROR_CODES, describe(response)
        if case.error is not None:
            assert response.json()["error"] == case.error, describe(response)
    if endpoint.startswith("/api/") and status >= 400:
        assert response["Content-Type"] == JSON_API, describe(response)
        errors = response.json()["errors"]
        assert isinstance(errors, list) and errors, describe(response)
        assert all(error["status"] == str(status) for error in errors), describe(response)
        if status == 401:
            assert response["WWW-Authenticate"].startswith("Bearer "), describe(response)
    assert row_counts() == before
