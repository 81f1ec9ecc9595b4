"""
The Ember app's figures: how much JavaScript the login page needs and how soon it can be
used, on the production build (frontend/dist, `make frontend`) served by gunicorn with
production settings on 127.0.0.1, loaded cold in Debian's Chromium.

    .venv/bin/python -m bench.frontend              # 5 cold loads
    .venv/bin/python -m bench.frontend --loads 20

Every figure is one `name=value` line:

    initial_js_files       JavaScript files the login page loads before it is usable
    initial_js_bytes       their size, uncompressed
    initial_js_gzip_bytes  their size as sent (whitenoise's gzip)   target: 256000 or less (250 KB)
    login_usable_ms        navigation start to a Sign in button that takes a click,
                           median of the cold loads                 target: 1000 or less
    login_usable_max_ms    the slowest of them
    target_<figure>        yes or no
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import (
    HOST,
    ROOT,
    free_port,
    prepare_database,
    production_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_until_ready,
)
from e2e.browser import CHROMIUM, CHROMIUM_ARGS

TARGETS = {"initial_js_gzip_bytes": 250 * 1024, "login_usable_ms": 1000}


def cold_load(browser, base_url):
    """One load of /login in a fresh profile: (the scripts it fetched as (bytes, bytes sent), ms until usable)."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    scripts = []
    page.on("requestfinished", lambda request: scripts.append(request) if request.resource_type == "script" else None)
    page.goto("/login")
    page.locator("[data-test-login-submit]:enabled").wait_for()
    usable_ms = page.evaluate("performance.now()")
    sizes = [(len(request.response().body()), request.sizes()["responseBodySize"]) for request in scripts]
    context.close()
    return sizes, usable_ms


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads of the login page (default 5)")
    args = parser.parse_args(argv)
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        sys.exit("frontend/dist is missing: run `make frontend` first.")
    with tempfile.TemporaryDirectory(prefix="authsite-bench-") as workdir:
        os.environ.update(production_environment(f"sqlite:///{Path(workdir) / 'db.sqlite3'}"))
        prepare_database()
        port = free_port()
        with open(Path(workdir) / "gunicorn.log", "w") as log:
            server = start_gunicorn(port, 2, os.environ.copy(), log)
            try:
                wait_until_ready(server, port)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    loads = [cold_load(browser, f"http://{HOST}:{port}") for _ in range(args.loads)]
                    browser.close()
            finally:
                stop_gunicorn(server)
    sizes = loads[0][0]
    timings = [usable_ms for _, usable_ms in loads]
    figures = {
        "initial_js_files": len(sizes),
        "initial_js_bytes": sum(raw for raw, _ in sizes),
        "initial_js_gzip_bytes": sum(sent for _, sent in sizes),
        "login_usable_ms": round(statistics.median(timings)),
        "login_usable_max_ms": round(max(timings)),
    }
    for name, value in figures.items():
        print(f"{name}={value}")
    for name, limit in TARGETS.items():
        print(f"target_{name}={'yes' if figures[name] <= limit else 'no'}")


if __name__ == "__main__":
    main()
