"""POST /oauth/social/google-oauth2 against the stand-in Google on 127.0.0.1."""

import json
import logging
import socket
import time

import pytest
from django.contrib.auth import get_user_model
from oauth2_provider.models import AccessToken
from social_django.models import UserSocialAuth

from conftest import EMBER_GOOGLE_CALLBACK, PASSWORD, bearer, stored_access_tokens, stored_refresh_tokens

from .conftest import CODE_VERIFIER
from .fake_google import CLIENT_SECRET, profile

pytestmark = pytest.mark.django_db

User = get_user_model()
ADA = profile("Ada@Example.com", sub="1001", given_name="Ada", family_name="Lovelace")


def assert_oauth_error(response, status, error):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == error
    return response.json()["error_description"]


def test_new_google_user_gets_an_account_a_link_and_this_servers_tokens(sign_in, google, ember_app, client):
    response = sign_in(ADA)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "expires_in", "token_type", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 3600, "read write")
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"

    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == ("ada@example.com", "Ada", "Lovelace")
    assert not user.has_usable_password()
    link = UserSocialAuth.objects.get()
    assert (link.user, link.provider, link.uid) == (user, "google-oauth2", "1001")
    assert link.extra_data == {}  # Google's own tokens are not kept
    token = stored_access_tokens(body["access_token"]).get()
    assert (token.user, token.application, token.scope) == (user, ember_app, "read write")
    assert stored_refresh_tokens(body["refresh_token"]).get().access_token == token

    # What Google was sent: the code, the app's redirect URI, the PKCE verifier and this server's secret.
    (exchange,) = google.token_requests
    assert exchange["redirect_uri"] == EMBER_GOOGLE_CALLBACK
    assert exchange["code_verifier"] == CODE_VERIFIER
    assert exchange["client_secret"] == CLIENT_SECRET

    me = client.get("/api/me", **bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["data"]["attributes"]["email"] == "ada@example.com"


def test_the_tokens_refresh_and_revoke_like_a_password_logins(sign_in, token_request, client):
    tokens = sign_in(ADA).json()

    refreshed = token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app")
    assert refreshed.status_code == 200, refreshed.content
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]  # rotated

    new_access = refreshed.json()["access_token"]
    revoked = token_request("/oauth/revoke", token=new_access, client_id="ember-app")
    assert revoked.status_code == 200
    assert client.get("/api/me", **bearer(new_access)).status_code == 401


def test_a_verified_google_email_signs_in_as_the_existing_account(sign_in, user):
    response = sign_in(profile("ALICE@example.com", sub="2002", given_name="Alicia"))

    assert response.status_code == 200, response.content
    assert stored_access_tokens(response.json()["access_token"]).get().user == user
    assert UserSocialAuth.objects.get().user == user
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # the password still works
    assert user.first_name == "Alice"  # names already set are the user's own


@pytest.mark.parametrize("verified", [False, None, "true"], ids=["false", "absent", "string"])
def test_an_unverified_email_never_links_to_an_account(sign_in, user, verified):
    account = profile(user.email, sub="3003", verified=verified)
    if verified is None:
        del account["email_verified"]

    response = sign_in(account)

    description = assert_oauth_error(response, 400, "invalid_grant")
    assert "not verified" in description
    assert not UserSocialAuth.objects.exists()
    assert not AccessToken.objects.exists()


def test_an_unverified_email_never_creates_an_account(sign_in):
    response = sign_in(profile("eve@example.com", verified=False))

    assert_oauth_error(response, 400, "invalid_grant")
    assert not User.objects.exists()
    assert not UserSocialAuth.objects.exists()


def test_a_profile_without_an_email_is_refused_clearly(sign_in):
    account = profile("", sub="4004")

    response = sign_in(account)

    description = assert_oauth_error(response, 400, "invalid_grant")
    assert description == "Google did not share an email address, which this server needs to sign you in."
    assert not User.objects.exists()


def test_a_second_sign_in_reuses_the_link_even_after_the_google_email_changes(sign_in, client):
    first = sign_in(ADA).json()
    user = User.objects.get()
    user.first_name = "Augusta"  # edited in the app since
    user.save()

    second = sign_in(profile("ada.lovelace@example.org", sub="1001", given_name="Ada"))

    assert second.status_code == 200, second.content
    assert stored_access_tokens(second.json()["access_token"]).get().user == user
    assert second.json()["access_token"] != first["access_token"]
    assert User.objects.count() == 1 and UserSocialAuth.objects.count() == 1
    user.refresh_from_db()
    assert (user.email, user.first_name) == ("ada@example.com", "Augusta")


def test_names_longer_than_the_columns_are_cut_to_fit(sign_in):
    response = sign_in(profile("long@example.com", given_name="G" * 400, family_name="F" * 400))

    assert response.status_code == 200, response.content
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("G" * 150, "F" * 150)


def test_a_google_address_of_a_deactivated_account_gets_no_account(sign_in, user):
    user.is_active = False
    user.save()

    response = sign_in(profile(user.email, sub="5005"))

    description = assert_oauth_error(response, 400, "invalid_grant")
    assert description == "This email address belongs to an account that cannot sign in."
    assert User.objects.count() == 1
    assert not UserSocialAuth.objects.exists()
    assert not AccessToken.objects.exists()


def test_a_code_google_rejects_is_invalid_grant(token_request, google, ember_app):
    response = token_request(
        "/oauth/social/google-oauth2",
        client_id="ember-app",
        code="made-up",
        redirect_uri=EMBER_GOOGLE_CALLBACK,
        code_verifier=CODE_VERIFIER,
    )

    description = assert_oauth_error(response, 400, "invalid_grant")
    assert description.startswith("Google sign-in failed: ")
    assert not User.objects.exists()


def test_a_wrong_pkce_verifier_is_invalid_grant(sign_in, google):
    code = google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER)

    response = sign_in(code=code, code_verifier="x" * 43)

    assert_oauth_error(response, 400, "invalid_grant")


def test_a_code_is_good_once(sign_in, google):
    code = google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER, ADA)
    assert sign_in(code=code).status_code == 200

    assert_oauth_error(sign_in(code=code), 400, "invalid_grant")


def test_a_slow_google_is_temporarily_unavailable_without_waiting_for_it(sign_in, google, settings):
    settings.SOCIAL_AUTH_REQUESTS_TIMEOUT = 0.5
    google.token_delay = 3

    started = time.monotonic()
    response = sign_in(ADA)
    elapsed = time.monotonic() - started

    description = assert_oauth_error(response, 503, "temporarily_unavailable")
    assert description == "Google is not responding right now; try again later."
    assert elapsed < google.token_delay  # answered before Google would have
    assert not User.objects.exists()


def test_an_unreachable_google_is_temporarily_unavailable(sign_in, settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL = f"http://127.0.0.1:{port}/token"

    assert_oauth_error(sign_in(ADA), 503, "temporarily_unavailable")


def test_a_failing_google_is_temporarily_unavailable_with_its_retry_after(sign_in, google):
    google.token_failure = (503, {"error": "temporarily_unavailable"}, {"Retry-After": "30"})

    response = sign_in(ADA)

    assert_oauth_error(response, 503, "temporarily_unavailable")
    assert response["Retry-After"] == "30"


def test_an_unregistered_redirect_uri_is_refused_before_google_sees_the_code(sign_in, google):
    response = sign_in(ADA, redirect_uri="https://evil.example.com/login/google-oauth2/callback")

    description = assert_oauth_error(response, 400, "invalid_request")
    assert description == "redirect_uri is not registered for this client."
    assert google.token_requests == []


@pytest.mark.parametrize("missing", ["code", "code_verifier", "redirect_uri"])
def test_missing_parameters_are_invalid_request(sign_in, google, missing):
    response = sign_in(ADA, **{missing: ""})

    assert assert_oauth_error(response, 400, "invalid_request") == f"Missing parameter: {missing}."
    assert google.token_requests == []


def test_a_malformed_code_verifier_is_invalid_request(sign_in, google):
    response = sign_in(ADA, code_verifier="too-short")

    assert "RFC 7636" in assert_oauth_error(response, 400, "invalid_request")
    assert google.token_requests == []


def test_a_scope_can_be_narrowed_but_not_widened(sign_in):
    assert sign_in(ADA, scope="read").json()["scope"] == "read"

    assert_oauth_error(sign_in(ADA, scope="read introspection"), 400, "invalid_scope")


def test_an_unknown_client_is_invalid_client(sign_in, google):
    response = sign_in(ADA, client_id="nobody")

    assert_oauth_error(response, 401, "invalid_client")
    assert response["WWW-Authenticate"] == 'Basic realm="oauth"'
    assert google.token_requests == []


def test_only_first_party_clients_may_use_it(sign_in, spa_app, google):
    response = sign_in(ADA, client_id=spa_app.client_id)

    assert_oauth_error(response, 400, "unauthorized_client")
    assert google.token_requests == []


def test_a_deactivated_account_gets_no_tokens(sign_in):
    sign_in(ADA)
    User.objects.update(is_active=False)

    assert_oauth_error(sign_in(ADA), 400, "invalid_grant")
    assert AccessToken.objects.count() == 1  # the first sign-in's only


def test_an_unknown_provider_is_a_clear_404(token_request, ember_app):
    response = token_request("/oauth/social/myspace", client_id="ember-app")

    description = assert_oauth_error(response, 404, "invalid_request")
    assert description == "This server has no sign-in provider called 'myspace'."


def test_google_without_a_key_and_secret_is_a_clear_404(token_request, ember_app, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = ""

    response = token_request("/oauth/social/google-oauth2", client_id="ember-app")

    description = assert_oauth_error(response, 404, "invalid_request")
    assert description == "Sign-in with Google is not configured on this server."


def test_a_json_body_and_a_get_get_oauth_errors(client, google, ember_app):
    as_json = client.post("/oauth/social/google-oauth2", json.dumps({"code": "x"}), content_type="application/json")
    assert_oauth_error(as_json, 400, "invalid_request")

    get = client.get("/oauth/social/google-oauth2")
    assert get.status_code == 405
    assert get["Allow"] == "POST"


def test_nothing_secret_is_logged_when_a_sign_in_fails(sign_in, google, caplog):
    code = google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER)
    with caplog.at_level(logging.DEBUG):
        response = sign_in(code=code, code_verifier="y" * 43)

    assert response.status_code == 400
    assert "Sign-in with google-oauth2 failed" in caplog.text
    for secret in (code, CODE_VERIFIER, "y" * 43, CLIENT_SECRET):
        assert secret not in caplog.text


def test_a_browser_app_on_an_allowed_origin_may_call_it(client):
    response = client.options(
        "/oauth/social/google-oauth2",
        headers={"Origin": "http://localhost:4200", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:4200"
