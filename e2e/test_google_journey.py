"""
Sign in with Google in Chromium: the built Ember app, the real server and database, and the
stand-in Google on 127.0.0.1 (authorization page, token endpoint checking PKCE, userinfo).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from oauth2_provider.models import AccessToken
from playwright.sync_api import expect
from social_django.models import UserSocialAuth

from conftest import stored_access_tokens, stored_refresh_tokens

from .conftest import api_status, stored_session

pytestmark = pytest.mark.django_db(transaction=True)

GOOGLE_BUTTON = '[data-test-social-sign-in="google-oauth2"]'


def test_the_whole_google_journey(page, google, live_server, django_user_model):
    page.goto("/login")
    page.locator(GOOGLE_BUTTON).click()

    # At the provider: the request the app built.
    expect(page).to_have_url(re.compile(rf"^{re.escape(google.url)}/o/oauth2/auth\?"))
    query = {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == google.settings()["SOCIAL_AUTH_GOOGLE_OAUTH2_KEY"]
    assert query["redirect_uri"] == f"{live_server.url}/login/google-oauth2/callback"
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["code_challenge"]) == 43

    page.locator("#approve").click()

    # Back in the app: the code became this server's tokens for a new, linked account.
    expect(page).to_have_url(re.compile(r"/users$"))
    expect(page.locator("[data-test-current-user]")).to_contain_text("ada@example.com")
    user = django_user_model.objects.get(email="ada@example.com")
    assert UserSocialAuth.objects.get(provider="google-oauth2").user == user
    (exchange,) = google.token_requests
    assert exchange["redirect_uri"] == query["redirect_uri"]  # and the stand-in checked the verifier
    tokens = stored_session(page)
    assert tokens["authenticator"] == "authenticator:social"
    assert stored_access_tokens(tokens["access_token"]).get().user == user

    page.reload()
    expect(page.locator("[data-test-current-user]")).to_contain_text("ada@example.com")
    expect(page.locator("[data-test-user-email]")).to_have_text("ada@example.com")

    with page.expect_response(lambda response: response.url.endswith("/oauth/revoke")):
        page.locator("[data-test-logout]").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    assert stored_session(page) == {}
    assert api_status(live_server, "/api/me", tokens["access_token"]) == 401
    assert stored_refresh_tokens(tokens["refresh_token"]).get().revoked is not None
    assert page.console_errors == []


def test_cancelling_at_google_says_so_on_the_login_page(page, google):
    page.goto("/login")
    page.locator(GOOGLE_BUTTON).click()
    page.locator("#cancel").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("[data-test-login-error]")).to_contain_text("cancelled")
    assert google.token_requests == []
    assert not AccessToken.objects.exists()


def test_a_forged_callback_is_refused_without_asking_the_server(page, google):
    page.goto("/login")
    page.locator(GOOGLE_BUTTON).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(google.url)}/"))

    page.goto("/login/google-oauth2/callback?code=stolen&state=forged")

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("[data-test-login-error]")).to_contain_text("could not be completed")
    assert google.token_requests == []
    assert not AccessToken.objects.exists()


def test_no_google_button_when_the_server_has_no_google_keys(page):
    with page.expect_response(lambda response: response.url.endswith("/oauth/social")) as listing:
        page.goto("/login")

    assert listing.value.json() == {"providers": []}
    expect(page.locator("[data-test-login-form]")).to_be_visible()
    expect(page.locator(GOOGLE_BUTTON)).to_have_count(0)
