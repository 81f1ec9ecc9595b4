"""The whole login journey in Chromium: the built Ember app against the real server and database."""

import re

import pytest
from oauth2_provider.models import AccessToken
from playwright.sync_api import expect

from conftest import stored_access_tokens, stored_refresh_tokens

from .conftest import api_status, log_in, stored_session, wait_until_stored_session_changes

pytestmark = pytest.mark.django_db(transaction=True)


def test_logging_in_with_the_right_password_opens_the_users_page(page, user):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page).to_have_title("Sign in · Authsite")

    log_in(page, user.email)

    expect(page).to_have_url(re.compile(r"/users$"))
    expect(page.locator("[data-test-current-user]")).to_contain_text(user.email)
    expect(page.locator("[data-test-user-row]")).to_have_count(1)
    expect(page.locator("[data-test-user-email]")).to_have_text(user.email)
    assert AccessToken.objects.filter(user=user, application__client_id="ember-app").count() == 1
    assert stored_access_tokens(stored_session(page)["access_token"]).get().user == user
    assert page.console_errors == []


def test_a_wrong_password_shows_the_servers_meaning(page, user):
    page.goto("/login")
    log_in(page, user.email, "not-the-password")

    error = page.locator("[data-test-login-error]")
    expect(error).to_have_text(re.compile("Wrong email or password"))
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("[data-test-login-submit]")).to_be_enabled()
    assert not AccessToken.objects.exists()
    assert stored_session(page) == {}


def test_enter_submits_the_login_form(page, user):
    page.goto("/login")
    page.locator("[data-test-email]").fill(user.email)
    page.locator("[data-test-password]").fill("correct-horse-battery-staple")
    page.locator("[data-test-password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/users$"))


def test_staff_see_every_user_a_page_at_a_time(page, staff_user, django_user_model):
    django_user_model.objects.bulk_create(
        django_user_model(email=f"user{number:02}@example.com", first_name=f"User {number}") for number in range(30)
    )
    page.goto("/login")
    log_in(page, staff_user.email)

    rows = page.locator("[data-test-user-row]")
    expect(rows).to_have_count(25)
    expect(page.locator("[data-test-page-info]")).to_have_text(re.compile(r"Page 1 of 2"))
    page.locator("[data-test-page-next]").click()
    expect(rows).to_have_count(6)  # 31 accounts in all
    expect(page.locator("[data-test-page-info]")).to_have_text(re.compile(r"Page 2 of 2"))
    expect(page.locator("[data-test-user-email]").last).to_have_text("user29@example.com")


def test_a_reload_keeps_the_session(page, user):
    page.goto("/login")
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))

    page.reload()

    expect(page).to_have_url(re.compile(r"/users$"))
    expect(page.locator("[data-test-current-user]")).to_contain_text(user.email)
    expect(page.locator("[data-test-user-email]")).to_have_text(user.email)


def is_refresh_grant(response):
    return response.url.endswith("/oauth/token") and "grant_type=refresh_token" in (response.request.post_data or "")


def test_tokens_are_refreshed_before_they_expire_and_the_user_stays_in(page, user, settings):
    # ember-simple-auth refreshes 5 to 10 seconds before expiry: here, 3 to 8 seconds after login.
    # DOT caches its oauthlib server (and the lifetime in it) on the view class unless told to reload.
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 13,
        "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
    }
    page.goto("/login")
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))
    first = stored_session(page)

    refresh = page.wait_for_event("response", is_refresh_grant, timeout=20_000)
    assert refresh.status == 200
    wait_until_stored_session_changes(page, first)  # the app stores it a moment after this event

    second = stored_session(page)
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]  # rotated
    assert stored_refresh_tokens(first["refresh_token"]).get().revoked is not None
    page.reload()
    expect(page.locator("[data-test-current-user]")).to_contain_text(user.email)
    expect(page.locator("[data-test-user-email]")).to_have_text(user.email)


def test_logging_out_revokes_both_tokens_on_the_server(page, user, live_server):
    page.goto("/login")
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))
    tokens = stored_session(page)
    assert api_status(live_server, "/api/me", tokens["access_token"]) == 200

    with page.expect_response(lambda response: response.url.endswith("/oauth/revoke")):
        page.locator("[data-test-logout]").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("[data-test-login-form]")).to_be_visible()
    assert stored_session(page) == {}
    assert api_status(live_server, "/api/me", tokens["access_token"]) == 401
    assert not stored_access_tokens(tokens["access_token"]).exists()
    assert stored_refresh_tokens(tokens["refresh_token"]).get().revoked is not None


def test_a_protected_deep_link_goes_through_login_and_back(page, user):
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login$"))

    log_in(page, user.email)

    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page).to_have_title("Profile · Authsite")
    expect(page.locator("[data-test-profile-email]")).to_have_text(user.email)


def test_the_profile_page_saves_names_and_shows_the_servers_validation_errors(page, user):
    page.goto("/profile")
    log_in(page, user.email)
    expect(page.locator("[data-test-first-name]")).to_have_value("Alice")

    page.locator("[data-test-first-name]").fill("Alicia")
    page.locator("[data-test-last-name]").fill("Liddell")
    page.locator("[data-test-profile-save]").click()
    expect(page.locator("[data-test-profile-saved]")).to_be_visible()
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicia", "Liddell")

    page.locator("[data-test-first-name]").fill("A" * 151)
    page.locator("[data-test-profile-save]").click()
    expect(page.locator("[data-test-error-first-name]")).to_contain_text("150")
    user.refresh_from_db()
    assert user.first_name == "Alicia"


def test_a_token_the_server_no_longer_accepts_ends_the_session(page, user):
    page.goto("/login")
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))

    AccessToken.objects.filter(user=user).delete()  # revoked elsewhere: the next API call is a 401
    page.locator("[data-test-nav-profile]").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    assert stored_session(page) == {}
