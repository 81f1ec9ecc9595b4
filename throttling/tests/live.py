"""Helpers for the tests that sign in against the live server over real HTTP."""

import re
from datetime import timedelta

import requests
from axes.models import AccessAttempt
from django.db.models import F

from throttling.recall import forget_refusals

ALICE = "alice@example.com"
WRONG = "not-alices-password"


class Site:
    """The live server, seen from outside: sign-in attempts over real HTTP, one browser per requests.Session."""

    def __init__(self, url):
        self.url = url

    def token(self, username=ALICE, password=WRONG, browser=None, address=None):
        """POST /oauth/token (password grant) the way the Ember app does; `address` goes in X-Forwarded-For."""
        headers = {"X-Forwarded-For": address} if address else {}
        return (browser or requests).post(
            f"{self.url}/oauth/token",
            data={"grant_type": "password", "username": username, "password": password, "client_id": "ember-app"},
            headers=headers,
            timeout=30,
        )

    def form_login(self, path, username, password, browser=None):
        """GET a login page, then POST its form; returns the answer to the POST."""
        browser = browser or requests.Session()
        page = browser.get(f"{self.url}{path}", timeout=30)
        return browser.post(
            f"{self.url}{path}",
            data={"csrfmiddlewaretoken": csrf_token(page.text), "username": username, "password": password},
            allow_redirects=False,
            timeout=30,
        )


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def time_passes(seconds):
    """Every recorded failure becomes `seconds` older, as if the clock had moved on."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))
    forget_refusals()  # remembered for at most RECALL_SECONDS
