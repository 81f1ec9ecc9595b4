"""
OWASP's device cookie: a browser that has signed in to an account before carries a signed,
HttpOnly cookie naming it, and is not held to that account's budget of failures. Guessing
from many addresses can then lock an account against unknown browsers only.
"""

from django.conf import settings

from accounts.models import normalize_email

COOKIE_SALT = "throttling.devices"


def remember_device(request, email):
    """Mark the response to this request to set the device cookie (DeviceCookieMiddleware writes it)."""
    request.signed_in_with_password = normalize_email(email)


def set_device_cookie(response, email):
    # SameSite=Strict: the Ember app's token requests and the login forms are same-origin posts.
    response.set_signed_cookie(
        settings.DEVICE_COOKIE_NAME,
        email,
        salt=COOKIE_SALT,
        max_age=settings.DEVICE_COOKIE_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def is_known_device(request, username):
    """True when the request carries a valid device cookie for `username`."""
    email = request.get_signed_cookie(
        settings.DEVICE_COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=settings.DEVICE_COOKIE_AGE
    )
    return email is not None and email == normalize_email(username)
