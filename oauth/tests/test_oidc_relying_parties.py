"""
Real, unmodified relying parties against the provider on pytest-django's live server:
mozilla-django-oidc in a second Django project (rp_project/) started on a free loopback port,
and Authlib's OAuth 2 client with its OpenID Connect ID-token claims. The browser is a
requests.Session that follows redirects and fills in the login and consent forms as a user would.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidClaimError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from conftest import PASSWORD
from oauth.clients import register_client

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the tests write

RP_PROJECT = Path(__file__).resolve().parent / "rp_project"
CALLBACK = "http://127.0.0.1:9/callback"  # Authlib's redirect URI: the browser stops before it
LOGGED_OUT = "http://127.0.0.1:9/logged-out"


class FormFields(HTMLParser):
    """The named inputs of a page's first POST form, with their values."""

    def __init__(self, html):
        super().__init__()
        self.fields, self.in_form, self.done = {}, False, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and attrs.get("method", "").lower() == "post":
            self.in_form = True
        elif tag == "input" and self.in_form and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True


class Browser:
    """A user's browser: one cookie jar, redirects followed, forms posted with their CSRF tokens."""

    def __init__(self):
        self.session = requests.Session()

    def go(self, url, method="GET", data=None, stop_at=None):
        """The page at the end of the redirects from `url`, or the redirect response towards `stop_at`."""
        response = self.session.request(method, url, data=data, allow_redirects=False, timeout=30)
        while response.is_redirect:
            location = requests.compat.urljoin(response.url, response.headers["Location"])
            if stop_at and location.startswith(stop_at):
                return response
            response = self.session.get(location, allow_redirects=False, timeout=30)
        return response

    def submit(self, page, stop_at=None, **values):
        """Post the page's form back to it, with `values` filled in."""
        return self.go(page.url, "POST", FormFields(page.text).fields | values, stop_at=stop_at)

    def sign_in_and_allow(self, url, email, stop_at=None):
        """Start at `url`, sign in on the provider's page, allow the app: what a user does the first time."""
        login_page = self.go(url)
        assert "/accounts/login/" in login_page.url, login_page.text
        consent_page = self.submit(login_page, username=email, password=PASSWORD)
        assert consent_page.status_code == 200 and 'name="allow"' in consent_page.text, consent_page.text
        return self.submit(consent_page, stop_at=stop_at, allow="Authorize")


@pytest.fixture
def browser():
    """A fresh browser, closed afterwards: a kept-alive connection holds a server thread and its database session."""
    browser = Browser()
    yield browser
    browser.session.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def query_of(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# --- mozilla-django-oidc -------------------------------------------------------------------


@pytest.fixture
def mozilla_rp(live_server, tmp_path):
    """The rp_project site on a free port, registered here as a confidential OpenID Connect client."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    registration = register_client(
        name="Mozilla RP",
        client_id="mozilla-rp",
        public=False,
        grant_type="authorization-code",
        redirect_uris=[f"{url}/oidc/callback/"],
        oidc=True,
        post_logout_redirect_uris=[f"{url}/logged-out"],
    )
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(RP_PROJECT),
        "DJANGO_SETTINGS_MODULE": "rpsite.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "RP_DATABASE": str(tmp_path / "rp.sqlite3"),
        "OP_URL": live_server.url,
        "OIDC_RP_CLIENT_ID": "mozilla-rp",
        "OIDC_RP_CLIENT_SECRET": registration.secret,
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], cwd=RP_PROJECT, env=environment, check=True, timeout=120)  # noqa: S603
    log = (tmp_path / "rp.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (fixed program and arguments)
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=RP_PROJECT,
        env=environment,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "rp.log").read_text()
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_mozilla_django_oidc_signs_the_user_in_and_out(mozilla_rp, live_server, user, browser):

    signed_in = browser.sign_in_and_allow(f"{mozilla_rp}/oidc/authenticate/", user.email)

    assert signed_in.url == f"{mozilla_rp}/whoami"
    assert signed_in.text == "alice@example.com"

    # Logout: the RP sends the browser to end_session with its id_token_hint and its registered URI.
    logged_out = browser.go(f"{mozilla_rp}/oidc/logout/")

    assert logged_out.url == f"{mozilla_rp}/logged-out?state=rp-logout"
    assert browser.go(f"{mozilla_rp}/whoami").text == "anonymous"
    # The provider's session has ended too: signing in again starts at its login page.
    assert "/accounts/login/" in browser.go(f"{mozilla_rp}/oidc/authenticate/").url


# --- Authlib -------------------------------------------------------------------------------


@pytest.fixture
def authlib_rp(live_server):
    """A confidential OpenID Connect client as Authlib's OAuth2Session, with the provider's metadata."""
    registration = register_client(
        name="Authlib RP",
        client_id="authlib-rp",
        public=False,
        grant_type="authorization-code",
        redirect_uris=[CALLBACK],
        oidc=True,
        post_logout_redirect_uris=[LOGGED_OUT],
    )
    metadata = requests.get(f"{live_server.url}/.well-known/openid-configuration", timeout=10).json()
    client = OAuth2Session(
        "authlib-rp",
        registration.secret,
        scope="openid email profile",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    yield client, metadata
    client.close()


def authlib_sign_in(client, metadata, browser, user):
    """The code flow with PKCE and a nonce; returns the callback URL, the token response and the nonce."""
    verifier, nonce = generate_token(48), generate_token(20)
    url, _ = client.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    callback = browser.sign_in_and_allow(url, user.email, stop_at=CALLBACK).headers["Location"]
    token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    return callback, token, nonce


def id_token_claims(token, metadata, nonce, client_id="authlib-rp"):
    """Authlib's checks of an ID token, as its OpenID client makes them: signature by the JWKS, then the claims."""
    key_set = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(
        token["id_token"], key_set, registry=JWSRegistry(algorithms=metadata["id_token_signing_alg_values_supported"])
    )
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        {"iss": {"values": [metadata["issuer"]]}, "auth_time": {"essential": True}, "email": {"essential": True}},
        {"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
    )
    claims.validate()
    return claims


def test_authlib_verifies_the_id_token_through_the_jwks(authlib_rp, live_server, user, browser):
    client, metadata = authlib_rp

    callback, token, nonce = authlib_sign_in(client, metadata, browser, user)
    claims = id_token_claims(token, metadata, nonce)
    user.refresh_from_db()

    assert query_of(callback)["iss"] == metadata["issuer"] == live_server.url  # RFC 9207
    assert claims.header["kid"] in [key["kid"] for key in requests.get(metadata["jwks_uri"], timeout=10).json()["keys"]]
    assert claims["sub"] == str(user.pk)
    assert claims["aud"] == "authlib-rp"
    assert claims["email"] == "alice@example.com"
    assert claims["nonce"] == nonce
    assert claims["at_hash"]  # checked against the access token by validate()
    assert claims["auth_time"] == int(user.last_login.timestamp())

    userinfo = client.get(metadata["userinfo_endpoint"])
    assert userinfo.status_code == 200
    assert userinfo.json()["sub"] == claims["sub"] and userinfo.json()["email"] == claims["email"]


def test_authlib_refuses_a_wrong_nonce_and_a_tampered_signature(authlib_rp, user, browser):
    client, metadata = authlib_rp
    _, token, nonce = authlib_sign_in(client, metadata, browser, user)

    with pytest.raises(InvalidClaimError, match="nonce"):
        id_token_claims(token, metadata, nonce + "x")
    header, payload, signature = token["id_token"].split(".")
    forged = {**token, "id_token": f"{header}.{payload}.{'A' * len(signature)}"}
    with pytest.raises(BadSignatureError):
        id_token_claims(forged, metadata, nonce)


def test_logout_round_trip_with_an_exactly_matched_uri(authlib_rp, user, browser):
    client, metadata = authlib_rp
    _, token, _ = authlib_sign_in(client, metadata, browser, user)
    end_session = metadata["end_session_endpoint"]

    mismatched = {"id_token_hint": token["id_token"], "post_logout_redirect_uri": f"{LOGGED_OUT}/x"}
    refused = browser.go(f"{end_session}?{urlencode(mismatched)}")
    assert refused.status_code == 400
    # Still signed in at the provider: a new authorization needs no login page.
    url, _ = client.create_authorization_url(metadata["authorization_endpoint"], code_verifier=generate_token(48))
    still_signed_in = browser.go(url, stop_at=CALLBACK)
    assert still_signed_in.is_redirect and still_signed_in.headers["Location"].startswith(CALLBACK)

    query = {"id_token_hint": token["id_token"], "post_logout_redirect_uri": LOGGED_OUT, "state": "bye"}
    redirect = browser.go(f"{end_session}?{urlencode(query)}", stop_at=LOGGED_OUT)

    assert redirect.status_code == 302
    assert redirect.headers["Location"] == f"{LOGGED_OUT}?state=bye"
    assert "/accounts/login/" in browser.go(url).url  # the provider's session has ended
    assert client.get(metadata["userinfo_endpoint"]).status_code == 401  # and the RP's tokens with it
