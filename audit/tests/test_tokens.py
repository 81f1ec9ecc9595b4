"""Tokens issued (each grant, and Google sign-in), refreshed, revoked, and refresh-token reuse."""

import pytest
from django.utils import timezone
from oauth2_provider.models import RefreshToken

from audit.models import Event, Kind
from conftest import EMBER_GOOGLE_CALLBACK, basic_auth
from oauth.models import SealedReplacement
from oauth.tests.test_authorization_code import VERIFIER, authorize_url, consent, query_of
from social_login.tests.conftest import CODE_VERIFIER
from social_login.tests.fake_google import profile

from .conftest import assert_from_the_client, family_of, only_event

pytestmark = pytest.mark.django_db


def test_password_grant_is_the_sign_in_and_names_its_token_family(login, user):
    tokens = login(user)

    event = only_event(kind=Kind.TOKENS_ISSUED)
    assert (event.user, event.client_id, event.grant_type) == (user, "ember-app", "password")
    assert event.token_family == family_of(tokens["refresh_token"])
    assert (event.email, event.detail) == ("", "")
    assert_from_the_client(event)


def test_refresh_keeps_the_sign_ins_family(login, token_request, user):
    first = login(user)

    second = token_request(grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app")

    assert second.status_code == 200
    event = only_event(kind=Kind.TOKENS_REFRESHED)
    assert (event.user, event.client_id, event.grant_type) == (user, "ember-app", "refresh_token")
    assert event.token_family == family_of(first["refresh_token"]) == family_of(second.json()["refresh_token"])
    assert_from_the_client(event)


def test_client_credentials(token_request, resource_server):
    response = token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
    )

    assert response.status_code == 200
    event = only_event(kind=Kind.TOKENS_ISSUED)
    assert (event.user, event.client_id, event.grant_type, event.token_family) == (
        None,
        "resource-server",
        "client_credentials",
        None,
    )
    assert_from_the_client(event)


@pytest.mark.parametrize("hint", ["access_token", "refresh_token"])
def test_revocation(login, token_request, user, hint):
    tokens = login(user)

    response = token_request("/oauth/revoke", token=tokens[hint], token_type_hint=hint, client_id="ember-app")
    token_request("/oauth/revoke", token=tokens[hint], client_id="ember-app")  # again: nothing left to revoke
    token_request("/oauth/revoke", token="unknown", client_id="ember-app")

    assert response.status_code == 200
    event = only_event(kind=Kind.TOKEN_REVOKED)
    assert (event.user, event.client_id) == (user, "ember-app")
    assert event.token_family == family_of(tokens["refresh_token"])
    assert_from_the_client(event)


def test_reuse_after_the_grace_period_revokes_the_family(login, token_request, user):
    first = login(user)
    family = family_of(first["refresh_token"])
    token_request(grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app")
    SealedReplacement.objects.update(expires=timezone.now())  # the grace period is over

    replay = token_request(grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app")

    assert replay.json()["error"] == "invalid_grant"
    assert not RefreshToken.objects.filter(token_family=family, revoked=None).exists()
    event = only_event(kind=Kind.REFRESH_TOKEN_REUSED)
    assert (event.user, event.client_id, event.token_family) == (user, "ember-app", family)
    assert_from_the_client(event)


def test_no_reuse_event_within_the_grace_period_or_for_unknown_tokens(login, token_request, user):
    first = login(user)
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": "ember-app"}
    token_request(**refresh)

    assert token_request(**refresh).status_code == 200  # the second tab, within the grace period
    assert token_request(**(refresh | {"refresh_token": "unknown"})).status_code == 400

    assert not Event.objects.filter(kind=Kind.REFRESH_TOKEN_REUSED).exists()
    assert Event.objects.filter(kind=Kind.TOKENS_REFRESHED).count() == 2


def test_authorization_code_flow_consent_and_tokens(client, exchange, spa_app, user):
    client.force_login(user)

    answer = consent(client, authorize_url())
    tokens = exchange(query_of(answer)["code"]).json()

    given = only_event(kind=Kind.CONSENT_GIVEN)
    assert (given.user, given.client_id, given.detail) == (user, "other-spa", "read")
    assert_from_the_client(given)
    issued = only_event(kind=Kind.TOKENS_ISSUED)
    assert (issued.user, issued.client_id, issued.grant_type) == (user, "other-spa", "authorization_code")
    assert issued.token_family == family_of(tokens["refresh_token"])


def test_consent_denied(client, spa_app, user):
    client.force_login(user)

    answer = consent(client, authorize_url(), allow=False)

    assert query_of(answer)["error"] == "access_denied"
    denied = only_event(kind=Kind.CONSENT_DENIED)
    assert (denied.user, denied.client_id, denied.detail) == (user, "other-spa", "read")
    assert_from_the_client(denied)
    assert not Event.objects.filter(kind__in=[Kind.CONSENT_GIVEN, Kind.TOKENS_ISSUED]).exists()


@pytest.fixture
def exchange(token_request):
    def post(code):
        return token_request(
            grant_type="authorization_code",
            code=code,
            redirect_uri="https://app.example.com/callback",
            client_id="other-spa",
            code_verifier=VERIFIER,
        )

    return post


def test_google_sign_in_links_the_account_and_issues_tokens(token_request, google, ember_app):
    code = google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER, profile("ada@example.com", sub="1001"))

    response = token_request(
        "/oauth/social/google-oauth2",
        client_id="ember-app",
        code=code,
        redirect_uri=EMBER_GOOGLE_CALLBACK,
        code_verifier=CODE_VERIFIER,
    )

    assert response.status_code == 200, response.content
    linked = only_event(kind=Kind.PROVIDER_LINKED)
    assert (linked.user.email, linked.detail) == ("ada@example.com", "google-oauth2")
    issued = only_event(kind=Kind.TOKENS_ISSUED)
    assert (issued.user, issued.client_id, issued.grant_type) == (linked.user, "ember-app", "google-oauth2")
    assert issued.token_family == family_of(response.json()["refresh_token"])
    assert_from_the_client(issued)
