"""
Real flows against the live server over HTTP, then a scrape of GET /metrics: every counter
moves by exactly what was done.
"""

import pytest
import requests

from conftest import EMBER_GOOGLE_CALLBACK, PASSWORD
from metrics.instruments import count_database_unavailable
from oauth.clients import register_client
from social_login.tests.conftest import CODE_VERIFIER
from social_login.tests.fake_google import profile
from throttling.tests.live import ALICE, WRONG, Site

from .scrape import TOKEN, moved, samples, value

EMBER = "ember-app"
TIMEOUT = 30


@pytest.fixture
def site(live_server, transactional_db, settings, django_user_model):
    """The live server, the Ember app's client, Alice (staff, for the admin), a fast password hasher."""
    settings.METRICS_TOKEN = TOKEN
    # Argon2 is the throttling tests' business; these count what happens, not how long it takes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "oauth.hashers.ClientSecretHasher"]
    register_client(
        name="Ember app", client_id=EMBER, public=True, grant_type="password", redirect_uris=[EMBER_GOOGLE_CALLBACK]
    )
    django_user_model.objects.create_user(ALICE, PASSWORD, is_staff=True)
    return Site(live_server.url)


def scrape(site):
    response = requests.get(f"{site.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return samples(response.text)


def post(site, path, **data):
    return requests.post(f"{site.url}{path}", data=data, timeout=TIMEOUT)


def refresh(site, refresh_token):
    return post(site, "/oauth/token", grant_type="refresh_token", refresh_token=refresh_token, client_id=EMBER)


def only(changes, name):
    """The changes of one metric's series: {labels: increase}."""
    return {labels: increase for (sample, labels), increase in changes.items() if sample == name}


def test_token_lifecycle(site):
    before = scrape(site)

    tokens = site.token(password=PASSWORD).json()
    assert site.token(password=WRONG).status_code == 400
    refreshed = refresh(site, tokens["refresh_token"])
    assert refreshed.status_code == 200
    pair = refreshed.json()
    me = requests.get(f"{site.url}/api/me", headers={"Authorization": f"Bearer {pair['access_token']}"}, timeout=30)
    assert me.status_code == 200
    assert post(site, "/oauth/revoke", token=pair["refresh_token"], client_id=EMBER).status_code == 200
    assert refresh(site, pair["refresh_token"]).status_code == 400  # a revoked token back: reuse

    changes = moved(before, scrape(site))
    assert only(changes, "authsite_sign_ins_total") == {
        (("method", "password_grant"), ("outcome", "success")): 1,
        (("method", "password_grant"), ("outcome", "failure")): 1,
    }
    assert only(changes, "authsite_tokens_issued_total") == {(("client", EMBER), ("grant_type", "password")): 1}
    assert only(changes, "authsite_tokens_refreshed_total") == {(("client", EMBER),): 1}
    assert only(changes, "authsite_tokens_revoked_total") == {(("client", EMBER),): 1}
    assert only(changes, "authsite_refresh_token_reuse_total") == {(("client", EMBER),): 1}
    assert only(changes, "authsite_http_requests_total") == {
        (("method", "GET"), ("status", "200"), ("view", "metrics")): 1,  # the first scrape
        (("method", "POST"), ("status", "200"), ("view", "oauth2_provider:token")): 2,
        (("method", "POST"), ("status", "400"), ("view", "oauth2_provider:token")): 2,
        (("method", "GET"), ("status", "200"), ("view", "api:me")): 1,
        (("method", "POST"), ("status", "200"), ("view", "oauth2_provider:revoke-token")): 1,
    }
    assert only(changes, "authsite_http_request_duration_seconds_count") == {
        (("view", "metrics"),): 1,
        (("view", "oauth2_provider:token"),): 4,
        (("view", "api:me"),): 1,
        (("view", "oauth2_provider:revoke-token"),): 1,
    }


def test_throttled_attempts_are_refusals(site, settings):
    before = scrape(site)

    for _ in range(settings.SIGNIN_FAILURE_LIMIT):
        assert site.token(password=WRONG).status_code == 400
    refused = site.token(password=PASSWORD)
    assert refused.status_code == 429

    changes = moved(before, scrape(site))
    assert only(changes, "authsite_sign_ins_total") == {
        (("method", "password_grant"), ("outcome", "failure")): settings.SIGNIN_FAILURE_LIMIT,
        (("method", "password_grant"), ("outcome", "refused")): 1,
    }
    ((labels, count),) = only(changes, "authsite_throttle_refusals_total").items()
    assert count == 1
    assert dict(labels)["method"] == "password_grant"
    assert dict(labels)["reason"]  # the throttle's reason code


def test_login_page_and_admin_sign_ins(site):
    before = scrape(site)

    assert site.form_login("/accounts/login/", ALICE, PASSWORD).status_code == 302
    assert site.form_login("/accounts/login/", ALICE, WRONG).status_code == 200
    assert site.form_login("/admin/login/", ALICE, PASSWORD).status_code == 302

    changes = moved(before, scrape(site))
    assert only(changes, "authsite_sign_ins_total") == {
        (("method", "login_page"), ("outcome", "success")): 1,
        (("method", "login_page"), ("outcome", "failure")): 1,
        (("method", "admin"), ("outcome", "success")): 1,
    }


def test_google_sign_in_and_a_failed_exchange(site, google):
    before = scrape(site)

    def sign_in(code):
        return post(
            site,
            "/oauth/social/google-oauth2",
            client_id=EMBER,
            code=code,
            redirect_uri=EMBER_GOOGLE_CALLBACK,
            code_verifier=CODE_VERIFIER,
        )

    account = profile("ada@example.com", given_name="Ada", family_name="Lovelace")
    assert sign_in(google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER, account)).status_code == 200
    assert sign_in("a-code-google-never-gave").status_code == 400

    changes = moved(before, scrape(site))
    assert only(changes, "authsite_sign_ins_total") == {
        (("method", "google-oauth2"), ("outcome", "success")): 1,
        (("method", "google-oauth2"), ("outcome", "failure")): 1,
    }
    assert only(changes, "authsite_tokens_issued_total") == {(("client", EMBER), ("grant_type", "google-oauth2")): 1}
    assert only(changes, "authsite_provider_exchange_duration_seconds_count") == {(("provider", "google-oauth2"),): 2}
    ((labels, count),) = only(changes, "authsite_provider_exchange_failures_total").items()
    assert (dict(labels)["provider"], count) == ("google-oauth2", 1)
    assert (
        only(changes, "authsite_http_requests_total")[
            (("method", "POST"), ("status", "200"), ("view", "social_login:token"))
        ]
        == 1
    )


def test_not_found_answers_are_counted_without_their_path(site):
    before = scrape(site)

    assert requests.get(f"{site.url}/no-such-file.txt", timeout=TIMEOUT).status_code == 404
    assert requests.get(f"{site.url}/another-missing.js", timeout=TIMEOUT).status_code == 404
    assert post(site, "/oauth/social/no-such-provider", client_id=EMBER).status_code == 404
    text = requests.get(f"{site.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).text

    changes = moved(before, samples(text))
    requests_counted = only(changes, "authsite_http_requests_total")
    assert requests_counted[(("method", "GET"), ("status", "404"), ("view", "unmatched"))] == 2
    assert requests_counted[(("method", "POST"), ("status", "404"), ("view", "social_login:token"))] == 1
    assert not any(path in text for path in ("no-such-file", "another-missing", "no-such-provider"))


def test_unknown_methods_share_one_label(site):
    before = scrape(site)
    assert requests.request("BREW", f"{site.url}/oauth/token", timeout=TIMEOUT).status_code == 405

    changes = moved(before, scrape(site))
    assert (
        only(changes, "authsite_http_requests_total")[
            (("method", "other"), ("status", "405"), ("view", "oauth2_provider:token"))
        ]
        == 1
    )


def test_database_unavailable_answers(site):
    before = scrape(site)
    count_database_unavailable()
    count_database_unavailable()

    after = scrape(site)
    assert (
        value(after, "authsite_database_unavailable_total") - value(before, "authsite_database_unavailable_total") == 2
    )
