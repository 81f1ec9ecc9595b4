"""
The security page in Chromium: the built Ember app against the real server and database.

WRITTEN AGAINST THE CONTRACT, NOT YET RUN. The page's API (/api/sessions, /api/authorizations,
/api/sign-in-methods, /api/password-changes, /api/events; see the "Security page" rows of the
README's endpoint table) is built on another branch: run this module only once both branches
are merged, e.g. `make frontend && .venv/bin/pytest e2e/test_security_page.py -q`.
"""

import re

import pytest
import requests
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import api_status, log_in, stored_session

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-brand-new-and-long-passphrase"


def sign_in_elsewhere(live_server, email, password=PASSWORD):
    """A second session of the same user (another device): the app's password grant over HTTP."""
    response = requests.post(
        f"{live_server.url}/oauth/token",
        data={"grant_type": "password", "username": email, "password": password, "client_id": "ember-app"},
        headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Safari/604.1"},
        timeout=10,
    )
    return response


def open_security_page(page, user):
    page.goto("/login")
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))
    page.locator("[data-test-nav-security]").click()
    expect(page).to_have_url(re.compile(r"/security$"))
    expect(page).to_have_title("Security · Authsite")


def test_the_page_lists_this_browser_and_signs_out_everywhere_else(page, user, live_server):
    other = sign_in_elsewhere(live_server, user.email)
    assert other.status_code == 200
    other_token = other.json()["access_token"]

    open_security_page(page, user)

    sessions = page.locator("[data-test-session]")
    expect(sessions).to_have_count(2)
    expect(page.locator("[data-test-session-current]")).to_have_count(1)
    expect(page.locator("[data-test-session-current]")).to_have_text("This browser")
    expect(sessions.first.locator("[data-test-session-client]")).to_have_text("Ember app")
    expect(page.locator("[data-test-sign-in-method='password'] [data-test-sign-in-method-status]")).to_have_text("Set")
    expect(page.locator("[data-test-sign-in-method-unlink]")).to_have_count(0)
    expect(page.locator("[data-test-authorizations-empty]")).to_be_visible()

    page.locator("[data-test-sign-out-others]").click()

    expect(page.locator("[data-test-sessions] [data-test-section-notice]")).to_have_text("Signed out everywhere else.")
    expect(sessions).to_have_count(1)
    expect(page.locator("[data-test-session-current]")).to_have_count(1)
    assert api_status(live_server, "/api/me", other_token) == 401
    assert api_status(live_server, "/api/me", stored_session(page)["access_token"]) == 200
    assert page.console_errors == []


def test_signing_out_one_other_session(page, user, live_server):
    other_token = sign_in_elsewhere(live_server, user.email).json()["access_token"]
    open_security_page(page, user)
    other = page.locator("[data-test-session]:not(:has([data-test-session-current]))")
    expect(other).to_have_count(1)

    other.locator("[data-test-session-sign-out]").click()

    expect(page.locator("[data-test-session]")).to_have_count(1)
    expect(page.locator("[data-test-sessions] [data-test-section-notice]")).to_contain_text("Signed out")
    assert api_status(live_server, "/api/me", other_token) == 401


def test_changing_the_password_shows_errors_then_ends_the_other_sessions(page, user, live_server):
    other_token = sign_in_elsewhere(live_server, user.email).json()["access_token"]
    open_security_page(page, user)
    expect(page.locator("[data-test-session]")).to_have_count(2)

    page.locator("[data-test-current-password]").fill("not-the-password")
    page.locator("[data-test-new-password]").fill(NEW_PASSWORD)
    page.locator("[data-test-password-submit]").click()
    expect(page.locator("[data-test-error-current-password]")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    page.locator("[data-test-current-password]").fill(PASSWORD)
    page.locator("[data-test-new-password]").fill("123")
    page.locator("[data-test-password-submit]").click()
    expect(page.locator("[data-test-error-new-password]")).to_be_visible()

    page.locator("[data-test-new-password]").fill(NEW_PASSWORD)
    page.locator("[data-test-password-submit]").click()

    expect(page.locator("[data-test-password-changed]")).to_be_visible()
    expect(page.locator("[data-test-session]")).to_have_count(1)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert api_status(live_server, "/api/me", other_token) == 401
    assert api_status(live_server, "/api/me", stored_session(page)["access_token"]) == 200
    page.reload()  # the activity list is loaded with the page
    expect(page.locator("[data-test-event-kind='password_changed']").first).to_contain_text("Password changed")


def test_recent_activity_shows_sign_ins_and_a_wrong_password(page, user, live_server):
    assert sign_in_elsewhere(live_server, user.email, "not-the-password").status_code == 400

    open_security_page(page, user)

    failed = page.locator("[data-test-event-kind='sign_in_failed']")
    expect(failed.first).to_contain_text("Wrong password")
    expect(failed.first.locator("[data-test-event-ip]")).to_have_text("127.0.0.1")
    expect(page.locator("[data-test-event-kind='tokens_issued']").first).to_contain_text("Signed in to Ember app")
    expect(page.locator("[data-test-page-info]")).to_have_text("Page 1 of 1")
