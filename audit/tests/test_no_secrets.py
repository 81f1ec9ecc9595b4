"""No password, token, code, verifier or secret in any event row or any log line, after every flow."""

import pytest
from oauth2_provider.models import Application

from audit.models import Event, Kind
from conftest import EMBER_GOOGLE_CALLBACK, PASSWORD, REDIRECT_URI, basic_auth, bearer
from oauth.tests.test_authorization_code import VERIFIER, authorize_url, consent, query_of
from social_login.tests.conftest import CODE_VERIFIER
from social_login.tests.fake_google import CLIENT_SECRET, profile

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "not-the-password-0123456789"


def test_no_secret_in_the_trail_or_the_logs(
    audit_log, caplog, client, login, token_request, user, spa_app, resource_server, google
):
    secrets = [PASSWORD, WRONG_PASSWORD, resource_server.secret, CLIENT_SECRET, VERIFIER, CODE_VERIFIER]

    def remember(response):
        assert response.status_code == 200, response.content
        body = response.json()
        secrets.extend(body[name] for name in ("access_token", "refresh_token") if name in body)
        return body

    # Password grant (good and bad), refresh, API call, revocation.
    tokens = login(user)
    secrets.extend([tokens["access_token"], tokens["refresh_token"]])
    token_request(grant_type="password", username=user.email, password=WRONG_PASSWORD, client_id="ember-app")
    client.post("/accounts/login/", {"username": user.email, "password": WRONG_PASSWORD})
    refreshed = remember(
        token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app")
    )
    client.get("/api/me", **bearer(refreshed["access_token"]))
    token_request("/oauth/revoke", token=refreshed["access_token"], client_id="ember-app")
    token_request(grant_type="refresh_token", refresh_token=refreshed["refresh_token"], client_id="ember-app")

    # Authorization code with consent, at the login page first.
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    code = query_of(consent(client, authorize_url()))["code"]
    secrets.append(code)
    remember(
        token_request(
            grant_type="authorization_code",
            code=code,
            redirect_uri=REDIRECT_URI,
            client_id="other-spa",
            code_verifier=VERIFIER,
        )
    )

    # Client credentials, and Sign in with Google.
    remember(
        token_request(
            grant_type="client_credentials",
            headers={"Authorization": basic_auth("resource-server", resource_server.secret)},
        )
    )
    google_code = google.issue_code(EMBER_GOOGLE_CALLBACK, CODE_VERIFIER, profile("ada@example.com"))
    secrets.append(google_code)
    remember(
        token_request(
            "/oauth/social/google-oauth2",
            client_id="ember-app",
            code=google_code,
            redirect_uri=EMBER_GOOGLE_CALLBACK,
            code_verifier=CODE_VERIFIER,
        )
    )
    secrets.extend(google.access_tokens)
    secrets.extend(Application.objects.values_list("client_secret", flat=True))  # the stored hashes too

    kinds = set(Event.objects.values_list("kind", flat=True))
    assert kinds >= {
        Kind.TOKENS_ISSUED,
        Kind.TOKENS_REFRESHED,
        Kind.TOKEN_REVOKED,
        Kind.SIGN_IN_FAILED,
        Kind.SIGNED_IN,
        Kind.CONSENT_GIVEN,
        Kind.PROVIDER_LINKED,
    }
    rows = [" ".join(str(value) for value in row.values()) for row in Event.objects.values()]
    lines = audit_log()
    assert len(lines) == Event.objects.count() - 3  # caplog keeps apart the setup, which registered three clients
    everything = "\n".join([*rows, *lines, caplog.text])
    assert len(secrets) >= 16
    for secret in secrets:
        assert secret and secret not in everything, secret
