import builtins
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_email_is_stored_normalised():
    user = User.objects.create_user("  Alice@Example.COM ", PASSWORD)

    user.refresh_from_db()
    assert user.email == "alice@example.com"
    assert user.get_username() == "alice@example.com"


def test_one_account_per_address_whatever_the_case(user):
    with pytest.raises(IntegrityError):
        User.objects.create_user("ALICE@example.com", PASSWORD)


def test_the_database_refuses_an_unnormalised_address_written_around_the_model(user):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(email="Alice@Example.com")


def test_authenticate_by_email_in_any_case(user):
    assert authenticate(username="ALICE@EXAMPLE.COM", password=PASSWORD) == user
    assert authenticate(username="alice@example.com", password="wrong") is None


def test_passwords_are_hashed_with_argon2id(user):
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password


def test_visible_to(user, staff_user):
    assert list(User.objects.visible_to(user)) == [user]
    assert set(User.objects.visible_to(staff_user)) == {user, staff_user}


def test_createsuperuser_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)

    root = User.objects.get(email="root@example.com")
    assert root.is_superuser and root.is_staff
    assert root.check_password(PASSWORD)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_createsuperuser_asks_for_an_email(monkeypatch):
    prompts = []

    def answer(prompt=""):
        prompts.append(prompt)
        return "boss@example.com"

    monkeypatch.setattr(builtins, "input", answer)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)

    call_command("createsuperuser", interactive=True, verbosity=0, stdin=Terminal())

    assert prompts == ["Email address: "]
    assert User.objects.get(email="boss@example.com").is_superuser
