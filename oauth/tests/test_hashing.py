import pytest
from django.contrib.auth import hashers
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core import checks
from oauth2_provider.models import Application

from accounts.tests.test_password_hashing import DJANGO_DEFAULT_ARGON2, argon2_parameters
from conftest import PASSWORD, basic_auth
from oauth.hashers import ALGORITHM, ClientSecretHasher

pytestmark = pytest.mark.django_db


# --- Passwords ------------------------------------------------------------------------------


def test_the_password_grant_upgrades_an_argon2_hash_with_djangos_parameters(login, token_request, user):
    user.password = make_password(PASSWORD, hasher=DJANGO_DEFAULT_ARGON2)
    user.save()

    login(user)

    user.refresh_from_db()
    assert argon2_parameters(user.password) == ("argon2id", 19456, 2, 1)
    login(user)  # the password still works with the new hash
    wrong = token_request(grant_type="password", username=user.email, password="nope", client_id="ember-app")
    assert wrong.json()["error"] == "invalid_grant"


def test_user_passwords_never_get_the_client_secret_hasher(user):
    assert not user.password.startswith(ALGORITHM)
    user.set_password("another-" + PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_the_client_secret_hasher_cannot_come_first(settings):
    settings.PASSWORD_HASHERS = ["oauth.hashers.ClientSecretHasher", "accounts.hashers.Argon2PasswordHasher"]

    errors = checks.run_checks(tags=[checks.Tags.security])

    assert [error.id for error in errors if error.id.startswith("oauth.")] == ["oauth.E001"]


def test_the_client_secret_hasher_must_be_listed(settings):
    settings.PASSWORD_HASHERS = ["accounts.hashers.Argon2PasswordHasher"]

    errors = checks.run_checks(tags=[checks.Tags.security])

    assert [error.id for error in errors if error.id.startswith("oauth.")] == ["oauth.E002"]


def test_the_configured_hashers_pass_the_check():
    assert not [error for error in checks.run_checks(tags=[checks.Tags.security]) if error.id.startswith("oauth.")]


# --- Client secrets -------------------------------------------------------------------------


def test_the_client_secret_hash_is_salted_and_verifies_only_its_secret():
    hasher = ClientSecretHasher()
    first, second = make_password("s3cret", hasher=ALGORITHM), make_password("s3cret", hasher=ALGORITHM)

    assert first != second  # a salt of its own each time
    assert first.startswith(f"{ALGORITHM}$")
    assert "s3cret" not in first
    assert hasher.verify("s3cret", first) and hasher.verify("s3cret", second)
    assert not hasher.verify("s3creT", first)
    assert not hasher.verify("", first)
    assert check_password("s3cret", first)  # identified by its prefix, as DOT does it


def test_new_client_secrets_are_stored_with_the_fast_scheme(resource_server):
    stored = resource_server.application.client_secret

    assert stored.startswith(f"{ALGORITHM}$")
    assert check_password(resource_server.secret, stored)


def client_credentials(token_request, secret, **extra):
    return token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("resource-server", secret)},
        **extra,
    )


def store_argon2_secret(registration):
    application = registration.application
    application.client_secret = make_password(registration.secret, hasher=DJANGO_DEFAULT_ARGON2)
    application.save()
    return application


@pytest.mark.parametrize("method", ["basic", "body"])
def test_an_old_argon2_secret_is_upgraded_on_its_next_use(token_request, resource_server, method):
    application = store_argon2_secret(resource_server)
    assert application.client_secret.startswith("argon2$")

    if method == "basic":
        response = client_credentials(token_request, resource_server.secret)
    else:
        response = token_request(
            grant_type="client_credentials", client_id="resource-server", client_secret=resource_server.secret
        )

    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.client_secret.startswith(f"{ALGORITHM}$")
    assert check_password(resource_server.secret, application.client_secret)
    assert client_credentials(token_request, resource_server.secret).status_code == 200


def test_a_wrong_secret_fails_and_upgrades_nothing(token_request, resource_server):
    application = store_argon2_secret(resource_server)
    old = application.client_secret

    response = client_credentials(token_request, resource_server.secret + "x")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    application.refresh_from_db()
    assert application.client_secret == old


@pytest.mark.parametrize("wrong", ["", "x", "resource-server", "SECRET"])
def test_wrong_secrets_fail_against_the_fast_scheme(token_request, resource_server, wrong):
    response = client_credentials(token_request, wrong or resource_server.secret.upper())

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unhashed_secret_is_left_unhashed(token_request, resource_server):
    application = resource_server.application
    application.hash_client_secret = False
    application.client_secret = resource_server.secret
    application.save()

    assert client_credentials(token_request, resource_server.secret).status_code == 200

    application.refresh_from_db()
    assert application.client_secret == resource_server.secret


def test_the_admin_stores_the_fast_scheme(admin_client):
    secret = "a" * 40 + "generated-by-the-form"
    response = admin_client.post(
        "/admin/oauth2_provider/application/add/",
        {
            "client_id": "billing",
            "name": "Billing API",
            "client_type": "confidential",
            "authorization_grant_type": "client-credentials",
            "client_secret": secret,
            "hash_client_secret": "on",
            "algorithm": "",
            "redirect_uris": "",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Application.objects.get(client_id="billing").client_secret
    assert stored.startswith(f"{ALGORITHM}$")
    assert check_password(secret, stored)


def test_djangos_default_argon2_is_not_a_configured_hasher():
    # Both are called "argon2": listing Django's too would make it the one that verifies.
    assert type(identify_hasher(make_password("x", hasher=DJANGO_DEFAULT_ARGON2))) is not hashers.Argon2PasswordHasher
