"""
Several app servers on one machine, the way several machines would run them: N gunicorn app
servers on their own loopback ports behind HAProxy (round robin, health checks on /healthz),
sharing one PostgreSQL and one Redis.

    deploy/local-cluster up        # starts it all, prints the URL; returns when every server is up
    deploy/local-cluster status    # what runs, where
    deploy/local-cluster down      # stops everything `up` started

`up` starts its own PostgreSQL cluster (initdb + pg_ctl, as the postgres user when run as root)
and its own redis-server, on free ports, unless it is given them; migrates; collects the static
files; registers the ember-app client; starts the app servers with production settings (DEBUG
off, one SECRET_KEY for all, CACHE_URL, DATABASE_URL, TRUSTED_PROXY_COUNT=1); then HAProxy.
Everything listens on 127.0.0.1 only. Settings, from the environment:

    CLUSTER_DIR           where its state, data and logs live (default: .cluster/ in the checkout)
    CLUSTER_SERVERS       app servers (default 2)
    CLUSTER_WORKERS       gunicorn sync workers per app server (default 2)
    CLUSTER_PORT          HAProxy's port (default 8080; 0 for a free one)
    CLUSTER_DATABASE_URL  a PostgreSQL database to use instead of starting one
    CLUSTER_CACHE_URL     a Redis to use instead of starting one

The tests (deploy/tests/) and the benchmark (bench/cluster.py) drive the same Cluster class.
"""

import glob
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from jwcrypto.jwk import JWK

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BACKEND = "app_servers"  # HAProxy's name for the pool
START_TIMEOUT = 60


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def postgres_bin(name):
    """A PostgreSQL program from Debian's packages (the newest version installed), else from PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4]))
    return found[-1] if found else shutil.which(name) or name


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start(command, log, env=None):
    """A process in a session of its own (so it outlives `up`, and stops with its children)."""
    with open(log, "ab") as output:
        process = subprocess.Popen(  # noqa: S603 (fixed programs, arguments from this file)
            command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
        )
    return process.pid


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child of this process that has exited stays a zombie until reaped.
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def stop(pid, sig=signal.SIGTERM, timeout=15):
    """Signal a process's whole session (gunicorn's workers too), and wait for the leader to go."""
    if pid is None or not alive(pid):
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.05)


def get(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback URLs)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for(check, what, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} within {timeout}s")


class Cluster:
    def __init__(
        self, directory=None, servers=None, workers=None, port=None, database_url=None, cache_url=None, durable=True
    ):
        self.directory = Path(directory or os.environ.get("CLUSTER_DIR") or ROOT / ".cluster").resolve()
        self.state_file = self.directory / "cluster.json"
        self.state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
        self.servers_wanted = int(servers or os.environ.get("CLUSTER_SERVERS", 2))
        self.workers = int(workers or os.environ.get("CLUSTER_WORKERS", 2))
        self.port_wanted = int(port if port is not None else os.environ.get("CLUSTER_PORT", 8080))
        self.database_url = database_url or os.environ.get("CLUSTER_DATABASE_URL")
        self.cache_url = cache_url or os.environ.get("CLUSTER_CACHE_URL")
        # durable=False (the tests): a PostgreSQL that skips fsync, for a cluster thrown away after.
        self.durable = durable

    # --- state ------------------------------------------------------------------------------

    def save(self):
        self.state_file.write_text(json.dumps(self.state, indent=2))
        self.state_file.chmod(0o600)  # it holds the SECRET_KEY the servers share

    @property
    def signing_key_file(self):
        return self.directory / "oidc_key.pem"

    def write_signing_key(self):
        """The OpenID Connect signing key every app server signs ID tokens with (0600, in the cluster's folder)."""
        key = JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
        self.signing_key_file.touch(mode=0o600)
        self.signing_key_file.write_bytes(key)

    @property
    def url(self):
        return f"http://{HOST}:{self.state['port']}"

    @property
    def servers(self):
        """{name: {"port": …, "pid": …}} of the app servers behind HAProxy."""
        return self.state["servers"]

    def server_url(self, name):
        return f"http://{HOST}:{self.servers[name]['port']}"

    def environment(self, **overrides):
        """What production sets, adapted to plain HTTP on the loopback."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "authsite.settings",
            "DEBUG": "false",
            "SECRET_KEY": self.state["secret_key"],  # one for all: sessions, CSRF, device cookies
            "OIDC_RSA_PRIVATE_KEY_FILE": str(self.signing_key_file),  # one for all: ID tokens, the JWKS
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": self.state["database_url"],
            "CACHE_URL": self.state["cache_url"],
            "TRUSTED_PROXY_COUNT": "1",  # HAProxy appends the client's address to X-Forwarded-For
            # No TLS on the loopback: no redirect to https, cookies sent over http.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            **overrides,
        }

    def manage(self, *arguments, env=None):
        """Run a manage.py command with the servers' settings."""
        command = [sys.executable, str(ROOT / "manage.py"), *arguments]
        subprocess.run(command, env={**self.environment(), **(env or {})}, cwd=ROOT, check=True)  # noqa: S603

    # --- up ---------------------------------------------------------------------------------

    def up(self):
        if self.state.get("servers"):
            raise RuntimeError(f"A cluster is already up in {self.directory}: `down` first.")
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "logs").mkdir(exist_ok=True)
        self.state = {"secret_key": secrets.token_urlsafe(50), "servers": {}}
        self.save()
        self.write_signing_key()
        try:
            self.state["database_url"] = self.database_url or self.start_postgres()
            self.state["cache_url"] = self.cache_url or self.start_redis()
            self.save()
            self.manage("migrate", "--noinput", "-v", "0")
            self.manage("collectstatic", "--noinput", "-v", "0")
            self.manage("createclient", "Ember app", "--client-id", "ember-app", "--public", "--grant-type", "password")
            names = [f"app{number}" for number in range(1, self.servers_wanted + 1)]
            for name in names:
                self.start_server(name, wait=False)
            for name in names:
                self.wait_for_server(name)
            self.start_haproxy()
        except BaseException:
            self.down()
            raise
        return self

    def start_postgres(self):
        data = self.directory / "postgres"
        data.mkdir()
        port = free_port()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
            self.directory.chmod(0o755)  # the postgres user reaches its data directory
        log = self.directory / "logs" / "postgres.log"
        initdb = [postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
        subprocess.run(as_postgres(initdb), check=True, capture_output=True)  # noqa: S603
        options = f"-p {port} -c listen_addresses={HOST} -c unix_socket_directories={data}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        pg_ctl = [postgres_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "server.log"), "-w"]
        subprocess.run(as_postgres([*pg_ctl, "start"]), check=True, capture_output=True)  # noqa: S603
        self.state["postgres"] = {"data": str(data), "port": port}
        createdb = [postgres_bin("createdb"), "-h", HOST, "-p", str(port), "-U", "postgres", "authsite"]
        subprocess.run(createdb, check=True, capture_output=True, stdin=subprocess.DEVNULL)  # noqa: S603
        log.touch()
        return f"postgres://postgres@{HOST}:{port}/authsite"

    def start_redis(self):
        port = free_port()
        self.state["redis"] = {"port": port}
        self.start_redis_server()
        return f"redis://{HOST}:{port}/0"

    def start_redis_server(self):
        """Redis without persistence: a restart forgets the throttle's counters (see the README)."""
        port = self.state["redis"]["port"]
        command = ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.directory)]
        self.state["redis"]["pid"] = start(command, self.directory / "logs" / "redis.log")
        self.save()
        wait_for(lambda: self.redis_answers(), "redis-server did not answer")

    def redis_answers(self):
        try:
            with socket.create_connection((HOST, self.state["redis"]["port"]), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self, sig=signal.SIGTERM):
        stop(self.state["redis"].get("pid"), sig)

    def start_server(self, name, port=None, wait=True, **settings):
        """One gunicorn app server; `settings` override the environment (e.g. SIGNIN_COUNTERS)."""
        port = port or self.state["servers"].get(name, {}).get("port") or free_port()
        command = [sys.executable, "-m", "gunicorn", "authsite.wsgi", "--chdir", str(ROOT)]
        command += ["--config", str(ROOT / "authsite" / "gunicorn.conf.py")]  # metrics across its workers
        command += ["--bind", f"{HOST}:{port}", "--workers", str(self.workers), "--worker-class", "sync"]
        command += ["--graceful-timeout", "5", "--no-control-socket"]
        log = self.directory / "logs" / f"{name}.log"
        metrics = self.directory / "metrics" / name  # each server counts its own workers
        settings = {"PROMETHEUS_MULTIPROC_DIR": str(metrics), **settings}
        metrics.mkdir(parents=True, exist_ok=True)
        pid = start(command, log, env=self.environment(**settings))
        self.state["servers"][name] = {"port": port, "pid": pid}
        self.save()
        if wait:
            self.wait_for_server(name)
        return port

    def wait_for_server(self, name):
        log = self.directory / "logs" / f"{name}.log"
        answers = lambda: get(f"{self.server_url(name)}/healthz") == 200  # noqa: E731
        wait_for(answers, f"{name} did not answer on /healthz (see {log})")

    def stop_server(self, name, sig=signal.SIGTERM):
        stop(self.state["servers"][name]["pid"], sig)

    def haproxy_config(self):
        template = string.Template((ROOT / "deploy" / "haproxy.cfg.template").read_text())
        servers = "\n".join(
            f"    server {name} {HOST}:{server['port']} check" for name, server in sorted(self.servers.items())
        )
        return template.substitute(
            bind=f"{HOST}:{self.state['port']}",
            pidfile=self.directory / "haproxy.pid",
            stats_socket=self.directory / "haproxy.sock",
            backend=BACKEND,
            servers=servers,
        )

    def start_haproxy(self):
        self.state["port"] = self.port_wanted or free_port()
        config = self.directory / "haproxy.cfg"
        config.write_text(self.haproxy_config())
        command = [shutil.which("haproxy") or "/usr/sbin/haproxy", "-f", str(config)]
        subprocess.run([*command, "-c", "-q"], check=True)  # noqa: S603 (the configuration is valid)
        self.state["haproxy_pid"] = start(command, self.directory / "logs" / "haproxy.log")
        self.save()
        self.wait_until_all_up()

    def wait_until_all_up(self):
        wait_for(self.all_up, "HAProxy did not see every app server up")

    def all_up(self):
        states = self.server_states()
        return bool(states) and set(states.values()) == {"UP"} and get(f"{self.url}/healthz") == 200

    # --- HAProxy's runtime API (its stats socket) ----------------------------------------------

    def haproxy(self, command):
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.directory / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        return answer.decode()

    def server_stats(self):
        """{server name: the row of HAProxy's `show stat`} for the app servers."""
        lines = self.haproxy("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {row["svname"]: row for row in rows if row["pxname"] == BACKEND and row["svname"] in self.servers}

    def server_states(self):
        """{server name: "UP", "DOWN", "MAINT", …} as HAProxy's health checks see them."""
        try:
            return {name: row["status"].split(" ")[0] for name, row in self.server_stats().items()}
        except OSError:
            return {}

    def set_state(self, name, state):
        """`ready` or `maint`: take an app server out of HAProxy's pool, or put it back."""
        self.haproxy(f"set server {BACKEND}/{name} state {state}")

    # --- down -------------------------------------------------------------------------------

    def down(self):
        stop(self.state.get("haproxy_pid"))
        for server in self.state.get("servers", {}).values():
            stop(server["pid"])
        if "redis" in self.state:
            stop(self.state["redis"].get("pid"))
        if "postgres" in self.state:
            pg_ctl = [postgres_bin("pg_ctl"), "-D", self.state["postgres"]["data"], "-m", "fast", "-w", "stop"]
            subprocess.run(as_postgres(pg_ctl), capture_output=True)  # noqa: S603 (already stopped is fine)
            shutil.rmtree(self.state["postgres"]["data"], ignore_errors=True)
        self.state = {}
        self.state_file.unlink(missing_ok=True)

    def describe(self):
        lines = [f"HAProxy      {self.url}  (stats socket {self.directory / 'haproxy.sock'})"]
        states = self.server_states()
        for name, server in sorted(self.servers.items()):
            lines.append(f"{name:12} {self.server_url(name)}  pid {server['pid']}  {states.get(name, '?')}")
        lines.append(f"PostgreSQL   {self.state['database_url']}")
        lines.append(f"Redis        {self.state['cache_url']}")
        lines.append(f"Logs         {self.directory / 'logs'}")
        return "\n".join(lines)


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    cluster = Cluster()
    if command == "up":
        cluster.up()
        print(cluster.describe())
    elif command == "down":
        cluster.down()
        print("Stopped.")
    elif command == "status" and cluster.state.get("servers"):
        print(cluster.describe())
    elif command == "status":
        print("No cluster is up.")
        return 1
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
