import json

import pytest
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from conftest import bearer

pytestmark = pytest.mark.django_db

JSON_API = "application/vnd.api+json"


@pytest.fixture
def auth(login, user):
    return bearer(login(user)["access_token"])


def patch_me(client, auth, body):
    return client.patch("/api/me", json.dumps(body), content_type=JSON_API, **auth)


def test_me_is_a_users_resource(client, auth, user):
    response = client.get("/api/me", **auth)

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_API
    data = response.json()["data"]
    assert data["type"] == "users"
    assert data["id"] == str(user.pk)
    assert data["attributes"] == {
        "email": "alice@example.com",
        "first-name": "Alice",
        "last-name": "",
        "date-joined": user.date_joined.isoformat().replace("+00:00", "Z"),
    }


def test_patch_updates_the_names(client, auth, user):
    response = patch_me(
        client,
        auth,
        {"data": {"type": "users", "id": str(user.pk), "attributes": {"first-name": "Alicia", "last-name": "Smith"}}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["last-name"] == "Smith"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicia", "Smith")


def test_patch_cannot_change_the_email(client, auth, user):
    response = patch_me(
        client, auth, {"data": {"type": "users", "id": str(user.pk), "attributes": {"email": "mallory@example.com"}}}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "alice@example.com"


@pytest.mark.parametrize("body_id", ["999999", None])
def test_patch_with_someone_elses_id_is_refused(client, auth, user, staff_user, body_id):
    data = {"type": "users", "attributes": {"first-name": "Mallory"}}
    if body_id is not None:
        data["id"] = str(staff_user.pk)
    response = patch_me(client, auth, {"data": data})

    assert response.status_code in {400, 409}
    assert "errors" in response.json()
    user.refresh_from_db()
    staff_user.refresh_from_db()
    assert user.first_name == "Alice"
    assert staff_user.first_name == ""


def test_patch_with_the_wrong_type_is_a_conflict(client, auth, user):
    response = patch_me(
        client, auth, {"data": {"type": "groups", "id": str(user.pk), "attributes": {"first-name": "X"}}}
    )

    assert response.status_code == 409
    assert "errors" in response.json()


def test_validation_errors_point_at_the_attribute(client, auth, user):
    response = patch_me(
        client, auth, {"data": {"type": "users", "id": str(user.pk), "attributes": {"first-name": "x" * 151}}}
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["source"]["pointer"] == "/data/attributes/first-name"
    assert "150" in error["detail"]
    user.refresh_from_db()
    assert user.first_name == "Alice"


def test_patch_needs_the_write_scope(client, login, user):
    read_only = bearer(login(user, scope="read")["access_token"])

    assert client.get("/api/me", **read_only).status_code == 200
    response = patch_me(client, read_only, {"data": {"type": "users", "id": str(user.pk), "attributes": {}}})

    assert response.status_code == 403
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'scope="write"' in response["WWW-Authenticate"]
    assert response.json()["errors"][0]["status"] == "403"


def test_plain_json_patch_is_refused(client, auth, user):
    response = client.patch("/api/me", json.dumps({"first_name": "X"}), content_type="application/json", **auth)

    assert response.status_code == 415
    assert "errors" in response.json()


@pytest.mark.parametrize("method", ["put", "delete", "post"])
def test_me_cannot_be_replaced_deleted_or_created(client, auth, method):
    response = getattr(client, method)("/api/me", "{}", content_type=JSON_API, **auth)

    assert response.status_code == 405
    assert "errors" in response.json()


def test_me_is_exactly_what_the_users_endpoint_renders(client, auth, user):
    """/api/me builds its document on a fast path; it must not drift from the serializer's."""
    fast = client.get("/api/me", **auth).json()
    general = client.get(f"/api/users/{user.pk}", **auth).json()
    sparse_but_complete = client.get(
        "/api/me", {"fields[users]": "email,first-name,last-name,date-joined"}, **auth
    ).json()

    assert fast == general == sparse_but_complete


def test_me_with_sparse_fieldset(client, auth):
    response = client.get("/api/me", {"fields[users]": "email"}, **auth)

    assert response.json()["data"]["attributes"] == {"email": "alice@example.com"}


def test_patch_with_a_charset_parameter_is_415(client, auth, user):
    # JSON:API 1.0 (and 1.1): any media type parameter on its Content-Type, charset included, is a 415.
    body = {"data": {"type": "users", "id": str(user.pk), "attributes": {"last-name": "Smith"}}}

    response = client.patch("/api/me", json.dumps(body), content_type=f"{JSON_API}; charset=utf-8", **auth)

    assert response.status_code == 415, response.content
    user.refresh_from_db()
    assert user.last_name == ""


@pytest.fixture
def drf_dispatches(monkeypatch):
    """How many times DRF's own dispatch machinery ran for /api/me."""
    from api.views import MeView

    calls = []
    initialize_request = MeView.initialize_request

    def counted(self, request, *args, **kwargs):
        calls.append(request.path)
        return initialize_request(self, request, *args, **kwargs)

    monkeypatch.setattr(MeView, "initialize_request", counted)
    return calls


def test_lean_path_answers_exactly_as_drf_would(client, auth, drf_dispatches):
    """A plain GET skips DRF's dispatch; an empty query string (`?&`) goes through it, to the same answer."""
    lean = client.get("/api/me", **auth)
    assert drf_dispatches == []

    general = client.get("/api/me", QUERY_STRING="&", **auth)
    assert drf_dispatches == ["/api/me"]

    assert lean.status_code == general.status_code == 200
    assert lean.content == general.content
    assert dict(lean.headers) == dict(general.headers)
    assert lean["Allow"] == "GET, PATCH, HEAD, OPTIONS"
    assert lean.wsgi_request.user == general.wsgi_request.user  # set on Django's request, as DRF does


def test_a_get_without_the_read_scope_falls_back_to_the_scope_error(client, login, user, drf_dispatches):
    write_only = bearer(login(user, scope="write")["access_token"])

    response = client.get("/api/me", **write_only)

    assert drf_dispatches == ["/api/me"]
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'scope="read"' in response["WWW-Authenticate"]
    assert response.json()["errors"][0]["status"] == "403"


@pytest.mark.parametrize("scope", ["read", "write"])
def test_each_request_looks_its_token_up_once(client, login, user, scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = bearer(login(user, scope=scope)["access_token"])  # read: the lean path; write: DRF's 403
    for headers in (token, bearer("unknown-token")):  # and DRF's 401
        with CaptureQueriesContext(connection) as queries:
            status = client.get("/api/me", **headers).status_code

        assert status in {200, 401, 403}
        assert len(queries) == 1, [query["sql"] for query in queries]


class FirstPartyOnly(BasePermission):
    """A permission that reads what only an AccessToken has (its application)."""

    def has_permission(self, request, view):
        return request.auth.application.client_id == "ember-app"


class Counted(BaseThrottle):
    seen = []

    def allow_request(self, request, view):
        self.seen.append(request.path)
        return True


def test_a_permission_beyond_the_lean_paths_is_left_to_drf(client, auth, drf_dispatches, monkeypatch):
    from api.permissions import UserTokenHasReadWriteScope
    from api.views import MeView

    monkeypatch.setattr(MeView, "permission_classes", [UserTokenHasReadWriteScope, FirstPartyOnly])

    response = client.get("/api/me", **auth)

    assert response.status_code == 200
    assert drf_dispatches == ["/api/me"]


def test_throttles_are_left_to_drf(client, auth, drf_dispatches, monkeypatch):
    from api.views import MeView

    monkeypatch.setattr(MeView, "throttle_classes", [Counted])
    Counted.seen.clear()

    assert client.get("/api/me", **auth).status_code == 200
    assert drf_dispatches == ["/api/me"]
    assert Counted.seen == ["/api/me"]
