"""The refusals a process remembers for a moment (throttling.recall): a storm's guesses cost no query."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from throttling import recall
from throttling.limits import Refusal
from throttling.recall import forget_refusals, recalled_refusal, remember_refusal

ADDRESS = "192.0.2.1"


@pytest.fixture
def clock(monkeypatch):
    """recall's monotonic clock, moved by hand: `clock.now += 2`."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(recall.time, "monotonic", lambda: Clock.now)
    return Clock


@pytest.fixture
def guess(token_request, ember_app, user):
    return lambda: token_request(
        grant_type="password", username=user.email, password="wrong", client_id=ember_app.client_id
    )


def test_a_repeated_refused_guess_is_refused_without_a_query(guess, user, refusals):
    for _ in range(5):  # SIGNIN_FAILURE_LIMIT
        assert guess().status_code == 400
    first = guess()  # decided from the counts
    with CaptureQueriesContext(connection) as queries:
        again = guess()  # remembered

    assert (first.status_code, again.status_code) == (429, 429)
    assert again.json() == first.json()
    assert 0 < int(again["Retry-After"]) <= int(first["Retry-After"])
    assert not any(AccessAttempt._meta.db_table in query["sql"] for query in queries.captured_queries)
    # Both announced, for the audit trail and the metrics.
    assert [(username, reason) for username, reason, _ in refusals] == [(user.email, "address_and_account")] * 2


def test_a_lock_cleared_in_this_process_is_forgotten(guess, user, token_request, ember_app):
    for _ in range(6):
        guess()
    assert guess().status_code == 429

    call_command("axes_reset_username", user.email)

    signed_in = token_request(
        grant_type="password", username=user.email, password=PASSWORD, client_id=ember_app.client_id
    )
    assert signed_in.status_code == 200, signed_in.content


def test_a_refusal_is_remembered_for_recall_seconds_and_never_past_its_end(clock):
    remember_refusal(ADDRESS, "alice@example.com", Refusal("address_and_account", 60))
    clock.now += 1.5
    assert recalled_refusal(ADDRESS, "alice@example.com") == Refusal("address_and_account", 58)
    assert recalled_refusal(ADDRESS, "bob@example.com") is None  # the pair's refusal is the pair's
    assert recalled_refusal("192.0.2.2", "alice@example.com") is None
    clock.now += recall.RECALL_SECONDS
    assert recalled_refusal(ADDRESS, "alice@example.com") is None  # counted again from here on

    remember_refusal(ADDRESS, "alice@example.com", Refusal("address_and_account", 1))
    clock.now += 1
    assert recalled_refusal(ADDRESS, "alice@example.com") is None  # its lock has ended


def test_an_address_refusal_covers_every_account_from_that_address(clock):
    remember_refusal(ADDRESS, "alice@example.com", Refusal("address", 300))
    assert recalled_refusal(ADDRESS, "bob@example.com") == Refusal("address", 300)
    assert recalled_refusal("192.0.2.2", "bob@example.com") is None


def test_an_account_refusal_is_not_remembered_because_device_cookies_are_exempt(clock):
    remember_refusal(ADDRESS, "alice@example.com", Refusal("account", 300))
    assert recalled_refusal(ADDRESS, "alice@example.com") is None


def test_the_memory_is_bounded(clock, monkeypatch):
    monkeypatch.setattr(recall, "MAX_REMEMBERED", 3)
    for number in range(3):
        remember_refusal(f"192.0.2.{number}", "alice@example.com", Refusal("address_and_account", 60))
    clock.now += recall.RECALL_SECONDS  # all three lapsed: they make room
    remember_refusal("192.0.2.9", "alice@example.com", Refusal("address_and_account", 60))
    assert len(recall._remembered) == 1

    for number in range(3):  # none lapsed: the memory starts again rather than grow
        remember_refusal(f"198.51.100.{number}", "alice@example.com", Refusal("address_and_account", 60))
    assert len(recall._remembered) == 1


def test_refused_guesses_leave_no_request_warning_in_the_log(guess, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        statuses = [guess().status_code for _ in range(8)]

    assert statuses == [400] * 5 + [429] * 3
    warnings = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert warnings == ["Bad Request: /oauth/token"] * 5  # the wrong passwords are still logged


def test_a_reset_forgets_only_what_it_cleared(clock):
    remember = [
        ("192.0.2.1", "alice@example.com", "address_and_account"),
        ("192.0.2.1", "bob@example.com", "address_and_account"),
        ("192.0.2.2", "alice@example.com", "address_and_account"),
        ("192.0.2.3", "carol@example.com", "address"),
    ]
    for address, account, reason in remember:
        remember_refusal(address, account, Refusal(reason, 60))
    remembered = lambda: sorted(recall._remembered)  # noqa: E731

    forget_refusals("192.0.2.1", "alice@example.com")  # a success, or axes_reset_ip_username
    assert ("192.0.2.1", "alice@example.com") not in remembered()
    assert len(remembered()) == 3

    forget_refusals(username="alice@example.com")  # axes_reset_username
    assert remembered() == [("192.0.2.1", "bob@example.com"), ("192.0.2.3", None)]

    forget_refusals(ip_address="192.0.2.3")  # axes_reset_ip
    assert remembered() == [("192.0.2.1", "bob@example.com")]

    forget_refusals("192.0.2.9", "bob@example.com", either=True)
    assert remembered() == []
