"""
The same guessing storms as test_token_endpoint.py and test_pages.py, with the counters in Redis
(SIGNIN_COUNTERS = "cache": throttling.cache_handler), against a live server and a redis-server
of the tests' own; and what happens when that Redis stops.
"""

import logging
from datetime import timedelta

import pytest
import requests
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD
from throttling import recall
from throttling.cache_handler import ThrottlingCacheHandler
from throttling.models import DeviceFailures
from throttling.recall import forget_refusals

from .live import ALICE, WRONG
from .redis_server import RedisServer
from .test_token_endpoint import assert_refused

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def clock(monkeypatch):
    """Moves the cache handler's clock forward: `clock(60)` is a minute later for the counts."""
    offset = timedelta()

    def time_passes(seconds):
        nonlocal offset
        offset += timedelta(seconds=seconds)
        forget_refusals()  # remembered for at most RECALL_SECONDS

    monkeypatch.setattr(ThrottlingCacheHandler, "now", lambda self: timezone.now() + offset)
    return time_passes


@pytest.fixture
def cache_site(site, settings, redis_server, clock):
    """The live server with the counters in the tests' Redis, emptied."""
    if redis_server.process is None:
        redis_server.start()  # a test stopped it and failed before starting it again
    redis_server.flush()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SIGNIN_COUNTERS = "cache"
    settings.AXES_HANDLER = "throttling.cache_handler.ThrottlingCacheHandler"  # axes reloads its handler
    return site


def test_a_storm_on_one_account_from_one_address_checks_five_passwords(cache_site, hashes, refusals, clock):
    statuses = [cache_site.token().status_code for _ in range(50)]

    assert statuses == [400] * 5 + [429] * 45
    assert hashes() == 5
    assert [(username, reason) for username, reason, _ in refusals] == [(ALICE, "address_and_account")] * 45
    locked = cache_site.token(password=PASSWORD)
    assert 0 < assert_refused(locked) <= 60
    assert locked.json()["error_description"] == "Too many sign-in attempts. Try again in 1 minute."
    assert not AccessAttempt.objects.exists()  # nothing in the database

    clock(60)
    assert cache_site.token(password=PASSWORD).status_code == 200
    assert hashes() == 6
    assert [cache_site.token().status_code for _ in range(6)] == [400] * 5 + [429]  # a success cleared the count


def test_each_new_lock_is_twice_as_long_up_to_the_most(cache_site, settings, clock):
    settings.SIGNIN_MAX_COOL_OFF = 200
    for _ in range(5):
        cache_site.token()
    assert 0 < assert_refused(cache_site.token()) <= 60

    clock(60)
    assert cache_site.token().status_code == 400
    assert 60 < assert_refused(cache_site.token()) <= 120

    clock(120)
    assert cache_site.token().status_code == 400
    assert 120 < assert_refused(cache_site.token()) <= 200


def test_the_answer_is_the_same_for_an_unknown_account_and_any_spelling(cache_site, hashes):
    for username in [ALICE, "Alice@Example.com", " ALICE@example.com", "ALICE@EXAMPLE.COM", "aLICE@example.com"]:
        assert cache_site.token(username=username).status_code == 400
    for _ in range(5):
        assert cache_site.token(username="nobody@example.com").status_code == 400
    known, unknown = cache_site.token(username=ALICE), cache_site.token(username="nobody@example.com")

    assert_refused(known), assert_refused(unknown)
    assert known.json() == unknown.json()
    assert hashes() == 10


def test_one_address_has_a_budget_for_all_accounts(cache_site, settings, hashes, refusals, clock):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(30):
        assert cache_site.token(username=f"user{number}@example.com", address="203.0.113.7").status_code == 400
    assert_refused(cache_site.token(password=PASSWORD, address="203.0.113.7"))
    assert hashes() == 30
    assert {reason for _, reason, _ in refusals} == {"address"}
    assert cache_site.token(password=PASSWORD, address="198.51.100.1").status_code == 200

    clock(600)  # the window is over
    assert cache_site.token(password=PASSWORD, address="203.0.113.7").status_code == 200


def test_guessing_from_many_addresses_spares_browsers_with_a_device_cookie(cache_site, settings, refusals):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGNIN_ACCOUNT_LIMIT = 10
    owner, stolen = requests.Session(), requests.Session()
    assert cache_site.token(password=PASSWORD, browser=owner, address="198.51.100.1").status_code == 200
    assert cache_site.token(password=PASSWORD, browser=stolen, address="198.51.100.2").status_code == 200
    for number in range(10):  # two guesses each from five addresses: no address is locked
        assert cache_site.token(address=f"203.0.113.{number // 2}").status_code == 400

    assert_refused(cache_site.token(password=PASSWORD, address="192.0.2.1"))  # an unknown browser
    assert refusals[-1][1] == "account"
    assert cache_site.token(password=PASSWORD, browser=owner, address="192.0.2.3").status_code == 200

    # A cookie's own budget (in the database): five guesses, then it exempts nothing.
    for number in range(5):
        assert cache_site.token(browser=stolen, address=f"192.0.2.{10 + number}").status_code == 400
    assert DeviceFailures.objects.get().failures == 5
    assert_refused(cache_site.token(password=PASSWORD, browser=stolen, address="192.0.2.20"))


def test_a_login_page_says_when_to_try_again(cache_site, django_user_model, clock):
    django_user_model.objects.create_superuser("staff@example.com", PASSWORD)
    for _ in range(5):
        assert "Please enter the correct" in cache_site.form_login("/admin/login/", "staff@example.com", WRONG).text
    refused = cache_site.form_login("/admin/login/", "staff@example.com", PASSWORD)
    assert refused.status_code == 200
    assert "Too many sign-in attempts. Try again in 1 minute." in refused.text

    clock(60)
    assert cache_site.form_login("/admin/login/", "staff@example.com", PASSWORD).status_code == 302


def test_a_success_forgets_only_its_own_pair_from_this_process_memory(cache_site):
    for _ in range(5):
        cache_site.token(username="nobody@example.com")
    assert cache_site.token(username="nobody@example.com").status_code == 429  # remembered from here on

    assert cache_site.token(password=PASSWORD).status_code == 200  # Alice, from the same address

    assert ("127.0.0.1", "nobody@example.com") in recall._remembered


def test_axes_reset_ip_username_clears_a_lock(cache_site):
    for _ in range(5):
        cache_site.token()
    assert_refused(cache_site.token(password=PASSWORD))

    call_command("axes_reset_ip_username", "127.0.0.1", ALICE)
    assert cache_site.token(password=PASSWORD).status_code == 200


def test_without_redis_the_throttle_fails_open_and_nothing_answers_500(cache_site, redis_server, hashes, caplog):
    for _ in range(5):
        cache_site.token()
    assert_refused(cache_site.token(password=PASSWORD))

    redis_server.stop()
    forget_refusals()  # RECALL_SECONDS later: the lock this process remembered has lapsed too
    try:
        with caplog.at_level(logging.WARNING, logger="throttling.cache_handler"):
            # Every password is checked while Redis is away: wrong ones are wrong, the right one signs in.
            assert [cache_site.token().status_code for _ in range(8)] == [400] * 8
            assert cache_site.token(password=PASSWORD).status_code == 200
            assert cache_site.form_login("/accounts/login/", ALICE, WRONG).status_code == 200
        assert hashes() == 5 + 8 + 1 + 1
        outages = [record for record in caplog.records if "does not answer" in record.getMessage()]
        assert len(outages) == 1  # logged once
    finally:
        redis_server.start()

    # Back, and empty (no persistence): the count starts again.
    assert [cache_site.token().status_code for _ in range(6)] == [400] * 5 + [429]
    assert any("answers again" in record.getMessage() for record in caplog.records)


def test_axes_reset_ip_and_axes_reset_username_clear_the_windows(cache_site, settings, refusals):
    settings.SIGNIN_ADDRESS_LIMIT = 3
    for number in range(3):
        assert cache_site.token(username=f"user{number}@example.com").status_code == 400
    assert_refused(cache_site.token(password=PASSWORD))
    call_command("axes_reset_ip", "127.0.0.1")
    assert cache_site.token(password=PASSWORD).status_code == 200

    settings.SIGNIN_ADDRESS_LIMIT = 30
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGNIN_ACCOUNT_LIMIT = 3
    for number in range(3):
        assert cache_site.token(address=f"203.0.113.{number}").status_code == 400
    assert_refused(cache_site.token(password=PASSWORD, address="192.0.2.1"))
    assert refusals[-1][1] == "account"
    call_command("axes_reset_username", ALICE)
    assert cache_site.token(password=PASSWORD, address="192.0.2.1").status_code == 200
