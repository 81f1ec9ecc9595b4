"""Guessing storms on /oauth/token, against a live server over real HTTP."""

import pytest
import requests
from axes.models import AccessAttempt

from accounts.models import User
from conftest import PASSWORD
from throttling.models import DeviceFailures

from .live import ALICE, time_passes

pytestmark = pytest.mark.django_db(transaction=True)


def assert_refused(response):
    """A 429 in RFC 6749 shape that says when to try again; returns its Retry-After in seconds."""
    assert response.status_code == 429, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["error"] == "invalid_grant"
    assert body["error_description"].startswith("Too many sign-in attempts. Try again in ")
    return int(response.headers["Retry-After"])


def test_a_storm_on_one_account_from_one_address_checks_five_passwords(site, hashes, refusals):
    statuses = [site.token().status_code for _ in range(50)]

    assert statuses == [400] * 5 + [429] * 45
    assert hashes() == 5
    assert [(username, reason) for username, reason, _ in refusals] == [(ALICE, "address_and_account")] * 45
    assert all(0 < retry_after <= 60 for _, _, retry_after in refusals)

    locked = site.token(password=PASSWORD)  # the right password waits too
    assert 0 < assert_refused(locked) <= 60
    sentence = locked.json()["error_description"]
    assert sentence == "Too many sign-in attempts. Try again in 1 minute."
    assert hashes() == 5

    time_passes(60)
    signed_in = site.token(password=PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    assert hashes() == 6
    assert not AccessAttempt.objects.exists()  # a success clears the count
    assert [site.token().status_code for _ in range(6)] == [400] * 5 + [429]


def test_the_answer_is_the_same_for_an_unknown_account(site, hashes):
    for username in (ALICE, "nobody@example.com"):
        for _ in range(5):
            site.token(username=username)
    known, unknown = site.token(username=ALICE), site.token(username="nobody@example.com")

    assert_refused(known), assert_refused(unknown)
    assert known.json() == unknown.json()
    assert known.headers.keys() == unknown.headers.keys()
    assert hashes() == 10


def test_each_new_lock_is_twice_as_long_up_to_the_most(site, settings):
    settings.SIGNIN_MAX_COOL_OFF = 200
    for _ in range(5):
        site.token()
    assert 0 < assert_refused(site.token()) <= 60

    time_passes(60)
    assert site.token().status_code == 400  # checked: one guess after each lock
    second = site.token()
    assert 60 < assert_refused(second) <= 120
    assert second.json()["error_description"] == "Too many sign-in attempts. Try again in 2 minutes."

    time_passes(120)
    assert site.token().status_code == 400
    assert 120 < assert_refused(site.token()) <= 200  # 240, cut to the most


def test_failures_spelled_differently_count_for_one_account(site):
    spellings = [ALICE, "Alice@Example.com", " ALICE@example.com", "ALICE@EXAMPLE.COM", "aLICE@example.com"]
    for username in spellings:
        assert site.token(username=username).status_code == 400
    assert_refused(site.token())


def test_one_address_has_a_budget_for_all_accounts(site, settings, hashes, refusals):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(30):
        assert site.token(username=f"user{number}@example.com", address="203.0.113.7").status_code == 400
    assert hashes() == 30

    assert_refused(site.token(username="user99@example.com", address="203.0.113.7"))
    assert_refused(site.token(password=PASSWORD, address="203.0.113.7"))
    assert hashes() == 30
    assert {reason for _, reason, _ in refusals} == {"address"}

    assert site.token(password=PASSWORD, address="198.51.100.1").status_code == 200  # another address


def test_guessing_from_many_addresses_spares_browsers_that_signed_in_before(site, settings, hashes, refusals):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGNIN_ACCOUNT_LIMIT = 10
    owner = requests.Session()
    signed_in = site.token(password=PASSWORD, browser=owner, address="198.51.100.1")
    assert signed_in.status_code == 200
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("device=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie

    for number in range(10):  # two guesses each from five addresses: no address is locked
        assert site.token(address=f"203.0.113.{number // 2}").status_code == 400
    hashed = hashes()

    assert_refused(site.token(password=PASSWORD, address="192.0.2.1"))  # an unknown browser
    assert refusals[-1][1] == "account"
    assert hashes() == hashed

    assert site.token(password="wrong", browser=owner, address="192.0.2.2").status_code == 400  # checked
    assert site.token(password=PASSWORD, browser=owner, address="192.0.2.3").status_code == 200

    # A device cookie names its account: Bob's does not open Alice's, nor does a forged one.
    User.objects.create_user("bob@example.com", PASSWORD)
    bob = requests.Session()
    assert site.token(username="bob@example.com", password=PASSWORD, browser=bob).status_code == 200
    assert_refused(site.token(password=PASSWORD, browser=bob, address="192.0.2.4"))
    forged = requests.Session()
    forged.cookies.set("device", owner.cookies["device"][:-1] + ("A" if owner.cookies["device"][-1] != "A" else "B"))
    assert_refused(site.token(password=PASSWORD, browser=forged, address="192.0.2.5"))


def test_a_device_cookie_has_a_budget_of_its_own(site, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGNIN_ACCOUNT_LIMIT = 10
    stolen = requests.Session()
    assert site.token(password=PASSWORD, browser=stolen).status_code == 200
    for number in range(10):  # the account's budget is spent by others
        site.token(address=f"203.0.113.{number // 2}")

    # With the cookie, five guesses from five addresses are checked; then it is an unknown browser.
    for number in range(5):
        assert site.token(browser=stolen, address=f"192.0.2.{number}").status_code == 400
    assert DeviceFailures.objects.get().failures == 5
    assert_refused(site.token(password=PASSWORD, browser=stolen, address="192.0.2.9"))

    # Below its budget the cookie exempts its browser again, and a success clears its count.
    DeviceFailures.objects.update(failures=4)
    assert site.token(password=PASSWORD, browser=stolen, address="192.0.2.10").status_code == 200
    assert not DeviceFailures.objects.exists()


def test_forwarded_for_is_read_only_behind_trusted_proxies(site, settings):
    # By default the header is the client's own word: varying it changes nothing.
    for number in range(5):
        site.token(address=f"203.0.113.{number}")
    assert_refused(site.token(address="203.0.113.99"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    AccessAttempt.objects.all().delete()

    # Behind one proxy, its entry (the last) is the client; what the client wrote before it is not.
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        site.token(address="198.51.100.9, 203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert_refused(site.token(address="203.0.113.5"))
    assert_refused(site.token(address="192.0.2.77, 203.0.113.5"))
    assert site.token(address="203.0.113.5, 192.0.2.77").status_code == 400
    assert site.token(password=PASSWORD, address="192.0.2.77").status_code == 200
