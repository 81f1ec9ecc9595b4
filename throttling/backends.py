from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler

from .addresses import client_ip
from .handlers import username_tried
from .limits import Refusal
from .recall import recalled_refusal, remember_refusal
from .signals import attempt_refused

# Only when an operator blocks addresses with AXES_IP_BLACKLIST, which this server does not set.
BLACKLISTED = Refusal("address_blocked", 3600)


class ThrottlingBackend(AxesStandaloneBackend):
    """
    Axes's gate in front of the password check (first in AUTHENTICATION_BACKENDS), changed to
    announce each refusal on throttling.signals.attempt_refused, and to let pass untouched the
    sign-ins without a password (Google's) and the calls without a request (the shell, Django's
    test client), which axes would fail: only password checks made over HTTP are bounded here.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is None or request is None:
            return None
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            refusal = request.throttling_refusal = getattr(request, "throttling_refusal", None) or BLACKLISTED
            attempt_refused.send(
                sender=self.__class__,
                request=request,
                username=username,
                reason=refusal.reason,
                retry_after=refusal.retry_after,
            )
            raise


def refusal_of(request):
    """Why the sign-in attempt of this request was refused, or None if it was not."""
    return getattr(request, "throttling_refusal", None)


def refuse_before_checking(request, username):
    """
    The Refusal of a password attempt for `username`, decided from the counts alone (or
    recalled: throttling.recall) and announced on attempt_refused, or None to go on and check
    the password. The token endpoint asks this first, so that a refused guess costs no oauthlib
    request, and during a storm no query either: the refusals are most of its work.
    """
    if "\x00" in username:  # names no account, and PostgreSQL refuses it in a query: the validator answers
        return None
    ip_address, account = client_ip(request), username_tried(request, {"username": username})
    refusal = recalled_refusal(ip_address, account)
    if refusal is None and AxesProxyHandler.is_locked(request, {"username": username}):
        refusal = refusal_of(request) or BLACKLISTED
        remember_refusal(ip_address, account, refusal)
    if refusal is None:
        return None
    attempt_refused.send(
        sender=ThrottlingBackend,
        request=request,
        username=username,
        reason=refusal.reason,
        retry_after=refusal.retry_after,
    )
    return refusal
