"""
End-to-end fixtures: the built Ember app (frontend/dist), served by the real Django server
on loopback (pytest-django's live_server, a real database), driven in Debian's Chromium by
Playwright. Build the app first: `make test` does.
"""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from conftest import PASSWORD
from oauth.clients import register_client

from .browser import CHROMIUM, CHROMIUM_ARGS

SESSION_KEY = "ember_simple_auth-session"  # where ember-simple-auth keeps the session

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API keeps an asyncio loop in the test's thread, which Django's
    # async-safety check takes for async code; the tests' ORM calls are plain synchronous
    # ones. Set for the browser's lifetime only, so no subprocess of other tests inherits it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    index = Path(settings.EMBER_APP_DIR) / "index.html"
    if not index.exists():
        pytest.fail(f"{index} is missing: build the Ember app first (make frontend).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(chromium, live_server, transactional_db):
    """A fresh browser profile (no stored session) on the live server, with the app's client registered."""
    register_client(
        name="Ember app",
        client_id="ember-app",
        public=True,
        grant_type="password",
        redirect_uris=[f"{live_server.url}/login/google-oauth2/callback"],
    )
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def log_in(page, email, password=PASSWORD):
    page.locator("[data-test-email]").fill(email)
    page.locator("[data-test-password]").fill(password)
    page.locator("[data-test-login-submit]").click()


def stored_session(page):
    """ember-simple-auth's session as the app stored it (the token response plus expires_at)."""
    return json.loads(page.evaluate(f"localStorage.getItem('{SESSION_KEY}')") or "{}").get("authenticated", {})


def wait_until_stored_session_changes(page, session, timeout=5_000):
    """Until the app has stored an access token other than `session`'s."""
    page.wait_for_function(
        "([key, token]) => !(localStorage.getItem(key) || '').includes(token)",
        arg=[SESSION_KEY, session["access_token"]],
        timeout=timeout,
    )


def api_status(live_server, path, access_token):
    request = urllib.request.Request(f"{live_server.url}{path}", headers={"Authorization": f"Bearer {access_token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
