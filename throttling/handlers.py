from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.utils import timezone

from accounts.models import normalize_email

from .devices import is_known_device, record_device_failure
from .limits import failure_counts, refusal
from .recall import forget_refusals

# No address is longer (RFC 5321 §4.5.3.1, Django's EmailField): longer names no account, and
# axes's username column would refuse it (a DataError on PostgreSQL).
USERNAME_LENGTH = 254


def username_tried(request, credentials):
    """The account an attempt names, as stored (AXES_USERNAME_CALLABLE): `Alice@…` and `alice@…` are one."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return normalize_email(username)[:USERNAME_LENGTH] if username is not None else None


class ThrottlingHandler(AxesDatabaseHandler):
    """
    Axes's database handler with four changes: an attempt is locked by this server's three
    limits (throttling.limits) instead of axes's one failure count; only password checks are
    recorded (a failed "Sign in with Google" is not a guess, and a refused attempt writes nothing);
    a failure made with a device cookie also counts against that cookie; and clearing failures
    also forgets the refusals this process remembers (throttling.recall).
    """

    def is_locked(self, request, credentials=None):
        username = get_client_username(request, credentials)
        now = timezone.now()
        counts = failure_counts(request.axes_ip_address, username, now)
        request.throttling_refusal = refusal(counts, now, is_known_device(request, username))
        return request.throttling_refusal is not None

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        count = super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)
        # This process's memory, once the counts are gone; the other processes' lapses within RECALL_SECONDS.
        forget_refusals(ip_address, username, either=ip_or_username)
        return count

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if "password" not in (credentials or {}) or getattr(request, "throttling_refusal", None) is not None:
            return  # no password, or refused before it was checked: nothing to count, and no write
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            record_device_failure(request, username_tried(request, credentials))
