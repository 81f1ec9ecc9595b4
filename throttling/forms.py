from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accounts.forms import LoginForm

from .backends import refusal_of
from .devices import remember_device


class RefusalMessageMixin:
    """Changes the error of a refused sign-in: when to try again instead of "wrong email or password"."""

    def get_invalid_login_error(self):
        refusal = refusal_of(self.request)
        if refusal is not None:
            return ValidationError(refusal.message, code="too_many_attempts")
        return super().get_invalid_login_error()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        remember_device(self.request, user.get_username())  # the sign-in is now certain


class ThrottledLoginForm(RefusalMessageMixin, LoginForm):
    """The login page's form (/accounts/login/)."""


class ThrottledAdminLoginForm(RefusalMessageMixin, AdminAuthenticationForm):
    """The admin's login form (set on admin.site in throttling/admin.py)."""
