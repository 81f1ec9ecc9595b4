"""
gunicorn with authsite/gunicorn.conf.py and two workers: GET /metrics sums what every worker
counted (prometheus_client's multiprocess mode), and a worker's counts outlive the worker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector

from .scrape import TOKEN, samples, value

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND = "/no-such-file.txt"  # answered without the database
SERIES = {"view": "unmatched", "method": "GET", "status": "404"}
BATCH, MOST_BATCHES = 8, 25


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(tmp_path, **variables):
    """gunicorn on a free port with the configuration file, two workers and `variables`; yields its URL."""
    (tmp_path / "tmp").mkdir()
    port = free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if name != "PROMETHEUS_MULTIPROC_DIR"},
        "DJANGO_SETTINGS_MODULE": "authsite.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "METRICS_TOKEN": TOKEN,
        "TMPDIR": str(tmp_path / "tmp"),  # where the configuration makes a directory when not given one
        **variables,
    }
    command = [sys.executable, "-m", "gunicorn", "authsite.wsgi", "--config", "authsite/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"]
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                requests.get(f"{url}{NOT_FOUND}", timeout=60)  # the first answer waits for Django to load
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def server(tmp_path):
    """gunicorn given a metrics directory holding a file from an earlier run; yields (URL, directory)."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")
    with gunicorn(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)) as url:
        yield url, metrics_dir
    assert not list((tmp_path / "tmp").glob("authsite-metrics-*"))  # none made: it was given one


def scrape(url):
    response = requests.get(f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert response.status_code == 200, response.text
    return samples(response.text)


def not_found_by_worker(metrics_dir):
    """{worker pid: 404s it counted}, read from each worker's own file."""
    counts = {}
    for path in metrics_dir.glob("counter_*.db"):
        worker_samples = samples_of(MultiProcessCollector.merge([str(path)], accumulate=False))
        counts[int(path.stem.split("_")[1])] = value(worker_samples, "authsite_http_requests_total", **SERIES)
    return counts


def samples_of(families):
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families
        for sample in family.samples
    }


def send_not_found(url, count):
    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(lambda _: requests.get(f"{url}{NOT_FOUND}", timeout=30).status_code, range(count)))
    assert statuses == [404] * count


def test_the_scrape_sums_both_workers(server):
    url, metrics_dir = server
    assert not (metrics_dir / "counter_1.db").exists()  # cleaned at start
    sent = 1  # the readiness check's
    for _ in range(MOST_BATCHES):  # the kernel chooses the worker: until both have answered
        send_not_found(url, BATCH)
        sent += BATCH
        if len([count for count in not_found_by_worker(metrics_dir).values() if count]) == 2:
            break
    by_worker = not_found_by_worker(metrics_dir)
    assert len([count for count in by_worker.values() if count]) == 2, by_worker

    scraped = scrape(url)
    assert value(scraped, "authsite_http_requests_total", **SERIES) == sent == sum(by_worker.values())
    assert value(scraped, "authsite_http_request_duration_seconds_count", view="unmatched") == sent

    # A worker killed: gunicorn starts another (child_exit marks the dead one); its counts stay.
    victim = max(by_worker, key=by_worker.get)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while len(not_found_by_worker(metrics_dir)) < 3:  # the new worker's file
        assert time.monotonic() < deadline, "gunicorn did not replace the worker"
        time.sleep(0.1)
    send_not_found(url, BATCH)
    assert value(scrape(url), "authsite_http_requests_total", **SERIES) == sent + BATCH


def test_without_a_directory_one_is_made_and_removed(tmp_path):
    with gunicorn(tmp_path) as url:
        (made,) = (tmp_path / "tmp").glob("authsite-metrics-*")
        assert value(scrape(url), "authsite_http_requests_total", **SERIES) == 1  # the readiness check
        assert list(made.glob("counter_*.db"))
    assert not made.exists()
