"""
The Content-Security-Policy in Chromium: every page of the Ember app, the server's login and
consent pages and the admin work under it, and the browser reports no violation.

Violations are collected twice over: from the `securitypolicyviolation` event, which every
document reports to a binding Playwright exposes, and from Chromium's console messages.
"""

import base64
import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant
from playwright.sync_api import expect

from conftest import REDIRECT_URI
from oauth.clients import register_client

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The directives, in any order (django-csp does not keep one).
POLICY = frozenset(
    {"default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}
)
# The login and consent pages of an authorization request: their form ends at the client.
AUTHORIZATION_POLICY = POLICY - {"form-action 'self'"} | {"form-action 'self' https://app.example.com"}

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`);
});
"""


@pytest.fixture
def violations(page):
    """Every CSP violation in the page's browser context, as text; the test asserts it stays empty."""
    found = []
    page.context.expose_binding("reportViolation", lambda source, text: found.append(text))
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(f"console: {message.text}"),
    )
    return found


@pytest.fixture
def policies(page):
    """The Content-Security-Policy header of every page the browser shows (not the redirects on the way), by URL."""
    seen = {}

    def record(response):
        if response.request.resource_type == "document" and response.status == 200:
            seen[response.url] = frozenset(response.headers.get("content-security-policy", "").split("; "))

    page.on("response", record)
    return seen


@pytest.fixture
def client_app(page):
    """A third-party single-page app on its own origin: its redirect URI answers a page of its own."""
    register_client(
        name="Other SPA",
        client_id="other-spa",
        public=True,
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )
    page.context.route(
        f"{REDIRECT_URI}*", lambda route: route.fulfill(content_type="text/html", body="<title>Other SPA</title>")
    )


def authorize_path():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": "other-spa",
        "redirect_uri": REDIRECT_URI,
        "scope": "read",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"/oauth/authorize?{urlencode(query)}"


def query_of(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_every_page_of_the_ember_app_runs_under_the_policy(page, violations, policies, user):
    page.goto("/login")
    expect(page.locator("[data-test-login-form]")).to_be_visible()
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/users$"))
    expect(page.locator("[data-test-user-email]")).to_have_text(user.email)
    page.locator("[data-test-nav-profile]").click()
    expect(page.locator("[data-test-profile-email]")).to_have_text(user.email)
    page.locator("[data-test-nav-users]").click()
    expect(page.locator("[data-test-user-row]")).to_have_count(1)
    page.reload()  # a deep link: index.html again, with its header
    expect(page.locator("[data-test-user-email]")).to_have_text(user.email)
    page.locator("[data-test-logout]").click()
    expect(page.locator("[data-test-login-form]")).to_be_visible()

    assert set(policies.values()) == {POLICY}
    assert violations == []


@pytest.mark.parametrize("answer", ["allow", "deny"])
def test_the_login_and_consent_pages_run_under_the_policy_up_to_the_clients_redirect(
    page, violations, policies, client_app, user, answer
):
    page.goto(authorize_path())
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Authorize Other SPA?")

    page.locator("button", has_text="Allow" if answer == "allow" else "Deny").click()

    expect(page).to_have_title("Other SPA")  # the client's page, reached through the redirect
    result = query_of(page.url)
    assert page.url.startswith(f"{REDIRECT_URI}?")
    assert result["state"] == "xyz"
    if answer == "allow":
        assert Grant.objects.get(code=result["code"]).user == user
    else:
        assert result["error"] == "access_denied"
        assert not Grant.objects.exists()
    assert not AccessToken.objects.exists()
    server_pages = {url: policy for url, policy in policies.items() if not url.startswith(REDIRECT_URI)}
    assert len(server_pages) == 2  # the login page and the consent page
    assert set(server_pages.values()) == {AUTHORIZATION_POLICY}
    assert violations == []


def test_the_admin_runs_under_the_policy(page, violations, policies, staff_user, django_user_model):
    staff_user.is_superuser = True
    staff_user.save()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.locator("#id_username").fill(staff_user.email)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/accounts/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/accounts/user/{staff_user.pk}/change/")
    expect(page.locator("#id_email")).to_have_value(staff_user.email)

    assert set(policies.values()) == {POLICY}
    assert violations == []


def test_a_returning_user_goes_from_the_login_page_straight_to_the_client(page, violations, client_app, user):
    # Consent given before: the authorization endpoint answers the sign-in with the client's redirect.
    AccessToken.objects.create(
        user=user,
        application=Application.objects.get(client_id="other-spa"),
        token=secrets.token_urlsafe(30),
        scope="read",
        expires=timezone.now() + timedelta(hours=1),
    )
    page.goto(authorize_path())
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.locator("button[type=submit]").click()

    expect(page).to_have_title("Other SPA")
    assert Grant.objects.get(code=query_of(page.url)["code"]).user == user
    assert violations == []
