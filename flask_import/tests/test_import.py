import hashlib

import pytest
import sqlalchemy
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.core.management import CommandError
from django.utils import timezone
from oauth2_provider.models import AbstractApplication, AccessToken, Application, RefreshToken

from conftest import basic_auth, bearer
from flask_import.models import ImportedToken
from oauth.models import SealedReplacement

from . import flask_design as flask
from .conftest import OLD_PASSWORDS, PARTNER_CALLBACK

pytestmark = pytest.mark.django_db(transaction=False)

User = get_user_model()


def rows():
    """Everything the import can write, as comparable values (hashes and checksums included)."""
    return {
        "users": list(User.objects.order_by("email").values_list("email", "first_name", "last_name", "password")),
        "clients": list(
            Application.objects.order_by("client_id").values_list(
                "client_id", "name", "client_type", "authorization_grant_type", "redirect_uris", "client_secret", "user"
            )
        ),
        "access": list(AccessToken.objects.order_by("pk").values_list("token_checksum", "expires", "scope", "user")),
        "refresh": list(RefreshToken.objects.order_by("pk").values_list("token_checksum", "revoked", "token_family")),
        "imported": list(ImportedToken.objects.values_list("token_checksum", flat=True)),
    }


@pytest.fixture
def refresh(token_request):
    def post(refresh_token, client_id="ember-flask"):
        return token_request(grant_type="refresh_token", refresh_token=refresh_token, client_id=client_id)

    return post


def test_sqlite_source_everything_comes_across(flask_design, run_import):
    output = run_import(flask_design.url, "--tokens")

    assert_everything_came_across(output)


def test_postgresql_source_everything_comes_across(postgres_design, run_import):
    output = run_import(postgres_design.url, "--tokens")

    assert_everything_came_across(output)


def assert_everything_came_across(output):
    assert "Users: 3 created, 0 updated, 0 unchanged, 2 skipped (2 sharing an address)" in output
    assert "Clients: 3 created, 0 updated, 0 unchanged, 1 skipped (1 with no grant served here)" in output
    assert (
        "Refresh tokens: 2 created, 0 updated, 0 unchanged, 4 skipped (1 expired at the source, "
        "1 of a client not imported, 1 of a user not imported, 1 revoked at the source)"
    ) in output

    alice = User.objects.get(email="alice@example.com")
    assert (alice.first_name, alice.last_name) == ("Alice", "Liddell")
    assert identify_hasher(alice.password).algorithm == "sha256_crypt"
    assert not User.objects.get(email="dave@example.com").has_usable_password()
    assert not User.objects.filter(email="carol@example.com").exists()

    ember = Application.objects.get(client_id="ember-flask")
    assert (ember.name, ember.client_type, ember.authorization_grant_type, ember.user) == (
        "Ember app",
        AbstractApplication.CLIENT_PUBLIC,
        AbstractApplication.GRANT_PASSWORD,
        alice,
    )
    reports = Application.objects.get(client_id="reports-service")
    assert reports.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
    assert reports.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS
    # Stored the way this server stores client secrets (CLIENT_SECRET_HASHER), never plain.
    assert identify_hasher(reports.client_secret).algorithm == "client_secret_hmac_sha256"
    partner = Application.objects.get(client_id="partner-web")
    assert partner.authorization_grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE
    assert partner.redirect_uris == PARTNER_CALLBACK
    assert not Application.objects.filter(client_id="legacy-implicit").exists()

    refresh_tokens = RefreshToken.objects.all()
    assert len(refresh_tokens) == 2
    assert {token.user.email for token in refresh_tokens} == {"alice@example.com", "bob@example.com"}
    assert len({token.token_family for token in refresh_tokens} - {None}) == 2

    assert "users 3 <Carol@Example.com>, 4 <carol@example.com> are one address whatever the case" in output
    assert "user 5 <dave@example.com>: the password is not a sha256_crypt hash" in output
    assert "client legacy-implicit: grant types implicit; none is served here" in output
    assert "1 token(s) had scope 'profile', not defined here" in output


def test_the_old_password_signs_in_and_is_then_argon2(flask_design, run_import, token_request):
    run_import(flask_design.url)

    wrong = token_request(grant_type="password", username="alice@example.com", password="nope", client_id="ember-flask")
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert identify_hasher(User.objects.get(email="alice@example.com").password).algorithm == "sha256_crypt"

    for _ in range(2):  # the first sign-in checks the sha256_crypt hash, the second the Argon2id one
        response = token_request(
            grant_type="password",
            username="Alice@Example.com",
            password=OLD_PASSWORDS["alice"],
            client_id="ember-flask",
        )
        assert response.status_code == 200, response.content
        assert identify_hasher(User.objects.get(email="alice@example.com").password).algorithm == "argon2"


def test_a_confidential_client_authenticates_with_its_old_secret(flask_design, run_import, token_request):
    run_import(flask_design.url)

    response = token_request(
        grant_type="client_credentials",
        headers={"Authorization": basic_auth("reports-service", flask_design.reports_secret)},
    )
    assert response.status_code == 200, response.content
    # and introspects, as the resource server it is
    introspection = token_request(
        "/oauth/introspect",
        token=response.json()["access_token"],
        headers={"Authorization": basic_auth("reports-service", flask_design.reports_secret)},
    )
    assert introspection.json()["active"] is True

    wrong = token_request(
        grant_type="client_credentials", headers={"Authorization": basic_auth("reports-service", "x")}
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert flask_design.reports_secret not in Application.objects.get(client_id="reports-service").client_secret


def test_the_public_client_needs_no_secret(flask_design, run_import, token_request):
    run_import(flask_design.url)

    response = token_request(
        grant_type="password",
        username="bob@example.com",
        password=OLD_PASSWORDS["bob"],
        headers={"Authorization": basic_auth("ember-flask")},
    )

    assert response.status_code == 200, response.content


def test_imported_tokens_keep_people_signed_in(flask_design, run_import, refresh, client):
    run_import(flask_design.url, "--tokens")

    # Alice's access token is still valid: her app carries on as it was.
    me = client.get("/api/me", **bearer(flask_design.alice_tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["data"]["attributes"]["email"] == "alice@example.com"
    # Bob's has expired, as it would have at the source.
    assert client.get("/api/me", **bearer(flask_design.bob_tokens["access_token"])).status_code == 401

    for person, tokens in (("alice", flask_design.alice_tokens), ("bob", flask_design.bob_tokens)):
        response = refresh(tokens["refresh_token"])
        assert response.status_code == 200, response.content
        fresh = response.json()
        assert fresh["scope"] == "read write"
        me = client.get("/api/me", **bearer(fresh["access_token"]))
        assert me.json()["data"]["attributes"]["email"] == f"{person}@example.com"


def test_an_imported_refresh_token_replayed_revokes_its_own_family_only(flask_design, run_import, refresh, settings):
    run_import(flask_design.url, "--tokens")
    alice_first = flask_design.alice_tokens["refresh_token"]
    alice_second = refresh(alice_first).json()["refresh_token"]
    SealedReplacement.objects.update(expires=timezone.now())  # the grace period is over

    assert refresh(alice_first).json()["error"] == "invalid_grant"

    assert refresh(alice_second).json()["error"] == "invalid_grant"  # the whole family is revoked
    assert refresh(flask_design.bob_tokens["refresh_token"]).status_code == 200  # another family


def test_tokens_are_stored_as_the_server_stores_them_when_hashed_at_rest(flask_design, run_import, refresh, settings):
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
        "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    }

    run_import(flask_design.url, "--tokens")

    imported = RefreshToken.objects.get(user__email="alice@example.com")
    assert imported.token == ""
    assert imported.access_token.token == ""
    assert imported.token_checksum == hashlib.sha256(flask_design.alice_tokens["refresh_token"].encode()).hexdigest()
    assert refresh(flask_design.alice_tokens["refresh_token"]).status_code == 200


def test_a_dry_run_writes_nothing(flask_design, run_import):
    before = rows()

    output = run_import(flask_design.url, "--tokens", "--dry-run")

    assert output.startswith("Dry run: nothing is written.")
    assert "Users: 3 created" in output
    assert "Refresh tokens: 2 created" in output
    assert rows() == before


def test_a_second_run_changes_nothing(flask_design, run_import):
    run_import(flask_design.url, "--tokens")
    first = rows()

    output = run_import(flask_design.url, "--tokens")

    assert rows() == first
    assert "Users: 0 created, 0 updated, 3 unchanged, 2 skipped" in output
    assert "Clients: 0 created, 0 updated, 3 unchanged, 1 skipped" in output
    assert "Refresh tokens: 0 created, 0 updated, 2 unchanged, 4 skipped" in output


def test_a_token_rotated_here_is_never_imported_again(flask_design, run_import, refresh):
    run_import(flask_design.url, "--tokens")
    old = flask_design.alice_tokens["refresh_token"]
    assert refresh(old).status_code == 200
    RefreshToken.objects.filter(revoked__isnull=False).delete()  # what cleartokens does, later
    SealedReplacement.objects.update(expires=timezone.now())  # the grace period is over

    output = run_import(flask_design.url, "--tokens")

    assert "Refresh tokens: 0 created, 0 updated, 2 unchanged" in output
    assert refresh(old).json()["error"] == "invalid_grant"


def test_a_second_run_brings_a_password_changed_at_the_source(flask_design, run_import, token_request):
    run_import(flask_design.url)
    flask.change(
        flask_design.url,
        lambda session: (
            session.query(flask.User)
            .filter_by(email="bob@example.com")
            .update({"password": flask.hash_password("bob-new"), "last_name": "Builder"})
        ),
    )

    output = run_import(flask_design.url)

    assert "Users: 0 created, 1 updated, 2 unchanged" in output
    assert User.objects.get(email="bob@example.com").last_name == "Builder"
    response = token_request(
        grant_type="password", username="bob@example.com", password="bob-new", client_id="ember-flask"
    )
    assert response.status_code == 200


def test_an_account_used_here_keeps_its_password_and_names(flask_design, run_import, django_user_model):
    here = django_user_model.objects.create_user("alice@example.com", "set-here-already", first_name="Al")

    output = run_import(flask_design.url)

    here.refresh_from_db()
    assert here.check_password("set-here-already")
    assert here.first_name == "Al"
    assert "Users: 2 created, 0 updated, 1 unchanged" in output


def test_an_unreadable_row_half_way_leaves_the_database_unchanged(flask_design, run_import):
    """Users and one client are written before the broken client is read: all of it is rolled back."""
    flask.change(
        flask_design.url,
        lambda session: session.add(flask.OAuth2Client(client_id="zz-broken", _client_metadata="{not json")),
    )
    before = rows()

    with pytest.raises(CommandError, match=r"client zz-broken: client_metadata is not JSON .* Nothing was imported\."):
        run_import(flask_design.url, "--tokens")

    assert rows() == before
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("metadata", "columns", "problem"),
    [
        (
            {"grant_types": ["authorization_code", "password", "implicit"], "redirect_uris": [PARTNER_CALLBACK]},
            {},
            "client odd: imported with authorization_code only; password, implicit dropped",
        ),
        (
            {"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"},
            {},
            "client odd: client_credentials needs a confidential client; not imported.",
        ),
        (
            {"grant_types": ["password"], "token_endpoint_auth_method": "private_key_jwt"},
            {},
            "client odd: token_endpoint_auth_method private_key_jwt is not served here; not imported.",
        ),
        (
            {"grant_types": ["password"]},
            {"client_secret_expires_at": 1},
            "client odd: its secret expired at 1970-01-01T00:00:01+00:00; not imported.",
        ),
        (
            {"grant_types": ["authorization_code"]},
            {},
            "client odd: redirect_uris cannot be empty with grant_type authorization-code; not imported.",
        ),
        (
            {"grant_types": ["password"]},
            {"client_secret_expires_at": 4102444800},
            "client odd: its secret was to expire at 2100-01-01T00:00:00+00:00; secrets do not expire here",
        ),
    ],
)
def test_clients_this_server_cannot_serve_as_they_were_are_reported(tmp_path, run_import, metadata, columns, problem):
    url = f"sqlite:///{tmp_path / 'flask.db'}"
    flask.build(url, lambda session: session.add(flask.new_client("odd", metadata, **columns)))

    output = run_import(url)

    assert f"- {problem}" in output


def test_a_source_that_is_not_there_or_not_the_flask_design(tmp_path, run_import):
    with pytest.raises(CommandError, match="No SQLite database at"):
        run_import(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()

    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(CommandError, match="has no user table"):
        run_import(f"sqlite:///{tmp_path / 'empty.db'}")

    with pytest.raises(CommandError, match="Unsupported database 'mysql'"):
        run_import("mysql://localhost/flask")


def test_the_articles_authlib_0_15_token_table(tmp_path, run_import, refresh):
    """The articles' Authlib 0.15 marks a revoked token with a `revoked` boolean, not two timestamps."""
    url = f"sqlite:///{tmp_path / 'flask.db'}"

    def fill(session):
        alice = flask.User(email="alice@example.com", password=flask.hash_password("pw"))
        session.add(alice)
        session.flush()
        session.add(
            flask.new_client("ember-flask", {"grant_types": ["password"], "token_endpoint_auth_method": "none"})
        )
        return alice.id

    alice_id = flask.build(url, fill)
    columns = (
        "client_id",
        "token_type",
        "access_token",
        "refresh_token",
        "scope",
        "issued_at",
        "expires_in",
    )
    legacy = sqlalchemy.Table(  # Authlib 0.15.5's OAuth2TokenMixin, with the article's id and user_id
        "oauth2_token",
        sqlalchemy.MetaData(),
        sqlalchemy.Column("id", sqlalchemy.Integer, primary_key=True),
        sqlalchemy.Column("user_id", sqlalchemy.Integer),
        sqlalchemy.Column("client_id", sqlalchemy.String(48)),
        sqlalchemy.Column("token_type", sqlalchemy.String(40)),
        sqlalchemy.Column("access_token", sqlalchemy.String(255), unique=True, nullable=False),
        sqlalchemy.Column("refresh_token", sqlalchemy.String(255), index=True),
        sqlalchemy.Column("scope", sqlalchemy.Text, default=""),
        sqlalchemy.Column("revoked", sqlalchemy.Boolean, default=False),
        sqlalchemy.Column("issued_at", sqlalchemy.Integer, nullable=False),
        sqlalchemy.Column("expires_in", sqlalchemy.Integer, nullable=False, default=0),
    )

    def legacy_row(revoked):
        token = flask.new_token(flask.User(id=alice_id), "ember-flask", issued_ago=60)
        return {name: getattr(token, name) for name in columns} | {"user_id": alice_id, "revoked": revoked}

    live, revoked = legacy_row(False), legacy_row(True)
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as db:
        db.execute(sqlalchemy.text("DROP TABLE oauth2_token"))
        legacy.create(db)
        db.execute(legacy.insert(), [live, revoked])
    engine.dispose()

    output = run_import(url, "--tokens")

    assert "Refresh tokens: 1 created, 0 updated, 0 unchanged, 1 skipped (1 revoked at the source)" in output
    assert refresh(live["refresh_token"]).status_code == 200
    assert refresh(revoked["refresh_token"]).json()["error"] == "invalid_grant"


def test_users_without_a_usable_address_are_reported(tmp_path, run_import):
    url = f"sqlite:///{tmp_path / 'flask.db'}"
    password = flask.hash_password("pw")
    flask.build(
        url,
        lambda session: session.add_all(
            [
                flask.User(email="not-an-address", password=password),
                flask.User(email=None, password=password),
                flask.User(email="a" * 250 + "@example.com", password=password),
                flask.User(email=" Eve@Example.com ", first_name="E\x00ve", password=password),
            ]
        ),
    )

    output = run_import(url)

    assert "Users: 1 created, 0 updated, 0 unchanged, 3 skipped (3 without a valid address)" in output
    assert "- user 1: 'not-an-address' is not an email address; not imported." in output
    assert "- user 2: None is not an email address; not imported." in output
    assert User.objects.get().first_name == "Eve"
    assert User.objects.get().email == "eve@example.com"
