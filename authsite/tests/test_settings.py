"""
Settings read from the environment. Settings are computed once, at import, so each
configuration is loaded in a fresh `manage.py` process with an environment built from this
one minus every variable settings.py reads, plus the ones under test.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jwcrypto.jwk import JWK

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = PROJECT_ROOT / "authsite" / "settings.py"
# Every variable settings.py reads, so the caller's environment cannot leak into a test.
GIT = shutil.which("git") or "git"
# DJANGO_ALLOW_ASYNC_UNSAFE: the end-to-end tests set it for Playwright, and check --deploy refuses it.
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    *re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', SETTINGS_FILE.read_text()),
}


def manage(*args, **variables):
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "authsite.settings"
    env.update(variables)
    return subprocess.run(  # noqa: S603 (fixed program, arguments from this file)
        [sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def settings_in(*names, **variables):
    """The named settings (None if unset) as a fresh process with `variables` in its environment sees them."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))"
    )
    result = manage("shell", "--no-imports", "-c", code, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def rsa_private_key_pem():
    return JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "OIDC_RSA_PRIVATE_KEY": rsa_private_key_pem(),
        "ALLOWED_HOSTS": "auth.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('production') / 'db.sqlite3'}",
    }


@pytest.fixture(scope="module")
def production_settings(production):
    values = settings_in("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CORS_ALLOWED_ORIGINS", "DATABASES", **production)
    values["SECRET_KEY"] = sha256(values["SECRET_KEY"])  # compared, never shown
    return values


# --- Production --------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_check(production):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_finds_nothing_but_hsts_preload(production):
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_PRELOAD="true", **production)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_reads_debug_key_and_hosts_from_the_environment(production, production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECRET_KEY"] == sha256(production["SECRET_KEY"])
    assert production_settings["ALLOWED_HOSTS"] == ["auth.example.com"]


def test_production_allows_no_cross_origin_requests_by_default(production_settings):
    assert production_settings["CORS_ALLOWED_ORIGINS"] == []


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


# --- Token lifetimes -----------------------------------------------------------------------


def test_refresh_lifetime_under_twice_the_access_lifetime_refuses_to_start():
    result = manage("check", ACCESS_TOKEN_LIFETIME="600", REFRESH_TOKEN_LIFETIME="1199")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REFRESH_TOKEN_LIFETIME" in result.stderr


def test_access_lifetime_sets_dot_and_doubles_into_the_refresh_lifetime():
    values = settings_in("OAUTH2_PROVIDER", "REFRESH_TOKEN_LIFETIME", ACCESS_TOKEN_LIFETIME="600")

    assert values["OAUTH2_PROVIDER"]["ACCESS_TOKEN_EXPIRE_SECONDS"] == 600
    assert values["REFRESH_TOKEN_LIFETIME"] == 1200
    # DOT counts a refresh token's age from its access token's expiry.
    assert values["OAUTH2_PROVIDER"]["REFRESH_TOKEN_EXPIRE_SECONDS"] == 1200 - 600


# --- The development secret key ------------------------------------------------------------


def test_development_secret_key_comes_from_the_secret_key_file():
    values = settings_in("SECRET_KEY", DEBUG="true")
    # Written by the first settings import without a key, at the latest this test run's own.
    key_file = PROJECT_ROOT / ".secret_key"

    assert sha256(values["SECRET_KEY"]) == sha256(key_file.read_text().strip())
    assert len(values["SECRET_KEY"]) >= 50
    assert not values["SECRET_KEY"].startswith("django-insecure")


def git(*args):
    return subprocess.run(  # noqa: S603 (fixed program, arguments from this file)
        [GIT, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30
    )


def test_secret_key_file_is_ignored_by_git_and_not_tracked():
    ignored = git("check-ignore", "--verbose", ".secret_key")

    assert ignored.returncode == 0
    assert ignored.stdout.startswith(".gitignore:")
    assert git("ls-files", "--error-unmatch", ".secret_key").returncode != 0


def test_no_tracked_python_file_assigns_a_literal_secret_key():
    found = git("grep", "--line-number", "-E", r"^\s*SECRET_KEY\s*=", "--", "*.py")
    assignments = found.stdout.splitlines()

    assert assignments, "settings.py no longer assigns SECRET_KEY where this test looks"
    for line in assignments:
        value = line.split("=", 1)[1]
        # Only the name of the environment variable may appear as a string.
        assert set(re.findall(r"""["']([^"']*)["']""", value)) <= {"SECRET_KEY"}, line
    this_file = f":(exclude){Path(__file__).relative_to(PROJECT_ROOT)}"
    assert git("grep", "--quiet", "django-insecure", "--", "*.py", this_file).returncode == 1


# --- Database ------------------------------------------------------------------------------


def test_sqlite_takes_the_write_lock_when_a_transaction_starts(production_settings):
    database = production_settings["DATABASES"]["default"]

    assert database["ENGINE"] == "authsite.sqlite3"  # Django's, with writers queued on a lock file
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_database_url_switches_the_engine():
    values = settings_in("DATABASES", DATABASE_URL="postgres://auth:pw@db.example.com:5432/auth")
    database = values["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.example.com", 5432, "auth")
    assert "transaction_mode" not in database["OPTIONS"]


def test_postgres_prepares_the_hot_statements_unless_told_not_to():
    url = "postgres://auth:pw@db.example.com:5432/auth"
    prepared = settings_in("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]
    unprepared = settings_in("DATABASES", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")["DATABASES"][
        "default"
    ]

    assert prepared["OPTIONS"]["prepare_threshold"] == 0
    assert "prepare_threshold" not in unprepared["OPTIONS"]
    assert "server_side_binding" not in prepared["OPTIONS"]  # every other query keeps Django's client-side binding


# --- Sign in with Google ----------------------------------------------------------------------

GOOGLE_SETTINGS = [
    "SOCIAL_AUTH_GOOGLE_OAUTH2_KEY",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_AUTHORIZATION_URL",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_USERINFO_URL",
]


def test_google_is_off_and_on_googles_own_endpoints_by_default():
    assert settings_in(*GOOGLE_SETTINGS) == dict.fromkeys(GOOGLE_SETTINGS[:2], "") | dict.fromkeys(GOOGLE_SETTINGS[2:])


def test_google_keys_and_stand_in_endpoints_come_from_the_environment():
    values = settings_in(
        *GOOGLE_SETTINGS,
        GOOGLE_OAUTH2_KEY="id.apps.googleusercontent.com",
        GOOGLE_OAUTH2_SECRET="a-secret",
        GOOGLE_OAUTH2_AUTHORIZATION_URL="http://127.0.0.1:9000/authorize",
        GOOGLE_OAUTH2_TOKEN_URL="http://127.0.0.1:9000/token",
        GOOGLE_OAUTH2_USERINFO_URL="http://127.0.0.1:9000/userinfo",
    )

    assert list(values.values()) == [
        "id.apps.googleusercontent.com",
        "a-secret",
        "http://127.0.0.1:9000/authorize",
        "http://127.0.0.1:9000/token",
        "http://127.0.0.1:9000/userinfo",
    ]
