"""
Refusals each process remembers for a moment, so that a guessing storm's repeated guesses are
refused without reading the counts again.

A storm sends the same refused guess hundreds of times a second; once a process has counted
and refused (address, account), or an address, it refuses the same again for up to
RECALL_SECONDS from memory, with the time left of the refusal it decided. Only refusals that
hold whatever the request carries are remembered: the account's budget is not, because a
browser with that account's device cookie is exempt from it.

The price: a lock cleared by staff (the admin's Unlock, `axes_reset`) is still honoured for up
to RECALL_SECONDS by the processes that remembered it. Nothing can be unlocked early by it.
"""

import time

from .limits import Refusal

RECALL_SECONDS = 2.0
RECALLED_REASONS = frozenset(["address_and_account", "address"])  # not "account": device cookies are exempt
MAX_REMEMBERED = 10_000  # keys kept per process: a storm from many addresses cannot grow it without bound

# (address, account) for a pair's refusal, (address, None) for an address's: (reason, until, forget_at),
# the two times on time.monotonic().
_remembered = {}


def recalled_refusal(ip_address, username):
    """The refusal this process decided for this attempt less than RECALL_SECONDS ago and still in force, or None."""
    now = time.monotonic()
    for key in ((ip_address, username), (ip_address, None)):
        entry = _remembered.get(key)
        if entry is not None:
            reason, until, forget_at = entry
            if now < forget_at and now < until:
                return Refusal(reason, max(1, round(until - now)))
    return None


def remember_refusal(ip_address, username, refusal):
    """Keeps `refusal`, just decided from the counts, for the next attempts of the same kind."""
    if refusal.reason not in RECALLED_REASONS:
        return
    now = time.monotonic()
    if len(_remembered) >= MAX_REMEMBERED:
        # A copy to iterate and pop() to delete: a gthread worker's other threads may change it meanwhile.
        for key, (_, until, forget_at) in list(_remembered.items()):
            if now >= min(until, forget_at):
                _remembered.pop(key, None)
        if len(_remembered) >= MAX_REMEMBERED:
            _remembered.clear()
    key = (ip_address, username if refusal.reason == "address_and_account" else None)
    _remembered[key] = (refusal.reason, now + refusal.retry_after, now + RECALL_SECONDS)


def forget_refusals(ip_address=None, username=None, either=False):
    """
    Forgets what this process remembers of the failures just cleared here (axes's reset_attempts
    arguments): the pair's refusal, every refusal of an address, or of an account (of the address
    or of the account with `either`), or with no argument all of them (and between tests).
    """
    if ip_address is None and username is None:
        _remembered.clear()
    elif ip_address is not None and username is not None and not either:
        _remembered.pop((ip_address, username), None)  # a success clears its pair: no scan
    else:
        for address, account in list(_remembered):
            if either:
                cleared = address == ip_address or account == username
            else:
                cleared = ip_address in (None, address) and username in (None, account)
            if cleared:
                _remembered.pop((address, account), None)
