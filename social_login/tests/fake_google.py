"""
A stand-in for Google's OAuth 2 endpoints on 127.0.0.1, for the server tests and the
browser tests: an authorization page, a token endpoint that checks the client secret, the
redirect URI and the PKCE verifier, and a userinfo endpoint. Real HTTP, so the server under
test goes through social-core's own requests, timeouts and error handling.
"""

import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "stand-in-client.apps.googleusercontent.com"
CLIENT_SECRET = "stand-in-secret"


def profile(email, *, sub=None, verified=True, **claims):
    """A userinfo document as Google's v3 endpoint returns it."""
    return {
        "sub": sub or str(int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big")),
        "email": email,
        "email_verified": verified,
        **claims,
    }


def s256(code_verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).decode().rstrip("=")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that stopped waiting (the timeout tests) is not the stand-in's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Grant:
    profile: dict
    redirect_uri: str
    code_challenge: str


@dataclass
class FakeGoogle:
    """Start with `with FakeGoogle() as google:`; `google.url` is its base URL."""

    # The profile the authorization page signs in as.
    account: dict = field(default_factory=lambda: profile("ada@example.com", given_name="Ada", family_name="Lovelace"))
    # Seconds the token endpoint waits before answering (to test timeouts).
    token_delay: float = 0
    # (status, body, headers) the token endpoint answers instead, when set.
    token_failure: tuple | None = None
    grants: dict = field(default_factory=dict)
    access_tokens: dict = field(default_factory=dict)
    # Every form posted to the token endpoint, for assertions.
    token_requests: list = field(default_factory=list)

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self):
        """Django settings that point the google-oauth2 backend here."""
        return {
            "SOCIAL_AUTH_GOOGLE_OAUTH2_KEY": CLIENT_ID,
            "SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET": CLIENT_SECRET,
            "SOCIAL_AUTH_GOOGLE_OAUTH2_AUTHORIZATION_URL": f"{self.url}/o/oauth2/auth",
            "SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL": f"{self.url}/token",
            "SOCIAL_AUTH_GOOGLE_OAUTH2_USERINFO_URL": f"{self.url}/v3/userinfo",
        }

    def issue_code(self, redirect_uri, code_verifier, account=None):
        """What the authorization page does when the user agrees, for tests that skip the page."""
        return self.grant_code(account or self.account, redirect_uri, s256(code_verifier))

    def grant_code(self, account, redirect_uri, code_challenge):
        """A single-use code for `account`, redeemable at this redirect URI with the verifier of this challenge."""
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(account, redirect_uri, code_challenge)
        return code

    def exchange(self, form):
        """The token endpoint's decision: (status, JSON body)."""
        self.token_requests.append(form)
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        grant = self.grants.pop(form.get("code", ""), None)  # single use
        if (
            grant is None
            or form.get("redirect_uri") != grant.redirect_uri
            or s256(form.get("code_verifier", "")) != grant.code_challenge
        ):
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant.profile
        return 200, {
            "access_token": access_token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "openid https://www.googleapis.com/auth/userinfo.email",
        }


def _handler_for(google):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_json(self, status, body, headers=None):
            payload = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def redirect(self, location):
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            url = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            if url.path == "/o/oauth2/auth":
                self.authorization_page(query)
            elif url.path == "/o/oauth2/approve":
                self.approve(query)
            elif url.path == "/v3/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                account = google.access_tokens.get(token)
                if account is None:
                    self.send_json(401, {"error": "invalid_token"})
                else:
                    self.send_json(200, account)
            else:
                self.send_json(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self.send_json(404, {"error": "not_found"})
                return
            time.sleep(google.token_delay)
            self.send_json(*(google.token_failure or google.exchange(form)))

        def authorization_page(self, query):
            if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
                self.send_json(400, {"error": "invalid_request"})
                return
            approve = "/o/oauth2/approve?" + urlencode(query)
            denied = {"error": "access_denied", "state": query.get("state", "")}
            cancel = query["redirect_uri"] + "?" + urlencode(denied)
            email = html.escape(google.account["email"])
            page = f"""<!doctype html><title>Sign in - Google Accounts (stand-in)</title>
<h1>Choose an account</h1>
<p>to continue to Authsite</p>
<a id="approve" href="{html.escape(approve)}">Continue as {email}</a>
<a id="cancel" href="{html.escape(cancel)}">Cancel</a>""".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def approve(self, query):
            code = google.grant_code(google.account, query["redirect_uri"], query["code_challenge"])
            self.redirect(query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")}))

    return Handler
