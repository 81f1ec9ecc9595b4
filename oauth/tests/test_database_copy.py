"""
A copy of the database is worthless: after every kind of sign-in against a live server, a
dump of every table holds no token, code or client secret, and nothing read from it is
accepted anywhere a token is.
"""

import base64
import hashlib
import html
import re
import secrets
import sqlite3
import subprocess

import pytest
import requests
from django.db import connection
from oauth2_provider.models import AccessToken, RefreshToken

from conftest import EMBER_GOOGLE_CALLBACK, PASSWORD, REDIRECT_URI
from oauth.models import SealedReplacement

pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CHECKSUM = re.compile(r"\b[0-9a-f]{64}\b")


def dump_database():
    """Every table of the test database as SQL text, the way an operator's backup holds it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        with sqlite3.connect(settings["NAME"]) as copy:
            return "\n".join(copy.iterdump())
    command = ["pg_dump", "--data-only", "--host", settings["HOST"], "--username", settings["USER"], settings["NAME"]]
    if settings["PORT"]:
        command += ["--port", str(settings["PORT"])]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def hidden_fields(page):
    return {name: html.unescape(value) for name, value in HIDDEN_INPUT.findall(page.text)}


class Server:
    """The live server as the apps see it: requests on loopback."""

    def __init__(self, url):
        self.url = url

    def post(self, path, auth=None, **form):
        return requests.post(f"{self.url}{path}", data=form, auth=auth, timeout=30)

    def token(self, **form):
        response = self.post("/oauth/token", **form)
        assert response.status_code == 200, response.text
        return response.json()

    def me(self, access_token):
        return requests.get(f"{self.url}/api/me", headers={"Authorization": f"Bearer {access_token}"}, timeout=30)

    def authorization_code_with_pkce(self, user, verifier):
        """The SPA's flow: the user signs in on the server's page and agrees; the SPA trades the code."""
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = {
            "response_type": "code",
            "client_id": "other-spa",
            "redirect_uri": REDIRECT_URI,
            "scope": "read",
            "state": "s",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        browser = requests.Session()
        login_page = browser.get(f"{self.url}/oauth/authorize", params=query, timeout=30)
        form = hidden_fields(login_page) | {"username": user.email, "password": PASSWORD}
        consent_page = browser.post(login_page.url, data=form, timeout=30)
        assert consent_page.status_code == 200 and "/oauth/authorize" in consent_page.url, consent_page.text
        agreed = hidden_fields(consent_page) | {"allow": "Authorize"}
        redirect = browser.post(consent_page.url, data=agreed, allow_redirects=False, timeout=30)
        code = re.search(r"[?&]code=([^&]+)", redirect.headers["Location"]).group(1)
        tokens = self.token(
            grant_type="authorization_code",
            code=code,
            redirect_uri=REDIRECT_URI,
            client_id="other-spa",
            code_verifier=verifier,
        )
        return code, tokens


def test_a_dump_holds_no_secret_and_nothing_in_it_is_accepted(
    live_server, user, ember_app, spa_app, web_app, resource_server, google
):
    server = Server(live_server.url)
    introspector = (resource_server.application.client_id, resource_server.secret)

    password_login = server.token(grant_type="password", username=user.email, password=PASSWORD, client_id="ember-app")
    refresh = dict(grant_type="refresh_token", refresh_token=password_login["refresh_token"], client_id="ember-app")
    refreshed = server.token(**refresh)
    assert server.token(**refresh) == refreshed  # a second tab inside the grace period: sealed, then opened
    verifier = secrets.token_urlsafe(48)
    code, code_tokens = server.authorization_code_with_pkce(user, verifier)
    machine = server.token(grant_type="client_credentials", auth=introspector)
    google_verifier = secrets.token_urlsafe(48)
    google_tokens = server.post(
        "/oauth/social/google-oauth2",
        client_id="ember-app",
        code=google.issue_code(EMBER_GOOGLE_CALLBACK, google_verifier),
        redirect_uri=EMBER_GOOGLE_CALLBACK,
        code_verifier=google_verifier,
    ).json()
    issued = [password_login, refreshed, code_tokens, machine, google_tokens]
    live_access_tokens = [refreshed["access_token"], code_tokens["access_token"], google_tokens["access_token"]]
    assert SealedReplacement.objects.exists()

    dump = dump_database()

    secret_values = {code, verifier, resource_server.secret, web_app.secret}
    secret_values |= {tokens[kind] for tokens in issued for kind in ("access_token", "refresh_token") if kind in tokens}
    assert len(secret_values) == 13
    for value in secret_values:
        assert value not in dump
    assert set(AccessToken.objects.values_list("token", flat=True)) == {""}
    assert set(RefreshToken.objects.values_list("token", flat=True)) == {""}

    read_from_dump = set(CHECKSUM.findall(dump))
    stored_checksums = set(AccessToken.objects.values_list("token_checksum", flat=True))
    stored_checksums |= set(RefreshToken.objects.values_list("token_checksum", flat=True))
    assert stored_checksums <= read_from_dump
    live_refresh_tokens = RefreshToken.objects.filter(revoked__isnull=True).count()
    access_tokens = AccessToken.objects.count()
    for value in read_from_dump:
        assert server.me(value).status_code == 401
        response = server.post("/oauth/token", grant_type="refresh_token", refresh_token=value, client_id="ember-app")
        assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")
        assert server.post("/oauth/introspect", auth=introspector, token=value).json() == {"active": False}
        for client_id in ("ember-app", "other-spa"):
            for hint in ("access_token", "refresh_token"):
                revoke = server.post("/oauth/revoke", token=value, token_type_hint=hint, client_id=client_id)
                assert revoke.status_code == 200

    # Nothing was revoked by those attempts, and the real tokens still work.
    assert RefreshToken.objects.filter(revoked__isnull=True).count() == live_refresh_tokens
    assert AccessToken.objects.count() == access_tokens
    for access_token in live_access_tokens:
        assert server.me(access_token).status_code == 200
    assert server.post("/oauth/introspect", auth=introspector, token=machine["access_token"]).json()["active"] is True
