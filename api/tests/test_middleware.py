import pytest
from django.test import Client
from django.urls import reverse

from api.middleware import API_PREFIX, CREDENTIAL_ENDPOINTS
from conftest import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def test_the_prefix_is_where_the_api_is_mounted():
    assert reverse("api:me").startswith(API_PREFIX)
    assert reverse("api:user-list").startswith(API_PREFIX)


def test_api_requests_get_no_session_user_or_messages(client, login, user):
    token = login(user)["access_token"]
    client.force_login(user)  # a session cookie does not make the API load the session

    response = client.get("/api/me", **bearer(token))

    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "_messages")
    assert request.user == user  # from the token, set by the API's authentication
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_session_alone_does_not_authenticate_api_requests(client, user):
    client.force_login(user)

    response = client.get("/api/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_other_pages_keep_sessions_users_and_messages(client, user):
    client.force_login(user)

    response = client.get("/accounts/login/")  # an authenticated user is sent on

    request = response.wsgi_request
    assert request.session.get("_auth_user_id") == str(user.pk)
    assert request.user == user
    assert hasattr(request, "_messages")


def test_html_forms_are_still_csrf_protected(user):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 403

    token = browser.get("/accounts/login/").cookies["csrftoken"].value
    response = browser.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_the_same_under_asgi(login, user):
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    token = login(user)["access_token"]
    browser = AsyncClient()

    api = async_to_sync(browser.get)("/api/me", headers={"Authorization": f"Bearer {token}"})
    page = async_to_sync(browser.get)("/accounts/login/")

    assert api.status_code == 200
    assert not hasattr(api.asgi_request, "session")
    assert page.status_code == 200
    assert page.asgi_request.session is not None


def test_the_credential_endpoints_are_where_oauth_mounts_them():
    assert {reverse(f"oauth2_provider:{name}") for name in ("token", "revoke-token", "introspect")} == (
        CREDENTIAL_ENDPOINTS
    )


def test_token_requests_get_no_session_user_or_messages(client, login, token_request, user):
    tokens = login(user)
    client.force_login(user)  # a session cookie does not make the token endpoint load the session

    response = token_request(grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app")

    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "_messages")
    assert not hasattr(request, "user")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_authorization_endpoint_keeps_the_session(client, user):
    client.force_login(user)

    response = client.get("/oauth/authorize")

    assert response.wsgi_request.session.get("_auth_user_id") == str(user.pk)
    assert response.wsgi_request.user == user
