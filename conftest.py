"""Fixtures shared by every app's tests: accounts, registered clients, and token helpers."""

import base64
from urllib.parse import urlencode

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from oauth.clients import register_client
from oauth.grace import token_checksum
from social_login.tests.fake_google import FakeGoogle
from throttling.recall import forget_refusals

PASSWORD = "correct-horse-battery-staple"
REDIRECT_URI = "https://app.example.com/callback"
# Where the Ember app (served by `make run`) gets Google's answer: registered for its client.
EMBER_GOOGLE_CALLBACK = "http://127.0.0.1:8000/login/google-oauth2/callback"


@pytest.fixture(autouse=True)
def forgotten_refusals():
    """No test inherits the refusals an earlier one left in this process's memory (throttling.recall)."""
    forget_refusals()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("alice@example.com", PASSWORD, first_name="Alice")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("staff@example.com", PASSWORD, is_staff=True)


@pytest.fixture
def ember_app(db):
    """The first-party Ember app: public, password grant (refresh implied), Google's callback registered."""
    return register_client(
        name="Ember app",
        client_id="ember-app",
        public=True,
        grant_type="password",
        redirect_uris=[EMBER_GOOGLE_CALLBACK],
    ).application


@pytest.fixture
def spa_app(db):
    """A third-party single-page app: public, authorization code + PKCE."""
    return register_client(
        name="Other SPA",
        client_id="other-spa",
        public=True,
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    ).application


@pytest.fixture
def web_app(db):
    """A server-side web app: confidential, authorization code. Returns the registration (with the secret)."""
    return register_client(
        name="Web app",
        client_id="web-app",
        public=False,
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )


@pytest.fixture
def resource_server(db):
    """A resource server: confidential, client credentials, the only kind allowed to introspect."""
    return register_client(
        name="Resource server", client_id="resource-server", public=False, grant_type="client-credentials"
    )


def basic_auth(client_id, secret=""):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def stored_access_tokens(value):
    """The AccessToken rows of the token `value`, found as DOT finds them: by its SHA-256 checksum."""
    return AccessToken.objects.filter(token_checksum=token_checksum(value))


def stored_refresh_tokens(value):
    """The RefreshToken rows of the token `value`, found by SHA-256 checksum like stored_access_tokens."""
    return RefreshToken.objects.filter(token_checksum=token_checksum(value))


@pytest.fixture
def token_request(client):
    """POST a form to /oauth/token (or another OAuth endpoint) the way a browser app does."""

    def post(path="/oauth/token", headers=None, **data):
        return client.post(
            path, urlencode(data), content_type="application/x-www-form-urlencoded", headers=headers or {}
        )

    return post


@pytest.fixture
def login(token_request, ember_app):
    """Log a user in through the password grant; returns the token response as a dict."""

    def password_grant(user, password=PASSWORD, **extra):
        response = token_request(
            grant_type="password", username=user.email, password=password, client_id=ember_app.client_id, **extra
        )
        assert response.status_code == 200, response.content
        return response.json()

    return password_grant


@pytest.fixture
def google(settings):
    """A stand-in Google on 127.0.0.1 (social_login/tests/fake_google.py), configured as the google-oauth2 provider."""
    with FakeGoogle() as google:
        for name, value in google.settings().items():
            setattr(settings, name, value)
        yield google
