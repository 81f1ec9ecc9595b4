"""Debian's Chromium, as the end-to-end tests and bench/frontend.py launch it (never a downloaded browser)."""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# As root in a container, with nothing reaching out to the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
