"""Sign-ins: succeeded (login page), failed (with the reason), refused by throttling."""

import pytest
from django.test import RequestFactory

from audit.models import Event, Kind
from conftest import EMBER_GOOGLE_CALLBACK, PASSWORD, basic_auth
from social_login.tests.conftest import CODE_VERIFIER
from social_login.tests.fake_google import profile
from throttling.signals import attempt_refused

from .conftest import IP, USER_AGENT, assert_from_the_client, only_event

pytestmark = pytest.mark.django_db


def test_login_page_sign_in(client, user):
    response = client.post("/accounts/login/", {"username": "Alice@Example.com", "password": PASSWORD})

    assert response.status_code == 302
    event = only_event(kind=Kind.SIGNED_IN)
    assert (event.user, event.email, event.client_id, event.token_family) == (user, "", "", None)
    assert_from_the_client(event)


def test_admin_sign_in(client, staff_user):
    client.post("/admin/login/", {"username": staff_user.email, "password": PASSWORD})

    assert only_event(kind=Kind.SIGNED_IN).user == staff_user


@pytest.fixture
def inactive_user(django_user_model):
    return django_user_model.objects.create_user("bob@example.com", PASSWORD, is_active=False)


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("nobody@example.com", PASSWORD, "unknown_account"),
        ("Alice@Example.com", "wrong-password", "wrong_password"),
        ("bob@example.com", PASSWORD, "inactive_account"),
        ("bob@example.com", "wrong-password", "inactive_account"),
    ],
)
def test_password_grant_failure(token_request, ember_app, user, inactive_user, email, password, reason):
    response = token_request(grant_type="password", username=email, password=password, client_id="ember-app")

    assert response.status_code == 400
    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.email, event.detail, event.client_id, event.grant_type) == (email, reason, "ember-app", "")
    expected_user = {"unknown_account": None, "wrong_password": user, "inactive_account": inactive_user}[reason]
    assert event.user == expected_user
    assert_from_the_client(event)
    assert not Event.objects.exclude(kind=Kind.SIGN_IN_FAILED).filter(kind__startswith="sign").exists()


def test_password_grant_failure_of_a_client_naming_itself_in_a_basic_header(token_request, ember_app, user):
    token_request(
        grant_type="password",
        username=user.email,
        password="wrong",
        headers={"Authorization": basic_auth("ember-app")},
    )

    assert only_event(kind=Kind.SIGN_IN_FAILED).client_id == "ember-app"


def test_login_page_failure(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong-password"})

    assert response.status_code == 200
    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.email, event.detail, event.client_id) == (user, user.email, "wrong_password", "")
    assert_from_the_client(event)
    assert not Event.objects.filter(kind=Kind.SIGNED_IN).exists()


def test_refused_by_throttling(user):
    request = RequestFactory().post("/oauth/token", REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)

    attempt_refused.send(sender=None, request=request, username=user.email, reason="account_locked", retry_after=60)

    event = only_event(kind=Kind.SIGN_IN_REFUSED)
    assert (event.user, event.email, event.detail) == (user, user.email, "account_locked")
    assert_from_the_client(event)


def test_refused_without_a_request_for_an_unknown_account(db):
    attempt_refused.send(sender=None, request=None, username="x@example.com", reason="address_blocked", retry_after=1)

    event = only_event(kind=Kind.SIGN_IN_REFUSED)
    assert (event.user, event.email, event.detail, event.ip, event.user_agent) == (
        None,
        "x@example.com",
        "address_blocked",
        None,
        "",
    )


@pytest.fixture
def google_sign_in(token_request, google, ember_app):
    def post(account):
        return token_request(
            "/oauth/social/google-oauth2",
            client_id="ember-app",
            code=google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER, account),
            redirect_uri=EMBER_GOOGLE_CALLBACK,
            code_verifier=CODE_VERIFIER,
        )

    return post


def test_google_sign_in_of_a_deactivated_account(google_sign_in, django_user_model):
    google_sign_in(profile("ada@example.com", sub="1001"))
    django_user_model.objects.update(is_active=False)

    assert google_sign_in(profile("ada@example.com", sub="1001")).status_code == 400

    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.user.email, event.email, event.client_id) == ("ada@example.com", "ada@example.com", "ember-app")
    assert (event.grant_type, event.detail) == ("google-oauth2", "inactive_account")
    assert_from_the_client(event)


def test_google_sign_in_with_an_unverified_email(google_sign_in):
    assert google_sign_in(profile("ada@example.com", verified=False)).status_code == 400

    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.email, event.grant_type, event.detail) == (None, "", "google-oauth2", "invalid_claim")
    assert_from_the_client(event)


def test_a_storm_of_refusals_is_recorded_once_a_minute(rf, user):
    request = rf.post("/oauth/token", REMOTE_ADDR="203.0.113.9")
    for _ in range(50):
        attempt_refused.send(sender=None, request=request, username=user.email, reason="address_and_account")
    attempt_refused.send(sender=None, request=request, username=user.email, reason="address")

    assert list(Event.objects.filter(kind=Kind.SIGN_IN_REFUSED).values_list("detail", flat=True).order_by("id")) == [
        "address_and_account",
        "address",
    ]
