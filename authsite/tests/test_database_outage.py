"""
The database goes away under a running server, then comes back.

gunicorn serves the site with production settings (DEBUG off) from a database this module
owns: a PostgreSQL cluster it creates with initdb and stops with `pg_ctl stop -m immediate`,
and a SQLite file whose directory it moves away. While the database is gone, every endpoint
that needs it answers 503 in its own format, with Retry-After and Cache-Control: no-store;
pages that need no database still work. When it is back, the same server answers again and
nothing written before the outage is lost, nothing refused during it was half-written.
"""

import contextlib
import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from jwcrypto.jwk import JWK

from conftest import PASSWORD, REDIRECT_URI

ROOT = Path(settings.BASE_DIR)
HOST = "127.0.0.1"
JSON_API = "application/vnd.api+json"
WAIT = 60  # seconds, the bound on every wait for a server or a database to start or stop
TIMEOUT = 30  # seconds, the bound on every request


def run(command, timeout=WAIT, **options):
    """Run a program of this module's choosing; its output is returned, or shown when it fails."""
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout, **options)  # noqa: S603
    except subprocess.CalledProcessError as error:
        raise AssertionError(f"{command[:3]} failed: {error.stdout}{error.stderr}") from error


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def postgres_program(name):
    """A PostgreSQL server program (initdb, pg_ctl): on the PATH, else the newest Debian install."""
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    return found if isinstance(found, str) else (found[0] if found else None)


class PostgresCluster:
    """A PostgreSQL server of the test's own, in a temporary directory, on a free port."""

    def __init__(self, directory):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@{HOST}:{self.port}/authsite"
        # initdb and postgres refuse to run as root: then they run as the postgres account.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def pg_ctl(self, *arguments):
        run([*self.as_owner, postgres_program("pg_ctl"), "--pgdata", str(self.data), *arguments])

    def create(self):
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        command = [*self.as_owner, postgres_program("initdb"), "--pgdata", str(self.data)]
        command += ["--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--no-sync"]
        run(command)
        self.start()
        command = [*self.as_owner, postgres_program("createdb"), "-h", HOST, "-p", str(self.port)]
        run([*command, "-U", "postgres", "authsite"])

    def start(self):
        options = f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.directory}"
        self.pg_ctl("start", "--wait", f"--timeout={WAIT}", "--options", options, "--log", str(self.directory / "log"))

    def stop(self):
        """As abruptly as a crash: no shutdown handshake with the connected clients."""
        self.pg_ctl("stop", "--wait", f"--timeout={WAIT}", "--mode", "immediate")

    def destroy(self):
        with contextlib.suppress(AssertionError):  # already stopped
            self.stop()


class SQLiteFile:
    """A SQLite database whose directory disappears (a volume gone) and comes back."""

    def __init__(self, directory):
        self.directory = directory
        self.home = directory / "db"
        self.away = directory / "db-away"
        self.url = f"sqlite:///{self.home / 'authsite.sqlite3'}"

    def create(self):
        self.home.mkdir()

    def stop(self):
        self.home.rename(self.away)

    def start(self):
        self.away.rename(self.home)

    def destroy(self):
        pass


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def database(request):
    directory = Path(tempfile.mkdtemp(prefix="authsite-outage-"))
    directory.chmod(0o755)
    if request.param == "postgresql":
        if not postgres_program("initdb"):
            shutil.rmtree(directory)
            pytest.skip("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        database = PostgresCluster(directory)
    else:
        database = SQLiteFile(directory)
    try:
        database.create()
        yield database
    finally:
        database.destroy()
        shutil.rmtree(directory, ignore_errors=True)


def production_environment(database):
    """What production sets, adapted to plain HTTP on the loopback (no TLS redirect, no secure cookies)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "authsite.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "OIDC_RSA_PRIVATE_KEY": JWK.generate(kty="RSA", size=2048).export_to_pem(True, None).decode(),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": database.url,
        "STATIC_ROOT": str(database.directory / "static"),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if isinstance(database, SQLiteFile):
        # An open SQLite connection keeps reading the file it opened, wherever it is moved:
        # a connection per request is what lets the server notice the file is gone.
        environment["CONN_MAX_AGE"] = "0"
    return environment


SEED = f"""
import django
django.setup()
from accounts.models import User
from oauth.clients import register_client
User.objects.create_user("alice@example.com", {PASSWORD!r}, first_name="Alice")
User.objects.create_user("staff@example.com", {PASSWORD!r}, is_staff=True, is_superuser=True)
register_client(name="Ember app", client_id="ember-app", public=True, grant_type="password")
register_client(name="Other SPA", client_id="other-spa", public=True, grant_type="authorization-code",
                redirect_uris=[{REDIRECT_URI!r}])
print(register_client(name="Resource server", client_id="resource-server", public=False,
                      grant_type="client-credentials").secret)
"""

COUNT_TOKENS = """
import django
django.setup()
from oauth2_provider.models import AccessToken, RefreshToken
print(AccessToken.objects.count(), RefreshToken.objects.count())
"""


def django_script(environment, code):
    return run([sys.executable, "-c", code], env=environment, cwd=ROOT).stdout.strip()


class Server:
    """gunicorn as the README runs it in production, with the database it is given."""

    def __init__(self, database):
        self.database = database
        self.environment = production_environment(database)
        self.url = f"http://{HOST}:{free_port()}"
        self.log = database.directory / "gunicorn.log"

    def prepare(self):
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            run([*manage, *command], env=self.environment, cwd=ROOT, timeout=300)
        self.resource_server_secret = django_script(self.environment, SEED)

    def start(self):
        command = [sys.executable, "-m", "gunicorn", "authsite.wsgi", "--chdir", str(ROOT), "--bind", self.url[7:]]
        command += ["--workers", "1", "--worker-class", "gthread", "--threads", "2", "--no-control-socket"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, env=self.environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited: {self.output()[-4000:]}"
            try:
                requests.get(f"{self.url}/.well-known/oauth-authorization-server", timeout=TIMEOUT)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {WAIT}s: {self.output()[-4000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=WAIT)

    def output(self):
        return self.log.read_text(errors="replace")

    def token_counts(self):
        return django_script(self.environment, COUNT_TOKENS)


@pytest.fixture(scope="module")
def server(database):
    server = Server(database)
    server.prepare()
    server.start()
    yield server
    server.stop()


def post_form(server, path, data, **kwargs):
    return requests.post(f"{server.url}{path}", data=data, timeout=TIMEOUT, **kwargs)


def password_grant(server, username="alice@example.com"):
    data = {"grant_type": "password", "username": username, "password": PASSWORD, "client_id": "ember-app"}
    return post_form(server, "/oauth/token", data)


def signed_in_browser(server, email):
    """A browser signed in on the server's login page: it has a session and a CSRF cookie."""
    browser = requests.Session()
    page = browser.get(f"{server.url}/accounts/login/", timeout=TIMEOUT)
    assert page.status_code == 200
    form = {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    response = browser.post(f"{server.url}/accounts/login/", data=form, timeout=TIMEOUT, allow_redirects=False)
    assert response.status_code == 302, response.text
    return browser


def authorize_url(server):
    query = "response_type=code&client_id=other-spa&code_challenge_method=S256&code_challenge=" + "A" * 43
    return f"{server.url}/oauth/authorize?{query}&redirect_uri={REDIRECT_URI}"


def assert_oauth_503(response):
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "temporarily_unavailable",
        "error_description": "The service is temporarily unavailable; try again later.",
    }
    assert_retry_later(response)


def assert_api_503(response):
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == JSON_API
    assert response.json() == {
        "errors": [
            {
                "status": "503",
                "code": "temporarily_unavailable",
                "detail": "The service is temporarily unavailable; try again later.",
            }
        ]
    }
    assert_retry_later(response)


def assert_html_503(response):
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Temporarily unavailable</h1>" in response.text
    assert_retry_later(response)


def assert_retry_later(response):
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"


def test_every_endpoint_answers_503_in_its_format_while_the_database_is_down_then_recovers(database, server):
    tokens = password_grant(server).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = requests.get(f"{server.url}/api/me", headers=bearer, timeout=TIMEOUT).json()["data"]
    rename = {"data": {"type": "users", "id": me["id"], "attributes": {"first-name": "Bob"}}}
    json_api = {**bearer, "Content-Type": JSON_API}
    introspection = {"token": tokens["access_token"]}
    resource_server = ("resource-server", server.resource_server_secret)
    assert requests.get(f"{server.url}/api/me", headers=bearer, timeout=TIMEOUT).status_code == 200
    assert post_form(server, "/oauth/introspect", introspection, auth=resource_server).json()["active"] is True
    alice = signed_in_browser(server, "alice@example.com")
    assert alice.get(authorize_url(server), timeout=TIMEOUT).status_code == 200  # the consent page
    anonymous = requests.Session()
    admin_login = anonymous.get(f"{server.url}/admin/login/", timeout=TIMEOUT)
    assert admin_login.status_code == 200
    counts_before = server.token_counts()

    database.stop()

    assert_oauth_503(password_grant(server))
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "ember-app"}
    assert_oauth_503(post_form(server, "/oauth/token", refresh))
    revoke = {"token": tokens["refresh_token"], "client_id": "ember-app"}
    assert_oauth_503(post_form(server, "/oauth/revoke", revoke))
    assert_oauth_503(post_form(server, "/oauth/introspect", introspection, auth=resource_server))
    assert_api_503(requests.get(f"{server.url}/api/me", headers=bearer, timeout=TIMEOUT))
    assert_api_503(requests.get(f"{server.url}/api/users", headers=bearer, timeout=TIMEOUT))
    assert_api_503(requests.patch(f"{server.url}/api/me", headers=json_api, data=json.dumps(rename), timeout=TIMEOUT))
    assert_html_503(alice.get(authorize_url(server), timeout=TIMEOUT))
    assert_html_503(alice.get(f"{server.url}/accounts/login/", timeout=TIMEOUT))
    login = {
        "username": "staff@example.com",
        "password": PASSWORD,
        "csrfmiddlewaretoken": anonymous.cookies["csrftoken"],
    }
    assert_html_503(anonymous.post(f"{server.url}/accounts/login/", data=login, timeout=TIMEOUT))
    assert_html_503(anonymous.post(f"{server.url}/admin/login/", data=login, timeout=TIMEOUT))
    # Pages that do not need the database are still served.
    assert requests.get(f"{server.url}/admin/login/", timeout=TIMEOUT).status_code == 200
    assert requests.get(f"{server.url}/.well-known/oauth-authorization-server", timeout=TIMEOUT).status_code == 200
    assert "Database unavailable, answered 503 on /api/me" in server.output()
    assert "Traceback" not in server.output()  # every answer was a planned one

    database.start()

    # The same gunicorn, not restarted: its next requests reach the database again.
    assert server.process.poll() is None
    me_again = requests.get(f"{server.url}/api/me", headers=bearer, timeout=TIMEOUT)
    assert me_again.status_code == 200
    assert me_again.json()["data"]["attributes"]["first-name"] == "Alice"
    assert alice.get(authorize_url(server), timeout=TIMEOUT).status_code == 200
    assert post_form(server, "/oauth/introspect", introspection, auth=resource_server).json()["active"] is True
    # Nothing written before the outage was lost, and nothing refused during it was written.
    assert server.token_counts() == counts_before
    refreshed = post_form(server, "/oauth/token", refresh)
    assert refreshed.status_code == 200, refreshed.text
    assert password_grant(server).status_code == 200


def test_a_token_request_caught_mid_transaction_by_the_crash_answers_503_and_writes_nothing(database, server):
    if not isinstance(database, PostgresCluster):
        pytest.skip("holding a request inside its transaction needs PostgreSQL's table locks")
    import psycopg

    counts_before = server.token_counts()
    # The token request writes its access token, then waits for this lock to write the refresh token.
    locker = psycopg.connect(host=HOST, port=database.port, user="postgres", dbname="authsite", autocommit=False)
    locker.execute("LOCK TABLE oauth2_provider_refreshtoken IN ACCESS EXCLUSIVE MODE")
    with ThreadPoolExecutor(max_workers=1) as pool:
        in_flight = pool.submit(password_grant, server)
        deadline = time.monotonic() + WAIT
        waiting = (
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'oauth2_provider_refreshtoken'::regclass"
        )
        while locker.execute(waiting).fetchone() == (0,):
            assert time.monotonic() < deadline, "the token request never reached the refresh token table"
            assert not in_flight.done(), in_flight.result().text
            time.sleep(0.1)

        database.stop()

        assert_oauth_503(in_flight.result(timeout=WAIT))
    with contextlib.suppress(psycopg.Error):
        locker.close()
    database.start()
    assert server.token_counts() == counts_before  # the access token written before the crash is gone
    assert password_grant(server).status_code == 200
