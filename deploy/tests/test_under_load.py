"""
The long multi-server tests (`make test-cluster`; marked `cluster_load`, left out of `make test`):
an app server killed, and Redis restarted, while tabs refresh and read /api/me through HAProxy.
"""

import signal
import threading
import time

import pytest

from deploy.cluster import wait_for

from .tabs import PASSWORD, Tab, guess

pytestmark = pytest.mark.cluster_load

TABS = 4


def start_tabs(cluster):
    tabs = [Tab(cluster.url) for _ in range(TABS)]
    for tab in tabs:
        assert tab.sign_in().status_code == 200
    stop = threading.Event()
    threads = [threading.Thread(target=tab.keep_going, args=(stop,)) for tab in tabs]
    for thread in threads:
        thread.start()
    return tabs, stop, threads


def stop_tabs(stop, threads):
    stop.set()
    for thread in threads:
        thread.join(timeout=60)


def refreshes(tabs):
    return [tab.refreshes for tab in tabs]


def requests_served(cluster):
    return {name: int(row["stot"]) for name, row in cluster.server_stats().items()}


def test_an_app_server_killed_under_load_loses_no_sign_in(both_up):
    cluster = both_up
    tabs, stop, threads = start_tabs(cluster)
    try:
        wait_for(lambda: min(refreshes(tabs)) >= 3, "the tabs did not refresh")
        cluster.stop_server("app2", signal.SIGKILL)  # master and workers, mid-request

        wait_for(lambda: cluster.server_states()["app2"] == "DOWN", "HAProxy did not take app2 out", timeout=15)
        served = requests_served(cluster)
        before = refreshes(tabs)
        wait_for(lambda: all(now >= then + 3 for now, then in zip(refreshes(tabs), before, strict=True)), "stuck")
        after = requests_served(cluster)
    finally:
        stop_tabs(stop, threads)

    assert after["app2"] == served["app2"]  # HAProxy sends it nothing any more
    assert after["app1"] > served["app1"]
    for tab in tabs:
        assert tab.errors == []  # every refresh chain went on: no sign-in lost
        assert 500 not in tab.statuses
        assert tab.refresh().status_code == 200 and tab.me().status_code == 200  # and it goes on


def test_redis_restarted_under_load_answers_no_500_and_the_throttle_fails_open(both_up):
    cluster = both_up
    account = "storm-redis-restart@example.com"
    tabs, stop, threads = start_tabs(cluster)
    try:
        # Redis up: five guesses are checked, then the pair is refused.
        assert [guess(cluster.url, account).status_code for _ in range(6)] == [400] * 5 + [429]

        cluster.stop_redis()
        # Redis away: every password is checked (fails open); the right one signs in; no 500.
        assert [guess(cluster.url, account).status_code for _ in range(8)] == [400] * 8
        signed_in = Tab(cluster.url)
        assert signed_in.sign_in().status_code == 200
        assert guess(cluster.url, account, password=PASSWORD).status_code == 400  # (another account)
        assert cluster.all_up()  # /healthz does not depend on Redis: no server leaves the pool
        before = refreshes(tabs)
        wait_for(lambda: all(now > then for now, then in zip(refreshes(tabs), before, strict=True)), "stuck")

        cluster.start_redis_server()
        # Back, and empty (no persistence): counting starts again on every server.
        time.sleep(0.5)
        assert [guess(cluster.url, account).status_code for _ in range(6)] == [400] * 5 + [429]
        before = refreshes(tabs)
        wait_for(lambda: all(now > then for now, then in zip(refreshes(tabs), before, strict=True)), "stuck")
    finally:
        stop_tabs(stop, threads)

    for tab in tabs:
        assert tab.errors == []
        assert set(tab.statuses) == {200}  # nothing else, and no connection cut
