"""Browser tabs of the Ember app, seen from the server: sign in, refresh, read /api/me, over real HTTP."""

import collections
import time

import requests

ALICE = "alice@example.com"
PASSWORD = "correct-horse-battery-staple"
WRONG = "not-the-password"
CLIENT_ID = "ember-app"
TIMEOUT = 10
RETRIES = 30  # ~6 s of retrying: longer than HAProxy takes to drop a dead server (2 checks, 1 s apart)
CUT = (502, 503)  # HAProxy's answers when the server it had chosen went away


class Tab:
    """
    One tab, with its own connection. A request whose connection was cut (an error, or HAProxy's
    502/503) is sent again as it was, the same refresh token included: that is what the sealed
    grace period makes safe. Any other unexpected answer is an error, and the tab stops.
    """

    def __init__(self, url):
        self.url = url
        self.http = requests.Session()
        self.tokens = None
        self.statuses = collections.Counter()
        self.retries = 0
        self.refreshes = 0
        self.errors = []

    def send(self, method, path, url=None, **kwargs):
        for _ in range(RETRIES):
            try:
                response = self.http.request(method, f"{url or self.url}{path}", timeout=TIMEOUT, **kwargs)
            except requests.ConnectionError:
                self.retries += 1
            else:
                self.statuses[response.status_code] += 1
                if response.status_code not in CUT:
                    return response
                self.retries += 1
            time.sleep(0.2)
        raise AssertionError(f"{method} {path}: no answer after {RETRIES} tries")

    def sign_in(self, password=PASSWORD, url=None):
        data = {"grant_type": "password", "username": ALICE, "password": password, "client_id": CLIENT_ID}
        response = self.send("POST", "/oauth/token", url=url, data=data)
        if response.status_code == 200:
            self.tokens = response.json()
        return response

    def refresh(self, url=None):
        data = {"grant_type": "refresh_token", "refresh_token": self.tokens["refresh_token"], "client_id": CLIENT_ID}
        response = self.send("POST", "/oauth/token", url=url, data=data)
        if response.status_code != 200:
            self.errors.append(f"refresh: {response.status_code} {response.text[:200]}")
            return response
        self.tokens = response.json()
        self.refreshes += 1
        return response

    def me(self, url=None):
        response = self.send(
            "GET", "/api/me", url=url, headers={"Authorization": f"Bearer {self.tokens['access_token']}"}
        )
        if response.status_code != 200:
            self.errors.append(f"/api/me: {response.status_code} {response.text[:200]}")
        return response

    def keep_going(self, stop):
        """Refresh and read /api/me until `stop` is set or something fails (the thread's body)."""
        try:
            while not stop.is_set() and not self.errors:
                self.refresh()
                if not self.errors:
                    self.me()
                time.sleep(0.05)
        except AssertionError as error:
            self.errors.append(str(error))


def guess(url, username, password=WRONG, forwarded_for=None):
    """One password-grant attempt; `forwarded_for` is the address a proxy in front would have appended."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    data = {"grant_type": "password", "username": username, "password": password, "client_id": CLIENT_ID}
    return requests.post(f"{url}/oauth/token", data=data, headers=headers, timeout=TIMEOUT)
