import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from oauth2_provider.models import Application

from oauth.hashers import ALGORITHM

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("createclient", *args, stdout=out)
    return out.getvalue()


def test_confidential_client_secret_is_printed_once_and_stored_hashed():
    output = run("Reports", "--client-id", "reports", "--confidential", "--grant-type", "client-credentials")

    secret = next(line.split("=", 1)[1] for line in output.splitlines() if line.startswith("client_secret="))
    application = Application.objects.get(client_id="reports")
    assert application.client_type == "confidential"
    assert application.authorization_grant_type == "client-credentials"
    assert application.client_secret != secret
    assert application.client_secret.startswith(f"{ALGORITHM}$")
    assert check_password(secret, application.client_secret)


def test_public_client_prints_no_secret():
    output = run(
        "Ember app",
        "--client-id",
        "ember-app",
        "--public",
        "--grant-type",
        "password",
        "--allowed-origin",
        "http://localhost:4200",
    )

    assert "client_id=ember-app" in output
    assert "client_secret" not in output
    application = Application.objects.get(client_id="ember-app")
    assert (application.client_type, application.authorization_grant_type) == ("public", "password")
    assert application.allowed_origins == "http://localhost:4200"


def test_running_it_again_reports_the_existing_client():
    run("Reports", "--client-id", "reports", "--confidential", "--grant-type", "client-credentials")
    stored = Application.objects.get(client_id="reports").client_secret

    output = run("Other name", "--client-id", "reports", "--public", "--grant-type", "password")

    assert "already exists" in output
    assert "client_secret" not in output
    application = Application.objects.get(client_id="reports")
    assert (application.name, application.client_secret) == ("Reports", stored)


def test_authorization_code_client_needs_a_redirect_uri():
    with pytest.raises(CommandError, match="redirect_uris"):
        run("SPA", "--client-id", "spa", "--public", "--grant-type", "authorization-code")
    assert not Application.objects.filter(client_id="spa").exists()


def test_redirect_uris_are_registered():
    run(
        "SPA",
        "--client-id",
        "spa",
        "--public",
        "--grant-type",
        "authorization-code",
        "--redirect-uri",
        "https://a.example/cb",
        "--redirect-uri",
        "https://b.example/cb",
    )

    assert Application.objects.get(client_id="spa").redirect_uris == "https://a.example/cb https://b.example/cb"
