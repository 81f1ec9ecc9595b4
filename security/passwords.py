"""Changing a password from the security page: the current one is a password check like any sign-in's."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate

from throttling.backends import refusal_of

from .sessions import end_other_sessions


def check_current_password(request, user, password):
    """
    Whether `password` is `user`'s, checked through authenticate() so that it counts as a
    password check everywhere else does: throttling bounds the guesses (a refusal is on
    refusal_of(request) afterwards), a wrong one is a failed sign-in in the audit trail, and
    a right one clears the failures (as the password grant's validator does). `request` is
    the Django HttpRequest (its address and device cookie).
    """
    checked = authenticate(request, username=user.get_username(), password=password)
    if refusal_of(request) is not None or checked is None or checked.pk != user.pk:
        return False
    AxesProxyHandler.user_logged_in(check_current_password, request, checked)
    return True


def change_password(user, new_password, *, current_family, request=None):
    """
    Set and save the new password (accounts then sends password_changed, which the audit trail
    records) and end every other session of the user; the session `current_family` stays.
    """
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return end_other_sessions(user, current_family, request=request)
