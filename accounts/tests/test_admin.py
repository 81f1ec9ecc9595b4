import pytest

from accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin@example.com", PASSWORD))
    return client


def test_add_user_by_email(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.com",
            "first_name": "New",
            "last_name": "Person",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    created = User.objects.get(email="new.person@example.com")
    assert created.check_password("a-long-enough-passphrase")
    assert created.first_name == "New"


def test_add_form_refuses_an_existing_address_in_another_case(admin_client, user):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ALICE@example.com",
            "usable_password": "true",
            "password1": "x-long-passphrase",
            "password2": "x-long-passphrase",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email="alice@example.com").count() == 1


def test_change_user(admin_client, user):
    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert b"alice@example.com" in response.content


@pytest.mark.parametrize("term", ["alice@", "Alice", "ALICE@EXAMPLE"])
def test_search_by_email_and_name(admin_client, user, staff_user, term):
    response = admin_client.get("/admin/accounts/user/", {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [user]


def test_change_page_shows_the_users_linked_accounts(admin_client, user):
    user.social_auth.create(provider="google-oauth2", uid="109876543210")

    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Linked accounts" in content
    assert "google-oauth2" in content and "109876543210" in content


def test_a_link_can_be_removed_from_the_user_page(admin_client, user):
    link = user.social_auth.create(provider="google-oauth2", uid="109876543210")
    form = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {
        "groups": [],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "social_auth-TOTAL_FORMS": "1",
        "social_auth-INITIAL_FORMS": "1",
        "social_auth-0-id": str(link.pk),
        "social_auth-0-user": str(user.pk),
        "social_auth-0-DELETE": "on",
    }

    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not user.social_auth.exists()
