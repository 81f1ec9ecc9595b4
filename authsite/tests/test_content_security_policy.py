"""The Content-Security-Policy header (django-csp); e2e/test_content_security_policy.py runs the pages in Chromium."""

from urllib.parse import urlencode

import pytest

from conftest import REDIRECT_URI
from oauth.clients import register_client

pytestmark = pytest.mark.django_db

POLICY = {"default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}
CLIENT_ORIGIN = "https://app.example.com"  # REDIRECT_URI's


def directives(response):
    return set(response["Content-Security-Policy"].split("; "))


def form_action(response):
    (directive,) = (d for d in directives(response) if d.startswith("form-action "))
    return directive.split()[1:]


def authorize_path(**overrides):
    query = {"response_type": "code", "client_id": "other-spa", "redirect_uri": REDIRECT_URI, "scope": "read"}
    query.update(overrides)
    query.update(code_challenge="A" * 43, code_challenge_method="S256")
    return "/oauth/authorize?" + urlencode({name: value for name, value in query.items() if value is not None})


def login_page(client, next_url):
    return client.get("/accounts/login/", {"next": next_url})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/no-such-page.html"])
def test_every_page_carries_the_policy(client, path):
    assert directives(client.get(path)) == POLICY


def test_the_ember_apps_index_carries_the_policy(client, settings, tmp_path):
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><script type="module" src="/assets/main-Ab3_x9Zq.js"></script>'
    )
    settings.EMBER_APP_DIR = tmp_path
    assert directives(client.get("/users")) == POLICY


@pytest.mark.parametrize("path", ["/api/me", "/oauth/token", "/.well-known/oauth-authorization-server"])
def test_json_answers_go_without(client, path):
    assert "Content-Security-Policy" not in client.get(path)


def test_the_login_page_of_an_authorization_request_may_send_its_form_on_to_the_client(client, spa_app):
    assert form_action(login_page(client, authorize_path())) == ["'self'", CLIENT_ORIGIN]


def test_the_consent_page_may_send_its_form_on_to_the_client(client, spa_app, user):
    client.force_login(user)
    response = client.get(authorize_path())
    assert response.status_code == 200
    assert "Authorize Other SPA?" in response.text
    assert form_action(response) == ["'self'", CLIENT_ORIGIN]


def test_without_a_redirect_uri_the_clients_only_registered_one_counts(client, spa_app):
    assert form_action(login_page(client, authorize_path(redirect_uri=None))) == ["'self'", CLIENT_ORIGIN]


@pytest.mark.parametrize(
    "next_url",
    [
        authorize_path(redirect_uri="https://evil.example/callback"),  # not registered for the client
        authorize_path(client_id="no-such-client"),
        authorize_path(client_id=None),
        "https://evil.example" + authorize_path(),  # another site's authorization endpoint
        "/admin/?client_id=other-spa&redirect_uri=" + REDIRECT_URI,  # not an authorization request
    ],
)
def test_no_other_origin_is_ever_added(client, spa_app, next_url):
    assert form_action(login_page(client, next_url)) == ["'self'"]


def test_an_unregistered_redirect_uri_on_the_consent_page_adds_nothing(client, spa_app, user):
    client.force_login(user)
    response = client.get(authorize_path(redirect_uri="https://evil.example/callback"))
    assert "This request cannot be authorized" in response.text
    assert form_action(response) == ["'self'"]


def test_a_loopback_ipv6_redirect_uri_is_a_valid_source(client):
    register_client(
        name="Desktop app",
        client_id="desktop-app",
        public=True,
        grant_type="authorization-code",
        redirect_uris=["http://[::1]:8765/callback"],
    )
    next_url = authorize_path(client_id="desktop-app", redirect_uri="http://[::1]:8765/callback")
    assert form_action(login_page(client, next_url)) == ["'self'", "http://[::1]:8765"]
