import pytest
from django.contrib.auth.hashers import make_password
from oauth2_provider.models import AccessToken, RefreshToken

from conftest import PASSWORD, basic_auth, stored_access_tokens
from oauth.clients import register_client

pytestmark = pytest.mark.django_db


def test_password_grant_with_client_id_in_body(token_request, ember_app, user):
    response = token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="ember-app")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "expires_in", "token_type", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "read write"
    assert response["Cache-Control"] == "no-store"
    token = stored_access_tokens(body["access_token"]).get()
    assert token.user == user and token.application == ember_app


def test_username_is_the_email_in_any_case(token_request, ember_app, user):
    response = token_request(
        grant_type="password", username="ALICE@Example.COM", password=PASSWORD, client_id="ember-app"
    )

    assert response.status_code == 200


def test_public_client_may_name_itself_with_basic_and_an_empty_secret(token_request, ember_app, user):
    response = token_request(
        grant_type="password",
        username=user.email,
        password=PASSWORD,
        headers={"Authorization": basic_auth("ember-app")},
    )

    assert response.status_code == 200
    assert stored_access_tokens(response.json()["access_token"]).get().application == ember_app


def test_basic_header_and_body_must_name_the_same_client(token_request, ember_app, spa_app, user):
    response = token_request(
        grant_type="password",
        username=user.email,
        password=PASSWORD,
        client_id="other-spa",
        headers={"Authorization": basic_auth("ember-app")},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.fixture
def confidential_password_client(db):
    return register_client(name="Backend", client_id="backend", public=False, grant_type="password")


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
def test_confidential_client_with_empty_or_wrong_secret_is_invalid_client(
    token_request, confidential_password_client, user, secret
):
    response = token_request(
        grant_type="password",
        username=user.email,
        password=PASSWORD,
        headers={"Authorization": basic_auth("backend", secret)},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_confidential_client_without_credentials_is_invalid_client(token_request, confidential_password_client, user):
    response = token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="backend")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_confidential_client_with_its_secret_gets_tokens(token_request, confidential_password_client, user):
    secret = confidential_password_client.secret
    response = token_request(
        grant_type="password",
        username=user.email,
        password=PASSWORD,
        headers={"Authorization": basic_auth("backend", secret)},
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice@example.com", "wrong"), ("nobody@example.com", PASSWORD), ("", ""), ("a" * 10_000, "b" * 10_000)],
)
def test_wrong_credentials_are_invalid_grant(token_request, ember_app, user, username, password):
    response = token_request(grant_type="password", username=username, password=password, client_id="ember-app")

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_grant", "invalid_request"}
    assert response["Cache-Control"] == "no-store"
    assert not AccessToken.objects.exists()


def test_inactive_user_cannot_log_in(token_request, ember_app, user):
    user.is_active = False
    user.save()

    response = token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="ember-app")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_unknown_client_is_invalid_client(token_request, ember_app, user):
    response = token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="nope")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_password_grant_only_for_clients_registered_with_it(token_request, spa_app, user):
    response = token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="other-spa")

    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


def test_unknown_grant_type(token_request, ember_app):
    response = token_request(grant_type="magic", client_id="ember-app")

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_json_body_is_invalid_request_not_unsupported_grant_type(client, ember_app, user):
    response = client.post(
        "/oauth/token",
        {"grant_type": "password", "username": user.email, "password": PASSWORD, "client_id": "ember-app"},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "application/x-www-form-urlencoded" in body["error_description"]
    assert response["Cache-Control"] == "no-store"


def test_public_client_cannot_obtain_the_introspection_scope(token_request, ember_app, user):
    response = token_request(
        grant_type="password", username=user.email, password=PASSWORD, client_id="ember-app", scope="read introspection"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_narrower_scope_on_request(login, user):
    assert login(user, scope="read")["scope"] == "read"


def test_login_upgrades_an_old_pbkdf2_hash_to_argon2(login, user):
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()

    login(user)

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_each_login_issues_a_refresh_token(login, user):
    login(user)
    login(user)

    assert RefreshToken.objects.filter(user=user, revoked__isnull=True).count() == 2


def test_a_refused_guess_is_answered_before_dot_reads_the_request(
    token_request, ember_app, user, django_assert_max_num_queries
):
    guess = {"grant_type": "password", "username": user.email, "password": "wrong", "client_id": ember_app.client_id}
    for _ in range(5):  # SIGNIN_FAILURE_LIMIT
        assert token_request(**guess).status_code == 400

    # The count query and the audit event's account lookup and insert; DOT would load the client first.
    with django_assert_max_num_queries(3) as queries:
        response = token_request(**guess)

    assert response.status_code == 429
    assert response.json()["error"] == "invalid_grant"
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert not any("oauth2_provider_application" in query["sql"] for query in queries.captured_queries)
