"""Clients registered, changed, deleted; provider accounts linked and unlinked; passwords; deactivation."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from oauth2_provider.models import Application
from social_django.models import UserSocialAuth

from audit.models import Event, Kind
from conftest import PASSWORD
from oauth.clients import register_client

from .conftest import only_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root@example.com", PASSWORD)


def test_client_registered_with_createclient_once(capsys):
    for _ in range(2):
        call_command("createclient", "Billing", "--client-id", "billing", "--confidential", "--grant-type", "password")

    event = only_event(kind=Kind.CLIENT_REGISTERED)
    assert (event.client_id, event.user, event.ip) == ("billing", None, None)


def test_client_changed_and_deleted_in_the_admin(client, superuser):
    application = register_client(name="Calendar", client_id="calendar", public=True, grant_type="password").application
    application.name = "Calendar 2"
    application.save(update_fields=["name"])
    client.force_login(superuser)

    response = client.post(f"/admin/oauth2_provider/application/{application.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Application.objects.exists()
    kinds = list(Event.objects.filter(client_id="calendar").order_by("time", "pk").values_list("kind", "detail"))
    assert kinds == [(Kind.CLIENT_REGISTERED, ""), (Kind.CLIENT_CHANGED, "name"), (Kind.CLIENT_DELETED, "")]


def test_provider_account_unlinked_in_the_admin(client, superuser, user):
    link = UserSocialAuth.objects.create(user=user, provider="google-oauth2", uid="1001")
    client.force_login(superuser)

    response = client.post(f"/admin/social_django/usersocialauth/{link.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    linked, unlinked = Event.objects.filter(user=user).order_by("time", "pk")
    assert (linked.kind, unlinked.kind) == (Kind.PROVIDER_LINKED, Kind.PROVIDER_UNLINKED)
    assert unlinked.detail == "google-oauth2"


def test_password_changed_in_the_admin(client, superuser, user):
    client.force_login(superuser)

    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content
    event = only_event(kind=Kind.PASSWORD_CHANGED)
    assert event.user == user


def test_password_changed_in_code_but_not_for_a_new_account_or_a_hash_upgrade(login, user):
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # an old hash: upgraded at the next sign-in
    user.save()
    login(user)
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert not Event.objects.filter(kind=Kind.PASSWORD_CHANGED).exists()

    user.set_password("another-long-passphrase")
    user.save()

    assert only_event(kind=Kind.PASSWORD_CHANGED).user == user


def test_account_deactivated_once(user):
    user.is_active = False
    user.save()
    user.first_name = "Still inactive"
    user.save()

    assert only_event(kind=Kind.ACCOUNT_DEACTIVATED).user == user


def test_account_deactivated_in_the_admin_records_who_was_changed(client, superuser, user):
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {"is_active": "", "groups": [], "user_permissions": [], "date_joined_0": "2026-01-01"}
    data |= {"date_joined_1": "00:00:00", "last_login_0": "", "last_login_1": ""}
    data |= {"social_auth-TOTAL_FORMS": "0", "social_auth-INITIAL_FORMS": "0"}
    data = {name: value for name, value in data.items() if value is not False}

    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = only_event(kind=Kind.ACCOUNT_DEACTIVATED)
    assert event.user == user
    assert (event.ip, event.user_agent) == (None, "")  # recorded from the model: the admin's own log names who
