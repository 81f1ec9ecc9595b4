"""GET /oauth/social, and a second social-auth backend beside Google."""

import pytest
from social_django.models import UserSocialAuth

from conftest import EMBER_GOOGLE_CALLBACK

from .conftest import CODE_VERIFIER
from .fake_google import CLIENT_ID

pytestmark = pytest.mark.django_db


def test_no_providers_without_keys(client, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = ""

    response = client.get("/oauth/social")

    assert response.status_code == 200
    assert response.json() == {"providers": []}


def test_google_is_listed_with_what_the_app_needs_to_send_users_there(client, google):
    response = client.get("/oauth/social")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert response.json() == {
        "providers": [
            {
                "name": "google-oauth2",
                "title": "Google",
                "authorization_endpoint": f"{google.url}/o/oauth2/auth",
                "client_id": CLIENT_ID,
                "scope": "openid email profile",
            }
        ]
    }
    assert "secret" not in response.content.decode().lower()


def test_googles_own_endpoints_unless_replaced(client, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = "real.apps.googleusercontent.com"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "real-secret"

    (google,) = client.get("/oauth/social").json()["providers"]

    assert google["authorization_endpoint"] == "https://accounts.google.com/o/oauth2/auth"


def test_the_list_only_answers_reads(client):
    assert client.post("/oauth/social").status_code == 405


def test_another_backend_answers_at_its_own_name(client, token_request, ember_app, google, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "social_core.backends.github.GithubOAuth2"]
    settings.SOCIAL_AUTH_GITHUB_KEY = "github-client"
    settings.SOCIAL_AUTH_GITHUB_SECRET = "github-secret"
    # The stand-in plays GitHub's token endpoint too; it does not know this client.
    settings.SOCIAL_AUTH_GITHUB_ACCESS_TOKEN_URL = f"{google.url}/token"

    listed = [provider["name"] for provider in client.get("/oauth/social").json()["providers"]]
    response = token_request(
        "/oauth/social/github",
        client_id="ember-app",
        code="a-github-code",
        redirect_uri=EMBER_GOOGLE_CALLBACK,
        code_verifier=CODE_VERIFIER,
    )

    assert listed == ["google-oauth2", "github"]
    (exchange,) = google.token_requests
    assert (exchange["client_id"], exchange["code"]) == ("github-client", "a-github-code")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert response.json()["error_description"].startswith("GitHub sign-in failed")
    assert not UserSocialAuth.objects.exists()
