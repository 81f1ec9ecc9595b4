"""The Flask design's database the import tests read: a SQLite file, or a PostgreSQL database of their own."""

from dataclasses import dataclass
from io import StringIO

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from sqlalchemy.engine import make_url

from . import flask_design as flask

OLD_PASSWORDS = {"alice": "alice-in-flask", "bob": "bob-in-flask"}
PARTNER_CALLBACK = "https://partner.example.com/callback"


@dataclass
class FlaskDesign:
    url: str  # as an operator gives it to the command
    reports_secret: str
    alice_tokens: dict  # the live token pair whose access token is still valid
    bob_tokens: dict  # the live token pair whose access token has expired


def fill(session):
    """Users, clients and tokens of a Flask design that has been running for a while."""
    alice = flask.User(
        first_name="Alice",
        last_name="Liddell",
        email="Alice@Example.com",
        password=flask.hash_password(OLD_PASSWORDS["alice"]),
    )
    bob = flask.User(
        first_name="Bob", last_name="", email="bob@example.com", password=flask.hash_password("bob-in-flask")
    )
    carol = flask.User(email="Carol@Example.com", password=flask.hash_password("carol-1"))
    carol_again = flask.User(email="carol@example.com", password=flask.hash_password("carol-2"))
    dave = flask.User(email="dave@example.com", password="plain-text-by-mistake")
    session.add_all([alice, bob, carol, carol_again, dave])
    session.flush()

    reports = flask.new_client(
        "reports-service",
        {
            "client_name": "Reports",
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": "client_secret_basic",
        },
    )
    session.add_all(
        [
            flask.new_client(
                "ember-flask",
                {
                    "client_name": "Ember app",
                    "grant_types": ["password", "refresh_token"],
                    "response_types": [],
                    "scope": "",
                    "token_endpoint_auth_method": "none",
                },
                user_id=alice.id,
            ),
            reports,
            flask.new_client(
                "partner-web",
                {
                    "client_name": "Partner",
                    "redirect_uris": [PARTNER_CALLBACK],
                    "grant_types": ["authorization_code", "refresh_token"],
                    "response_types": ["code"],
                    "scope": "profile",
                    "token_endpoint_auth_method": "client_secret_post",
                },
            ),
            flask.new_client(
                "legacy-implicit",
                {
                    "redirect_uris": ["https://legacy.example.com/"],
                    "grant_types": ["implicit"],
                    "response_types": ["token"],
                    "token_endpoint_auth_method": "none",
                },
            ),
        ]
    )
    alice_live = flask.new_token(alice, "ember-flask", issued_ago=600, scope="")
    bob_live = flask.new_token(bob, "ember-flask", issued_ago=4000, scope="profile")  # access token expired
    session.add_all(
        [
            alice_live,
            bob_live,
            flask.new_token(alice, "ember-flask", issued_ago=60, refresh_token_revoked_at=1),
            flask.new_token(bob, "ember-flask", issued_ago=10 * 86400),
            flask.new_token(carol, "ember-flask", issued_ago=60),
            flask.new_token(alice, "legacy-implicit", issued_ago=60),
            flask.new_token(alice, "reports-service", issued_ago=60, refresh=False),  # a client_credentials token
        ]
    )
    return reports.client_secret, *(
        {"access_token": token.access_token, "refresh_token": token.refresh_token} for token in (alice_live, bob_live)
    )


def sqlite_design(tmp_path):
    url = f"sqlite:///{tmp_path / 'flask.db'}"
    return FlaskDesign(url, *flask.build(url, fill))


@pytest.fixture
def postgres_server():
    """Connection details of the PostgreSQL server the test database lives on (PostgreSQL runs only)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the PostgreSQL source runs with DATABASE_URL=postgres://… (make test-postgres)")
    return database


@pytest.fixture
def postgres_design(postgres_server):
    """The Flask design in a PostgreSQL database of its own, created and dropped around the test."""
    name = f"{settings.DATABASES['default']['NAME']}_flask_source"
    server = {key.lower(): postgres_server[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if postgres_server[key]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url("postgresql+psycopg://").set(
        username=server.get("user"),
        password=server.get("password"),
        host=server.get("host"),
        port=int(server["port"]) if server.get("port") else None,
        database=name,
    )
    try:
        design = FlaskDesign(url.render_as_string(hide_password=False), *flask.build(url, fill))
        # The operator's spelling, as DATABASE_URL is written for Django and Heroku.
        design.url = design.url.replace("postgresql+psycopg://", "postgres://", 1)
        yield design
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def flask_design(tmp_path):
    return sqlite_design(tmp_path)


@pytest.fixture
def run_import():
    """Run `manage.py import_flask_authlib` and return what it printed."""

    def run(url, *options):
        out = StringIO()
        call_command("import_flask_authlib", url, *options, stdout=out)
        return out.getvalue()

    return run
