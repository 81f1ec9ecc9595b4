"""
The short multi-server tests (every CI run): two app servers behind HAProxy sharing one
PostgreSQL and one Redis, started by deploy/cluster.py, driven over loopback HTTP.
"""

import re
import threading

import pytest
import requests

from .tabs import ALICE, PASSWORD, TIMEOUT, Tab, guess


def test_haproxy_spreads_requests_over_both_servers(both_up):
    cluster = both_up
    before = {name: int(row["stot"]) for name, row in cluster.server_stats().items()}
    for _ in range(10):
        assert requests.get(f"{cluster.url}/healthz", timeout=TIMEOUT).text == "ok"
    after = {name: int(row["stot"]) for name, row in cluster.server_stats().items()}
    assert {name: after[name] - before[name] for name in after} == {"app1": 5, "app2": 5}


def test_two_tabs_refreshing_on_two_servers_both_stay_signed_in(both_up):
    cluster = both_up
    first, second = Tab(cluster.url), Tab(cluster.url)
    assert first.sign_in().status_code == 200
    second.tokens = dict(first.tokens)  # the tabs share the session (localStorage)

    # At the same moment, the same refresh token: the first tab to app1, the second to app2.
    barrier = threading.Barrier(2)
    answers = {}

    def refresh(tab, name):
        barrier.wait()
        answers[name] = tab.refresh(url=cluster.server_url(name))

    threads = [threading.Thread(target=refresh, args=pair) for pair in ((first, "app1"), (second, "app2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers["app1"].status_code == answers["app2"].status_code == 200
    assert first.tokens == second.tokens  # one new pair: the loser got the winner's, sealed

    # Both stay signed in, whichever server answers, and the session goes on.
    for name in ("app1", "app2"):
        assert first.me(url=cluster.server_url(name)).status_code == 200
    assert first.refresh(url=cluster.server_url("app2")).status_code == 200
    assert second.refresh(url=cluster.server_url("app1")).status_code == 200  # one after the other, too
    assert first.tokens == second.tokens
    assert second.me().status_code == 200
    assert not first.errors and not second.errors


@pytest.fixture(scope="session")
def database_servers(cluster):
    """Two more app servers on the same database, counting failures in it (SIGNIN_COUNTERS=database)."""
    return [cluster.start_server(name, SIGNIN_COUNTERS="database") for name in ("db1", "db2")]


@pytest.mark.parametrize("counters", ["cache", "database"])
def test_a_guessing_storm_spread_over_the_servers_is_throttled_as_one(both_up, request, counters):
    cluster = both_up
    if counters == "cache":
        urls = [cluster.server_url("app1"), cluster.server_url("app2")]
    else:
        urls = [f"http://127.0.0.1:{port}" for port in request.getfixturevalue("database_servers")]
    account, address = f"storm-{counters}@example.com", f"203.0.113.{len(counters)}"

    # Taking turns between the servers, as HAProxy's round robin would (it appends the address).
    statuses = [guess(urls[number % 2], account, forwarded_for=address).status_code for number in range(20)]

    assert statuses == [400] * 5 + [429] * 15
    for url in urls:
        refused = guess(url, account, forwarded_for=address)
        assert refused.status_code == 429
        assert refused.json()["error"] == "invalid_grant"
        assert int(refused.headers["Retry-After"]) > 0


def test_through_haproxy_the_address_is_the_one_haproxy_saw(both_up):
    """X-Forwarded-For as a client writes it is not read: HAProxy's own entry is the address."""
    cluster = both_up
    account = "storm-forged@example.com"
    statuses = [guess(cluster.url, account, forwarded_for=f"198.51.100.{number}").status_code for number in range(6)]
    assert statuses == [400] * 5 + [429]


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", ["/admin/login/", "/accounts/login/"])
def test_the_login_pages_work_whichever_server_answers(both_up, path):
    cluster = both_up
    app1, app2 = cluster.server_url("app1"), cluster.server_url("app2")
    browser = requests.Session()

    page = browser.get(f"{app1}{path}", timeout=TIMEOUT)  # the form and its CSRF cookie from app1
    assert page.status_code == 200
    signed_in = browser.post(  # posted to app2
        f"{app2}{path}",
        data={"csrfmiddlewaretoken": csrf_token(page.text), "username": ALICE, "password": PASSWORD, "next": "/admin/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert signed_in.headers["Location"] == "/admin/"

    for url in (app1, app2, cluster.url):  # the session works everywhere
        admin = browser.get(f"{url}/admin/", allow_redirects=False, timeout=TIMEOUT)
        assert admin.status_code == 200
        assert "Site administration" in admin.text

    # A form from app2 posted to app1: the admin's user list, then signing out.
    changelist = browser.get(f"{app2}/admin/accounts/user/", timeout=TIMEOUT)
    assert ALICE in changelist.text
    signed_out = browser.post(
        f"{app1}/admin/logout/", data={"csrfmiddlewaretoken": csrf_token(changelist.text)}, timeout=TIMEOUT
    )
    assert signed_out.status_code == 200
    assert browser.get(f"{app2}/admin/", allow_redirects=False, timeout=TIMEOUT).status_code == 302
