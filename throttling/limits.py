"""
The three limits on password guessing, as one decision over the failures recorded so far.

Failed password checks are counted in django-axes's AccessAttempt rows, one per
(account, address, user agent), each with the failures since the last success and the time
of the latest. `failure_counts` reads the three totals in one query; `refusal` decides.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Min, Q, Sum


@dataclass(frozen=True)
class Refusal:
    reason: str  # "address_and_account", "address" or "account"
    retry_after: int  # seconds, at least 1

    @property
    def message(self):
        """The sentence every sign-in form shows: when to try again (in whole minutes), nothing about the account."""
        minutes = math.ceil(self.retry_after / 60)
        return f"Too many sign-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."


@dataclass(frozen=True)
class FailureCounts:
    pair: int  # consecutive failures of this account from this address
    pair_last: object  # time of the latest of them
    address: int  # failures from this address, any account, within SIGNIN_ADDRESS_WINDOW
    address_first: object
    account: int  # failures on this account, any address, within SIGNIN_ACCOUNT_WINDOW
    account_first: object


def failure_counts(ip_address, username, now):
    """The failures that matter to one attempt, in one aggregate query over AccessAttempt."""
    pair = Q(ip_address=ip_address, username=username)
    address = Q(ip_address=ip_address, attempt_time__gte=now - timedelta(seconds=settings.SIGNIN_ADDRESS_WINDOW))
    account = Q(username=username, attempt_time__gte=now - timedelta(seconds=settings.SIGNIN_ACCOUNT_WINDOW))
    totals = AccessAttempt.objects.filter(
        Q(ip_address=ip_address) | Q(username=username),
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,  # older failures are forgotten
    ).aggregate(
        pair=Sum("failures_since_start", filter=pair, default=0),
        pair_last=Max("attempt_time", filter=pair),
        address=Sum("failures_since_start", filter=address, default=0),
        address_first=Min("attempt_time", filter=address),
        account=Sum("failures_since_start", filter=account, default=0),
        account_first=Min("attempt_time", filter=account),
    )
    return FailureCounts(**totals)


def cool_off(lock_number):
    """SIGNIN_COOL_OFF for the first lock, doubled for each further one, at most SIGNIN_MAX_COOL_OFF."""
    doubled = settings.SIGNIN_COOL_OFF * 2 ** min(lock_number - 1, 32)  # 2**32 is past any sensible most
    return timedelta(seconds=min(doubled, settings.SIGNIN_MAX_COOL_OFF))


def refusal(counts, now, known_device):
    """
    The Refusal for an attempt, or None to check its password. `known_device` is True when
    the browser carries a device cookie for the account tried: it is not held to the
    account's budget, which is what guessing from many addresses exhausts.
    """
    if counts.pair >= settings.SIGNIN_FAILURE_LIMIT:
        # The limit-th failure is the first lock; every later one until a success is another.
        until = counts.pair_last + cool_off(counts.pair - settings.SIGNIN_FAILURE_LIMIT + 1)
        if until > now:
            return Refusal("address_and_account", seconds_until(until, now))
    if counts.address >= settings.SIGNIN_ADDRESS_LIMIT:
        until = counts.address_first + timedelta(seconds=settings.SIGNIN_ADDRESS_WINDOW)
        return Refusal("address", seconds_until(until, now))
    if counts.account >= settings.SIGNIN_ACCOUNT_LIMIT and not known_device:
        until = counts.account_first + timedelta(seconds=settings.SIGNIN_ACCOUNT_WINDOW)
        return Refusal("account", seconds_until(until, now))
    return None


def seconds_until(until, now):
    return max(1, math.ceil((until - now).total_seconds()))
