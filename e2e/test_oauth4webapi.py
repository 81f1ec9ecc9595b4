"""
oauth4webapi, a strictly RFC-conformant client library, against the real server on loopback:
the Node tests in e2e/oauth4webapi/ (node --test), with the server's URL, the clients and a
user handed over in the environment.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PASSWORD
from oauth.clients import register_client

CLIENT_DIR = Path(__file__).parent / "oauth4webapi"
REDIRECT_URI = "https://client.example/callback"  # never opened: the client reads the URL


@pytest.fixture
def node_client():
    """Node, with the test directory's pinned dependencies installed (npm ci, once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("Node.js and npm are needed for the oauth4webapi tests.")
    if not (CLIENT_DIR / "node_modules" / "oauth4webapi").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT_DIR, check=True)  # noqa: S603 (fixed program and arguments)
    return node


def test_oauth4webapi_accepts_every_answer(node_client, live_server, transactional_db, django_user_model):
    django_user_model.objects.create_user("strict@example.com", PASSWORD, first_name="Strict", last_name="Client")
    spa = register_client(
        name="Strict SPA",
        client_id="strict-spa",
        public=True,
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )
    relying_party = register_client(
        name="Strict RP",
        client_id="strict-rp",
        public=False,
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
        oidc=True,
    )
    resource_server = register_client(
        name="Strict RS", client_id="strict-rs", public=False, grant_type="client-credentials"
    )
    environment = os.environ | {
        "ISSUER": live_server.url,
        "USER_EMAIL": "strict@example.com",
        "USER_PASSWORD": PASSWORD,
        "REDIRECT_URI": REDIRECT_URI,
        "SPA_CLIENT_ID": spa.application.client_id,
        "RP_CLIENT_ID": relying_party.application.client_id,
        "RP_CLIENT_SECRET": relying_party.secret,
        "RS_CLIENT_ID": resource_server.application.client_id,
        "RS_CLIENT_SECRET": resource_server.secret,
    }

    run = subprocess.run(  # noqa: S603 (fixed program and arguments)
        [node_client, "--test", "--test-reporter=tap"],
        cwd=CLIENT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    summary = dict(line[2:].split(" ", 1) for line in run.stdout.splitlines() if line.startswith("# "))
    assert summary["fail"] == "0" and int(summary["pass"]) == int(summary["tests"]) >= 10, run.stdout
