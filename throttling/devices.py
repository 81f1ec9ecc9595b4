"""
OWASP's device cookie: a browser that has signed in to an account before carries a signed,
HttpOnly cookie naming the account and a random device id. It is not held to that account's
budget of failures, so guessing from many addresses locks the account against unknown browsers
only; and each cookie has a small budget of its own (DeviceFailures).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils import timezone

from accounts.models import normalize_email

from .models import DeviceFailures

COOKIE_SALT = "throttling.devices"


def remember_device(request, email):
    """
    Mark the response to this request to set a new device cookie (DeviceCookieMiddleware writes
    it), and forget the failures of the one the browser had: a success clears them.
    """
    request.signed_in_with_password = normalize_email(email)
    device = device_cookie(request)
    if device is not None:
        DeviceFailures.objects.filter(device=device["device"]).delete()


def set_device_cookie(response, email):
    value = signing.dumps({"account": email, "device": secrets.token_hex(16)}, salt=COOKIE_SALT)
    # SameSite=Strict: the Ember app's token requests and the login forms are same-origin posts.
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        value,
        max_age=settings.DEVICE_COOKIE_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def device_cookie(request):
    """The request's device cookie, `{"account": email, "device": id}`, or None if absent, forged or too old."""
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME)
    if not value:
        return None
    try:
        return signing.loads(value, salt=COOKIE_SALT, max_age=settings.DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None


def is_known_device(request, username):
    """True when the request carries a valid device cookie for `username` that has not used up its own budget."""
    device = device_cookie(request)
    if device is None or device["account"] != username:
        return False
    return not DeviceFailures.objects.filter(
        device=device["device"],
        failures__gte=settings.SIGNIN_FAILURE_LIMIT,
        last_failure__gte=timezone.now() - timedelta(seconds=settings.SIGNIN_ACCOUNT_WINDOW),
    ).exists()


def record_device_failure(request, username):
    """Count a failed password check against the device cookie it came with, if any names this account."""
    device = device_cookie(request)
    if device is None or device["account"] != username:
        return
    now = timezone.now()
    failures, created = DeviceFailures.objects.get_or_create(
        device=device["device"], defaults={"failures": 1, "last_failure": now}
    )
    if not created:
        DeviceFailures.objects.filter(pk=failures.pk).update(failures=F("failures") + 1, last_failure=now)
