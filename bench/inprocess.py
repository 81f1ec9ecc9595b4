"""
What a request costs the server's process, without the network, gunicorn or the other processes
on a shared machine: Django's WSGI handler called directly, the way gunicorn calls it, with the
production settings of bench/run.py on a fresh SQLite file.

    .venv/bin/python -m bench.inprocess                  # CPU time, and instructions if valgrind is installed
    .venv/bin/python -m bench.inprocess --requests 2000

Each scenario runs in a process of its own, started from this script, with the same database:

    bare            GET /bench/bare, the ceiling (bench/urls.py)
    me              GET /api/me with a valid bearer token
    me_metrics_off  the same with the request metrics off (METRICS_REQUESTS=false)

Two measures, printed as `name=value` lines:

    <scenario>_cpu_us        CPU time a request, microseconds: the fastest of --rounds runs of
                             --requests requests, the scenarios' processes taking turns
    <scenario>_instructions  instructions a request, counted by `valgrind --tool=callgrind` (when
                             installed): the count for 1,100 requests less the count for 100, over
                             1,000. The count repeats from run to run to within about 1%, whatever
                             else the machine is doing, where timings on these 2-core machines
                             move by 5 to 15%.
    me_vs_bare_cpu, me_vs_bare_instructions   bare's cost over /api/me's
    metrics_cost_pct         what the request metrics add to /api/me's instructions (CPU time
                             without valgrind)

Under gunicorn a request also pays the loopback connection, the HTTP parsing and the socket
writes, the same for every scenario, so bench/run.py's ratios are closer to 1 than these.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from shutil import which

from bench import run

SCENARIOS = {  # name: (path, environment)
    "bare": ("/bench/bare", {"METRICS_REQUESTS": "true"}),
    "me": ("/api/me", {"METRICS_REQUESTS": "true"}),
    "me_metrics_off": ("/api/me", {"METRICS_REQUESTS": "false"}),
}
WARMUP = 300  # requests before any measure: imports, caches, prepared statements
COUNTED = (100, 1100)  # requests in the two valgrind runs whose difference is counted
TOKEN_VARIABLE = "BENCH_ACCESS_TOKEN"  # how a scenario's process gets the token (not on its command line)


def serve(path, requests):
    """In a scenario's process: `requests` requests after the warm-up; prints their CPU µs a request."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": run.HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": run.HOST,
        "HTTP_HOST": run.HOST,
        "wsgi.url_scheme": "http",
    }
    if path.startswith("/api/"):
        environ["HTTP_AUTHORIZATION"] = f"Bearer {os.environ[TOKEN_VARIABLE]}"

    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise RuntimeError(f"{path} answered {status}")

    def requests_of(count):
        for _ in range(count):
            response = handler({**environ, "wsgi.input": io.BytesIO()}, start_response)
            b"".join(response)
            response.close()

    requests_of(WARMUP)
    began = time.process_time()
    requests_of(requests)
    print((time.process_time() - began) / requests * 1e6)


def run_scenario(name, token, requests, valgrind=False):
    """One process of the scenario `name`, serving `requests` requests after the warm-up: its output."""
    path, environment = SCENARIOS[name]
    command = [sys.executable, "-m", "bench.inprocess", "--serve", path, "--requests", str(requests)]
    if valgrind:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    # One hash seed for every process: dicts and sets then hold the same layout in both counted runs.
    environment = {**os.environ, **environment, TOKEN_VARIABLE: token, "PYTHONHASHSEED": "0"}
    output = subprocess.run(command, env=environment, cwd=run.ROOT, capture_output=True, text=True, check=False)
    if output.returncode:
        raise RuntimeError(f"{name} failed:\n{output.stderr[-2000:]}")
    return output


def cpu_us(token, requests, rounds):
    """Each scenario's fastest run, the scenarios taking turns run by run."""
    timings = {name: [] for name in SCENARIOS}
    for _ in range(rounds):
        for name in SCENARIOS:
            timings[name].append(float(run_scenario(name, token, requests).stdout.split()[-1]))
    return {name: min(values) for name, values in timings.items()}


def instructions(token):
    """Each scenario's instructions a request (valgrind's count for 1,100 requests less that for 100)."""
    counts = {}
    for name in SCENARIOS:
        totals = []
        for requests in COUNTED:
            stderr = run_scenario(name, token, requests, valgrind=True).stderr
            totals.append(int(next(line for line in stderr.splitlines() if "Collected :" in line).split(":")[-1]))
        counts[name] = (totals[1] - totals[0]) / (COUNTED[1] - COUNTED[0])
    return counts


def access_token():
    """A token of the benchmark user, from the password grant, in this process."""
    from django.db import connections
    from django.test import Client

    client = Client(HTTP_HOST=run.HOST)
    response = client.post("/oauth/token", run.password_grant_body(), content_type="application/x-www-form-urlencoded")
    if response.status_code != 200:
        raise RuntimeError(f"the password grant answered {response.status_code}: {response.content[:300]!r}")
    connections.close_all()  # none shared with the scenarios' processes
    return response.json()["access_token"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests a timed run (default: 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each scenario (default: 5)")
    parser.add_argument("--no-valgrind", action="store_true", help="time only, even with valgrind installed")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the path a scenario's process serves
    args = parser.parse_args(argv)
    if min(args.requests, args.rounds) < 1:
        parser.error("--requests and --rounds must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.serve:
        return serve(args.serve, args.requests)
    with tempfile.TemporaryDirectory(prefix="authsite-inprocess-") as workdir:
        os.environ.update(run.production_environment(f"sqlite:///{Path(workdir) / 'db.sqlite3'}"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = workdir  # the metrics in multiprocess mode, as under gunicorn
        run.prepare_database()
        token = access_token()
        cpu = cpu_us(token, args.requests, args.rounds)
        counted = instructions(token) if which("valgrind") and not args.no_valgrind else None
    for name, value in cpu.items():
        print(f"{name}_cpu_us={value:.1f}")
    print(f"me_vs_bare_cpu={cpu['bare'] / cpu['me']:.3f}")
    if counted is None:
        print(f"metrics_cost_pct={100 * (cpu['me'] / cpu['me_metrics_off'] - 1):.1f}")
        return 0
    for name, value in counted.items():
        print(f"{name}_instructions={value:.0f}")
    print(f"me_vs_bare_instructions={counted['bare'] / counted['me']:.3f}")
    print(f"metrics_cost_pct={100 * (counted['me'] / counted['me_metrics_off'] - 1):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
