"""
The sign-in throttle's counters in the shared cache (Redis behind CACHE_URL) instead of the
database, so that several app servers count as one: SIGNIN_COUNTERS = "cache".

The same decision as the database handler's (throttling.limits.refusal), over counts kept with
Django's cache API:

- the pair, one account from one address: its consecutive failures and the time of the latest,
  forgotten SIGNIN_FORGET_AFTER after the latest, cleared by a success;
- the address, and the account: their failures in a window that opens at the first failure and
  lasts SIGNIN_ADDRESS_WINDOW (SIGNIN_ACCOUNT_WINDOW). The window's start is part of the
  count's key, so a new window starts from 0 with no race between servers.

Keys name addresses and accounts by a digest, so the cache holds no email address. The device
cookies' own budgets stay in the database (DeviceFailures): read only for a request that carries
a cookie, written only for a failure made with one.

When the cache does not answer, the throttle fails open (the README says why): the password is
checked as if no failure had been counted, the error is logged once per outage and process, and
nothing answers 500.
"""

import hashlib
import logging
from datetime import UTC, datetime

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import normalize_email

from .devices import is_known_device, record_device_failure
from .limits import FailureCounts, refusal
from .recall import forget_refusals

logger = logging.getLogger(__name__)

# What a cache that does not answer raises: redis-py's errors, a socket's.
CACHE_ERRORS = (RedisError, OSError)
PREFIX = "throttling"


def digest(*values):
    return hashlib.sha256("\0".join(value or "" for value in values).encode()).hexdigest()[:32]


class Keys:
    """The cache keys of one attempt's three counts."""

    def __init__(self, ip_address, username):
        self.pair = f"{PREFIX}:pair:{digest(ip_address, username)}"
        self.address = f"{PREFIX}:address:{digest(ip_address)}"
        self.account = f"{PREFIX}:account:{digest(username)}"


def window_count_key(name, first):
    return f"{name}:{first!r}:n"


class ThrottlingCacheHandler(AbstractAxesHandler, AxesBaseHandler):
    """
    An axes handler (AXES_HANDLER) that records failed password checks in the cache and locks
    attempts by this server's three limits; like throttling.handlers.ThrottlingHandler, it
    counts only password checks, and never a refused attempt.
    """

    def __init__(self):
        self.cache_down = False  # per process: an outage is logged once, and its end once

    @property
    def cache(self):
        return caches["default"]  # looked up on each use: Django's cache objects are per thread

    def now(self):
        """The clock the counts are kept by (the tests move it forward)."""
        return timezone.now()

    # --- axes's handler API ----------------------------------------------------------------

    def is_locked(self, request, credentials=None):
        username = get_client_username(request, credentials)
        now = self.now()
        request.throttling_refusal = None
        try:
            counts = self.failure_counts(request.axes_ip_address, username, now)
        except CACHE_ERRORS as error:
            self.cache_failed(error)
            return False
        self.cache_answered()
        request.throttling_refusal = refusal(counts, now, is_known_device(request, username))
        return request.throttling_refusal is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None or "password" not in (credentials or {}):
            return  # no password (Google's sign-in) or no request (the shell): nothing to count
        if getattr(request, "throttling_refusal", None) is not None:
            return  # refused before the password was checked: not a guess, and no write
        username = get_client_username(request, credentials)
        try:
            self.count_failure(request.axes_ip_address, username, self.now())
        except CACHE_ERRORS as error:
            self.cache_failed(error)
        else:
            self.cache_answered()
        record_device_failure(request, username)

    def user_logged_in(self, sender, request, user, **kwargs):
        """A success clears the pair's failures (AXES_RESET_ON_SUCCESS)."""
        if request is None:
            return
        self.reset_attempts(ip_address=request.axes_ip_address, username=normalize_email(user.get_username()))

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        try:
            return self.failure_counts(request.axes_ip_address, username, self.now()).pair
        except CACHE_ERRORS as error:
            self.cache_failed(error)
            return 0

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        """
        What axes_reset_ip_username, axes_reset_ip and axes_reset_username clear here: the
        pair's lock, the address's window, the account's window. The cache cannot list its keys,
        so clearing everything (axes_reset) is flushing the cache's database.
        """
        if ip_address is None and username is None:
            raise NotImplementedError("The cache cannot list its keys: flush its database to forget every failure.")
        keys = Keys(ip_address, username)
        if ip_address is not None and username is not None:
            names = [f"{keys.pair}:n", f"{keys.pair}:last"]
        else:  # the count of a window without its start is never read
            names = [f"{keys.address}:first" if username is None else f"{keys.account}:first"]
        try:
            self.cache.delete_many(names)
        except CACHE_ERRORS as error:
            self.cache_failed(error)
            return 0
        # This process's memory, once the counts are gone; the other processes' lapses within RECALL_SECONDS.
        forget_refusals(ip_address, username, either=ip_or_username)
        return 1

    # --- the counts ------------------------------------------------------------------------------

    def failure_counts(self, ip_address, username, now):
        """The three counts of throttling.limits, from two reads of the cache."""
        keys = Keys(ip_address, username)
        stamp = now.timestamp()
        times = self.cache.get_many([f"{keys.pair}:last", f"{keys.address}:first", f"{keys.account}:first"])
        pair_last = live(times.get(f"{keys.pair}:last"), settings.AXES_COOLOFF_TIME.total_seconds(), stamp)
        address_first = live(times.get(f"{keys.address}:first"), settings.SIGNIN_ADDRESS_WINDOW, stamp)
        account_first = live(times.get(f"{keys.account}:first"), settings.SIGNIN_ACCOUNT_WINDOW, stamp)
        wanted = {
            "pair": f"{keys.pair}:n" if pair_last is not None else None,
            "address": window_count_key(keys.address, address_first) if address_first is not None else None,
            "account": window_count_key(keys.account, account_first) if account_first is not None else None,
        }
        found = self.cache.get_many([key for key in wanted.values() if key])
        return FailureCounts(
            pair=found.get(wanted["pair"], 0),
            pair_last=as_datetime(pair_last),
            address=found.get(wanted["address"], 0),
            address_first=as_datetime(address_first),
            account=found.get(wanted["account"], 0),
            account_first=as_datetime(account_first),
        )

    def count_failure(self, ip_address, username, now):
        keys = Keys(ip_address, username)
        stamp = now.timestamp()
        forget_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
        if live(self.cache.get(f"{keys.pair}:last"), forget_after, stamp) is None:
            self.cache.delete(f"{keys.pair}:n")  # forgotten failures are not consecutive with this one
        self.increment(f"{keys.pair}:n", forget_after)
        self.cache.set(f"{keys.pair}:last", stamp, forget_after)
        self.count_in_window(keys.address, settings.SIGNIN_ADDRESS_WINDOW, stamp)
        self.count_in_window(keys.account, settings.SIGNIN_ACCOUNT_WINDOW, stamp)

    def count_in_window(self, name, width, stamp):
        """One more failure in the window `name`, opening a new window if none is running."""
        first = live(self.cache.get(f"{name}:first"), width, stamp)
        if first is None:
            self.cache.delete(f"{name}:first")  # a window that ended but is still stored
            self.cache.add(f"{name}:first", stamp, width)
            first = self.cache.get(f"{name}:first", stamp)  # another server's, if it opened one first
        self.increment(window_count_key(name, first), width)

    def increment(self, key, timeout):
        self.cache.add(key, 0, timeout)
        self.cache.incr(key)
        self.cache.touch(key, timeout)

    # --- an outage -----------------------------------------------------------------------------

    def cache_failed(self, error):
        if not self.cache_down:
            self.cache_down = True
            logger.error(
                "Sign-in throttle: the cache does not answer (%s); password checks are not counted until it does.",
                type(error).__name__,
            )

    def cache_answered(self):
        if self.cache_down:
            self.cache_down = False
            logger.warning("Sign-in throttle: the cache answers again; failures are counted.")


def live(stamp, lifetime, now):
    """`stamp` (seconds since the epoch) if it is less than `lifetime` seconds before `now`, else None."""
    return stamp if stamp is not None and stamp + lifetime > now else None


def as_datetime(stamp):
    return datetime.fromtimestamp(stamp, tz=UTC) if stamp is not None else None
