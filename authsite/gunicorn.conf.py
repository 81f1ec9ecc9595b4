"""
gunicorn's configuration for the metrics: every worker writes its counts to files in one
directory, and GET /metrics sums them (prometheus_client's multiprocess mode).

    gunicorn authsite.wsgi --config authsite/gunicorn.conf.py --bind 127.0.0.1:8000 --workers 4

gunicorn reads this file in its master process before any worker imports the app, which is
when prometheus_client must find PROMETHEUS_MULTIPROC_DIR. Give a directory of its own
(on tmpfs, e.g. /run/authsite-metrics), or one is made in the temporary directory and removed
when gunicorn stops. Its counts are cleared at every start: a new server counts from zero,
which Prometheus's rate() and increase() expect.
"""

import os
import shutil
import tempfile
from pathlib import Path

_made_here = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _made_here:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="authsite-metrics-")
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server):
    """Before the first worker: no count left by an earlier run (only the metric files are removed)."""
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for path in METRICS_DIR.glob("*.db"):
        path.unlink()


def child_exit(server, worker):
    """A worker is gone (restarted, killed): its live gauges leave the sums; its counts stay."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(METRICS_DIR))


def on_exit(server):
    if _made_here:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
