import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_users(db):
    return User.objects.bulk_create(
        User(email=f"user{i:03}@example.com", first_name=f"First{i:03}", last_name=f"Last{i:03}") for i in range(60)
    )


@pytest.fixture
def as_staff(login, staff_user):
    return bearer(login(staff_user)["access_token"])


@pytest.fixture
def as_alice(login, user):
    return bearer(login(user)["access_token"])


def emails(response):
    return [item["attributes"]["email"] for item in response.json()["data"]]


def test_staff_see_everyone_paginated(client, as_staff, user, many_users):
    response = client.get("/api/users", **as_staff)

    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 25
    assert body["meta"]["pagination"] == {"page": 1, "pages": 3, "count": 62}
    assert body["links"]["next"].endswith("page%5Bnumber%5D=2")
    assert body["data"][0]["type"] == "users"


def test_page_size_and_number(client, as_staff, many_users):
    response = client.get("/api/users", {"page[size]": 10, "page[number]": 2}, **as_staff)

    # Page 2 of 10, by email: staff@ comes first, so user009 to user018.
    assert emails(response) == [f"user{i:03}@example.com" for i in range(9, 19)]


def test_others_see_only_themselves(client, as_alice, user, many_users):
    response = client.get("/api/users", **as_alice)

    assert emails(response) == ["alice@example.com"]


def test_another_users_id_is_404_without_their_email(client, as_alice, many_users):
    response = client.get(f"/api/users/{many_users[0].pk}", **as_alice)

    assert response.status_code == 404
    assert b"user000" not in response.content
    assert response.json()["errors"][0]["status"] == "404"


def test_own_id(client, as_alice, user):
    response = client.get(f"/api/users/{user.pk}", **as_alice)

    assert response.json()["data"]["id"] == str(user.pk)


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_bad_ids_are_404(client, as_staff, bad_id):
    assert client.get(f"/api/users/{bad_id}", **as_staff).status_code == 404


def test_filter_by_email_in_any_case(client, as_staff, many_users):
    response = client.get("/api/users", {"filter[email]": "USER007@Example.com"}, **as_staff)

    assert emails(response) == ["user007@example.com"]


def test_filter_by_email_does_not_reveal_others(client, as_alice, many_users):
    response = client.get("/api/users", {"filter[email]": "user007@example.com"}, **as_alice)

    assert response.json()["data"] == []


def test_sort_by_dasherized_field_descending(client, as_staff, many_users):
    response = client.get("/api/users", {"sort": "-last-name", "page[size]": 3}, **as_staff)

    assert [item["attributes"]["last-name"] for item in response.json()["data"]] == ["Last059", "Last058", "Last057"]


def test_unknown_sort_field_is_400(client, as_staff):
    response = client.get("/api/users", {"sort": "password"}, **as_staff)

    assert response.status_code == 400
    assert "errors" in response.json()


def test_unknown_query_parameter_is_400(client, as_staff):
    response = client.get("/api/users", {"color": "blue"}, **as_staff)

    assert response.status_code == 400
    assert "errors" in response.json()


@pytest.mark.parametrize("field", ["first-name", "first_name"])
def test_sparse_fieldsets_with_dasherized_names(client, as_staff, many_users, field):
    response = client.get("/api/users", {"fields[users]": field, "filter[email]": "user000@example.com"}, **as_staff)

    assert response.json()["data"][0]["attributes"] == {"first-name": "First000"}


def test_api_me_costs_one_query(client, as_alice):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/me", **as_alice).status_code == 200

    assert len(queries) == 1, [q["sql"] for q in queries]


def test_api_users_query_count_does_not_grow_with_users(client, as_staff, many_users):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/users", {"page[size]": 50}, **as_staff)

    assert len(response.json()["data"]) == 50
    assert len(queries) == 3, [q["sql"] for q in queries]  # token+user, count, page
