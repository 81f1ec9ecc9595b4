"""The lean path of /oauth/introspect (oauth/introspection.py) against django-oauth-toolkit's own."""

import hashlib
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accounts.tests.test_password_hashing import DJANGO_DEFAULT_ARGON2
from conftest import basic_auth
from oauth.introspection import introspect_for_resource_server
from oauth.views import IntrospectTokenView

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def dot_paths(monkeypatch):
    """The requests that went through django-oauth-toolkit's path (it authenticates the client first)."""
    calls = []
    authenticate_client = IntrospectTokenView.authenticate_client

    def counted(self, request):
        calls.append(request.path)
        return authenticate_client(self, request)

    monkeypatch.setattr(IntrospectTokenView, "authenticate_client", counted)
    return calls


def stored(token):
    return AccessToken.objects.filter(token_checksum=hashlib.sha256(token.encode()).hexdigest())


def post(client, authorization, **data):
    return client.post("/oauth/introspect", urlencode(data), content_type=FORM, HTTP_AUTHORIZATION=authorization)


@pytest.fixture
def tokens(login, token_request, user, resource_server):
    """A token of each kind introspection tells apart."""
    active, expired, with_audience, revoked = (login(user)["access_token"] for _ in range(4))
    stored(expired).update(expires=timezone.now() - timedelta(seconds=1))
    stored(with_audience).update(resource=["https://api.example.com/"])
    token_request("/oauth/revoke", token=revoked, client_id="ember-app")
    authorization = {"Authorization": basic_auth("resource-server", resource_server.secret)}
    machine = token_request(grant_type="client_credentials", headers=authorization).json()["access_token"]
    return {
        "active": active,
        "expired": expired,
        "with_audience": with_audience,
        "revoked": revoked,
        "client_credentials": machine,  # no user
        "unknown": "not-a-token",
        "empty": "",
    }


@pytest.mark.parametrize(
    "kind", ["active", "expired", "with_audience", "revoked", "client_credentials", "unknown", "empty"]
)
def test_the_lean_path_answers_exactly_as_django_oauth_toolkit(client, tokens, resource_server, dot_paths, kind):
    """A body `client_id` (the same client) sends the same request through DOT's path."""
    authorization = basic_auth("resource-server", resource_server.secret)

    lean = post(client, authorization, token=tokens[kind])
    assert dot_paths == []
    general = post(client, authorization, token=tokens[kind], client_id="resource-server")
    assert dot_paths == ["/oauth/introspect"]

    assert lean.status_code == general.status_code == 200
    assert lean.json() == general.json()
    assert lean.content == general.content
    assert dict(lean.headers) == dict(general.headers)
    assert lean.json()["active"] is (kind in {"active", "with_audience", "client_credentials"})


def test_the_lean_document_has_every_field(client, tokens, resource_server, user):
    body = post(client, basic_auth("resource-server", resource_server.secret), token=tokens["with_audience"]).json()

    assert body == {
        "active": True,
        "scope": "read write",
        "exp": int(stored(tokens["with_audience"]).get().expires.timestamp()),
        "client_id": "ember-app",
        "username": user.email,
        "aud": ["https://api.example.com/"],
    }


def test_a_lean_introspection_is_one_query(client, tokens, resource_server):
    authorization = basic_auth("resource-server", resource_server.secret)
    for token in (tokens["active"], tokens["unknown"]):
        with CaptureQueriesContext(connection) as queries:
            assert post(client, authorization, token=token).status_code == 200

        assert len(queries) == 1, [query["sql"] for query in queries]
        assert "token_checksum" in queries[0]["sql"]


def test_the_lean_path_needs_no_csrf_token(tokens, resource_server):
    client = Client(enforce_csrf_checks=True)

    response = post(client, basic_auth("resource-server", resource_server.secret), token=tokens["active"])

    assert response.status_code == 200
    assert response.json()["active"] is True


def request_for(authorization, **data):
    factory = RequestFactory()
    return factory.post("/oauth/introspect", urlencode(data), content_type=FORM, HTTP_AUTHORIZATION=authorization)


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "empty secret",
        "unknown client",
        "confidential web app",
        "public client",
        "bearer token",
        "lower-case scheme",
        "malformed base64",
        "no token",
        "another parameter",
        "argon2 secret",
        "unhashed secret",
        "nul in client id",
    ],
)
def test_everything_else_goes_to_django_oauth_toolkit(case, tokens, resource_server, web_app, ember_app):
    secret = resource_server.secret
    authorization, data = basic_auth("resource-server", secret), {"token": tokens["active"]}
    application = resource_server.application
    if case == "wrong secret":
        authorization = basic_auth("resource-server", secret + "x")
    elif case == "empty secret":
        authorization = basic_auth("resource-server")
    elif case == "unknown client":
        authorization = basic_auth("nobody", secret)
    elif case == "confidential web app":
        authorization = basic_auth("web-app", web_app.secret)
    elif case == "public client":
        authorization = basic_auth("ember-app")
    elif case == "bearer token":
        authorization = f"Bearer {tokens['active']}"
    elif case == "lower-case scheme":
        authorization = authorization.replace("Basic", "basic")
    elif case == "malformed base64":
        authorization = "Basic %%%"
    elif case == "no token":
        data = {}
    elif case == "another parameter":
        data["client_id"] = "resource-server"
    elif case == "argon2 secret":
        application.client_secret = make_password(secret, hasher=DJANGO_DEFAULT_ARGON2)
        application.save()
    elif case == "unhashed secret":
        application.hash_client_secret = False
        application.client_secret = secret
        application.save()
    elif case == "nul in client id":
        authorization = basic_auth("resource-server\x00", secret)

    assert introspect_for_resource_server(request_for(authorization, **data)) is None


def test_a_wrong_secret_is_refused_as_before(client, tokens, resource_server, dot_paths):
    response = post(client, basic_auth("resource-server", "wrong"), token=tokens["active"])

    assert dot_paths == ["/oauth/introspect"]
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["Cache-Control"] == "no-store"


def test_an_argon2_secret_is_upgraded_on_dots_path_then_served_lean(client, tokens, resource_server, dot_paths):
    application = resource_server.application
    application.client_secret = make_password(resource_server.secret, hasher=DJANGO_DEFAULT_ARGON2)
    application.save()
    authorization = basic_auth("resource-server", resource_server.secret)

    first = post(client, authorization, token=tokens["active"])
    second = post(client, authorization, token=tokens["active"])

    assert dot_paths == ["/oauth/introspect"]
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
