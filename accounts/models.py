from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import signals


def normalize_email(email):
    """The one spelling an address is stored and looked up under: `Alice@Example.com` is `alice@example.com`."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def visible_to(self, user):
        """Staff see every account; everyone else sees only their own."""
        if user.is_staff:
            return self.all()
        return self.filter(pk=user.pk)

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account whose username is its email address, unique whatever its case."""

    email = models.EmailField(
        _("email address"),
        unique=True,
        error_messages={"unique": _("A user with that email address already exists.")},
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site and see every user."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting the account."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When the profile last changed (OpenID Connect's `updated_at`); a login alone does not count.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # With `unique` on the column this makes uniqueness case-insensitive in the
            # database itself, whatever path (admin, API, shell, raw update) writes the row.
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="email_is_lowercase"),
        ]

    def __str__(self):
        return self.email

    @classmethod
    def normalize_username(cls, username):
        return normalize_email(super().normalize_username(username))

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        update_fields = kwargs.get("update_fields")
        existing = not self._state.adding
        # AbstractBaseUser keeps the raw password from set_password() until the next save, and
        # clears it itself for hash upgrades, so it marks exactly a password change (Django 5.2).
        password_changed = existing and self._password is not None and _saves(update_fields, "password")
        # Asks the database only when an inactive account is saved, never on the usual saves.
        deactivated = existing and not self.is_active and _saves(update_fields, "is_active") and self._was_active()
        super().save(*args, **kwargs)
        if password_changed:
            signals.password_changed.send(sender=type(self), user=self)
        if deactivated:
            signals.account_deactivated.send(sender=type(self), user=self)

    def _was_active(self):
        return type(self)._default_manager.filter(pk=self.pk, is_active=True).exists()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name


def _saves(update_fields, name):
    return update_fields is None or name in update_fields
