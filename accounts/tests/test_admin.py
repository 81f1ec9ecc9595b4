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
