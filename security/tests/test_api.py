from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken
from social_django.models import UserSocialAuth

from audit.models import Event, Kind
from conftest import PASSWORD, bearer, stored_access_tokens, stored_refresh_tokens
from oauth.tokens import issue_tokens_for

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
JSON_API = "application/vnd.api+json"


@pytest.fixture
def two_sign_ins(login, user, client):
    """Alice signed in twice: `first` in Firefox (this browser), `second` elsewhere."""
    first = _login_with_agent(client, user, FIREFOX)
    second = _login_with_agent(client, user, "curl/8.0")
    return first, second


def _login_with_agent(client, user, agent):
    from urllib.parse import urlencode

    response = client.post(
        "/oauth/token",
        urlencode({"grant_type": "password", "username": user.email, "password": PASSWORD, "client_id": "ember-app"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=agent,
    )
    assert response.status_code == 200, response.content
    return response.json()


def family(tokens):
    return stored_refresh_tokens(tokens["refresh_token"]).get().token_family


def test_sessions_list_marks_this_browser(client, ember_app, two_sign_ins):
    first, second = two_sign_ins
    response = client.get("/api/sessions", **bearer(first["access_token"]))

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_API
    data = response.json()["data"]
    assert [item["id"] for item in data] == [str(family(second)), str(family(first))]  # newest first
    mine = data[1]
    assert mine["type"] == "sessions"
    assert mine["attributes"]["current"] is True and data[0]["attributes"]["current"] is False
    assert mine["attributes"]["client-id"] == "ember-app"
    assert mine["attributes"]["client-name"] == "Ember app"
    assert mine["attributes"]["ip"] == "127.0.0.1"
    assert mine["attributes"]["user-agent"] == FIREFOX
    assert mine["attributes"]["browser"] == "Firefox 128"
    assert mine["attributes"]["os"] == "Linux"
    assert mine["attributes"]["signed-in-at"] == mine["attributes"]["last-active-at"]


def test_a_refresh_moves_last_active_not_signed_in(client, token_request, ember_app, two_sign_ins):
    first, _ = two_sign_ins
    refreshed = token_request(grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app")
    assert refreshed.status_code == 200
    data = client.get("/api/sessions", **bearer(refreshed.json()["access_token"])).json()["data"]
    mine = next(item for item in data if item["attributes"]["current"])
    assert mine["id"] == str(family(first))
    assert mine["attributes"]["last-active-at"] > mine["attributes"]["signed-in-at"]


def test_end_one_session(client, ember_app, user, two_sign_ins):
    first, second = two_sign_ins
    response = client.delete(f"/api/sessions/{family(second)}", **bearer(first["access_token"]))

    assert response.status_code == 204
    assert response.content == b""
    assert not stored_access_tokens(second["access_token"]).exists()
    assert stored_refresh_tokens(second["refresh_token"]).get().revoked is not None
    assert stored_refresh_tokens(first["refresh_token"]).get().revoked is None
    event = Event.objects.filter(kind=Kind.TOKEN_REVOKED).get()
    assert (event.user_id, event.token_family, event.client_id) == (user.pk, family(second), "ember-app")
    assert client.get("/api/me", **bearer(second["access_token"])).status_code == 401


def test_end_other_sessions_keeps_this_one(client, ember_app, two_sign_ins, login, user):
    first, second = two_sign_ins
    third = login(user)
    response = client.delete("/api/sessions/others", **bearer(first["access_token"]))

    assert response.status_code == 204
    assert RefreshToken.objects.filter(revoked__isnull=True).get().token_family == family(first)
    assert set(Event.objects.filter(kind=Kind.TOKEN_REVOKED).values_list("token_family", flat=True)) == {
        family(second),
        family(third),
    }


def test_another_users_session_is_not_found(client, ember_app, two_sign_ins, staff_user, login):
    first, _ = two_sign_ins
    theirs = login(staff_user)
    for path in (f"/api/sessions/{family(theirs)}", "/api/sessions/not-a-uuid", "/api/authorizations/other-spa"):
        response = client.delete(path, **bearer(first["access_token"]))
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["status"] == "404"
    assert stored_refresh_tokens(theirs["refresh_token"]).get().revoked is None


def test_no_token_is_401_and_read_scope_cannot_change(client, ember_app, user, login):
    for method, path in (("get", "/api/sessions"), ("delete", "/api/sessions/others"), ("get", "/api/events")):
        response = getattr(client, method)(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    read_only = login(user, scope="read")
    assert client.get("/api/sign-in-methods", **bearer(read_only["access_token"])).status_code == 200
    response = client.delete("/api/sessions/others", **bearer(read_only["access_token"]))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    response = client.post(
        "/api/password-changes",
        {"data": {"type": "password-changes", "attributes": {"current-password": PASSWORD, "new-password": "x"}}},
        content_type=JSON_API,
        **bearer(read_only["access_token"]),
    )
    assert response.status_code == 403


# --- Authorizations -------------------------------------------------------------------------


def test_authorizations_list_and_withdraw(client, ember_app, spa_app, user, login):
    mine = login(user)
    issue_tokens_for(user, spa_app, ["read"])
    issue_tokens_for(user, spa_app, ["read", "write"])
    Event.objects.record(Kind.CONSENT_GIVEN, user_id=user.pk, client_id="other-spa", detail="read write")

    response = client.get("/api/authorizations", **bearer(mine["access_token"]))
    assert response.status_code == 200
    (item,) = response.json()["data"]  # the password client is not a consent
    assert item["type"] == "authorizations" and item["id"] == "other-spa"
    assert item["attributes"]["client-name"] == "Other SPA"
    assert item["attributes"]["scopes"] == ["read", "write"]
    consent = Event.objects.get(kind=Kind.CONSENT_GIVEN)
    assert item["attributes"]["granted-at"] == consent.time.isoformat().replace("+00:00", "Z")

    response = client.delete("/api/authorizations/other-spa", **bearer(mine["access_token"]))
    assert response.status_code == 204
    assert not AccessToken.objects.filter(application=spa_app).exists()
    assert not RefreshToken.objects.filter(application=spa_app, revoked__isnull=True).exists()
    assert Event.objects.filter(kind=Kind.TOKEN_REVOKED, client_id="other-spa").count() == 2
    assert client.get("/api/authorizations", **bearer(mine["access_token"])).json()["data"] == []
    assert client.get("/api/me", **bearer(mine["access_token"])).status_code == 200
    assert client.delete("/api/authorizations/ember-app", **bearer(mine["access_token"])).status_code == 404


# --- Sign-in methods ---------------------------------------------------------------------------


def test_sign_in_methods_and_unlink_rules(client, ember_app, user, login):
    token = bearer(login(user)["access_token"])
    UserSocialAuth.objects.create(user=user, provider="google-oauth2", uid="1234", extra_data={})

    data = client.get("/api/sign-in-methods", **token).json()["data"]
    assert data[0] == {
        "type": "sign-in-methods",
        "id": "password",
        "attributes": {
            "kind": "password",
            "provider": None,
            "label": "Password",
            "linked-at": None,
            "removable": False,
            "password-set": True,
        },
    }
    assert data[1]["id"] == "google-oauth2"
    assert data[1]["attributes"]["label"] == "Google"
    assert data[1]["attributes"]["removable"] is True

    assert client.delete("/api/sign-in-methods/password", **token).status_code == 409
    user.set_unusable_password()
    user.save()
    data = client.get("/api/sign-in-methods", **token).json()["data"]
    assert data[0]["attributes"]["password-set"] is False
    assert data[1]["attributes"]["removable"] is False
    response = client.delete("/api/sign-in-methods/google-oauth2", **token)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "last-sign-in-method"
    assert UserSocialAuth.objects.filter(user=user).exists()

    user.set_password(PASSWORD)
    user.save()
    assert client.delete("/api/sign-in-methods/google-oauth2", **token).status_code == 204
    assert not UserSocialAuth.objects.filter(user=user).exists()
    assert Event.objects.filter(kind=Kind.PROVIDER_UNLINKED, user=user, detail="google-oauth2").exists()
    assert client.delete("/api/sign-in-methods/google-oauth2", **token).status_code == 404


# --- Password changes --------------------------------------------------------------------------


def change(client, token, **attributes):
    return client.post(
        "/api/password-changes",
        {"data": {"type": "password-changes", "attributes": attributes}},
        content_type=JSON_API,
        **bearer(token),
    )


def pointers(response):
    return [error["source"]["pointer"] for error in response.json()["errors"]]


def test_wrong_current_password_is_422_and_a_failed_sign_in(client, ember_app, user, login):
    token = login(user)["access_token"]
    response = change(client, token, **{"current-password": "wrong", "new-password": "a-much-better-secret-42"})

    assert response.status_code == 422
    assert pointers(response) == ["/data/attributes/current-password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert Event.objects.filter(kind=Kind.SIGN_IN_FAILED, user=user, detail="wrong_password").count() == 1


def test_wrong_current_passwords_are_throttled(client, ember_app, user, login, settings):
    token = login(user)["access_token"]
    for _ in range(settings.SIGNIN_FAILURE_LIMIT):
        change(client, token, **{"current-password": "wrong", "new-password": "a-much-better-secret-42"})
    response = change(client, token, **{"current-password": PASSWORD, "new-password": "a-much-better-secret-42"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_is_422_one_error_per_message(client, ember_app, user, login):
    token = login(user)["access_token"]
    response = change(client, token, **{"current-password": PASSWORD, "new-password": "1234"})

    assert response.status_code == 422
    assert set(pointers(response)) == {"/data/attributes/new-password"}
    assert len(pointers(response)) >= 3  # too short, too common, entirely numeric
    assert not Event.objects.filter(kind=Kind.SIGN_IN_FAILED).exists()  # no guess spent


def test_password_change_ends_other_sessions_only(client, ember_app, user, login):
    mine, other = login(user), login(user)
    response = change(client, mine["access_token"], **{"current-password": PASSWORD, "new-password": "new-Secret-981!"})

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("new-Secret-981!")
    assert Event.objects.filter(kind=Kind.PASSWORD_CHANGED, user=user).count() == 1
    assert client.get("/api/me", **bearer(mine["access_token"])).status_code == 200
    assert client.get("/api/me", **bearer(other["access_token"])).status_code == 401
    assert stored_refresh_tokens(other["refresh_token"]).get().revoked is not None


def test_an_account_without_password_sets_one_without_current(client, ember_app, user, login):
    token = login(user)["access_token"]
    user.set_unusable_password()
    user.save()
    response = change(client, token, **{"new-password": "new-Secret-981!"})
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("new-Secret-981!")


def test_missing_current_password_and_wrong_media_type(client, ember_app, user, login):
    token = login(user)["access_token"]
    response = change(client, token, **{"new-password": "new-Secret-981!"})
    assert response.status_code == 422
    assert pointers(response) == ["/data/attributes/current-password"]
    response = client.post("/api/password-changes", {"x": 1}, content_type="application/json", **bearer(token))
    assert response.status_code == 415
    assert response.json()["errors"][0]["status"] == "415"
    assert client.get("/api/password-changes", **bearer(token)).status_code == 405


# --- Events ------------------------------------------------------------------------------------


def test_events_paginated_own_and_recent(client, ember_app, user, staff_user, login):
    token = bearer(login(user)["access_token"])  # one tokens_issued event
    Event.objects.bulk_create(
        [Event(kind=Kind.SIGN_IN_FAILED, user=user, detail="wrong_password", user_agent=FIREFOX) for _ in range(29)]
        + [Event(kind=Kind.SIGNED_IN, user=user, time=timezone.now() - timedelta(days=91))]
        + [Event(kind=Kind.SIGNED_IN, user=staff_user)]
    )

    response = client.get("/api/events", **token)
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["pagination"] == {"page": 1, "pages": 2, "count": 30}
    assert len(body["data"]) == 25
    assert body["links"]["next"].endswith("page%5Bnumber%5D=2")
    times = [item["attributes"]["time"] for item in body["data"]]
    assert times == sorted(times, reverse=True)
    failed = body["data"][1]["attributes"]
    assert failed["kind"] == "sign_in_failed" and failed["detail"] == "wrong_password"
    assert failed["browser"] == "Firefox 128" and failed["client-name"] is None

    last = client.get("/api/events?page[number]=2", **token).json()["data"]
    assert len(last) == 5
    issued = last[-1]
    assert issued["type"] == "events"
    assert issued["attributes"]["kind"] == "tokens_issued"
    assert issued["attributes"]["client-name"] == "Ember app"
    assert client.get("/api/events?page[size]=200", **token).status_code == 200
    assert client.get("/api/events?bogus=1", **token).status_code == 400  # JSON:API: unknown parameters


def test_a_malformed_resource_object_is_400_not_500(client, ember_app, user, login):
    token = login(user)["access_token"]
    for body in (
        {"data": {"type": "password-changes", "attributes": [None, None]}},
        {"data": {"type": "password-changes", "attributes": {}, "relationships": "x"}},
    ):
        response = client.post("/api/password-changes", body, content_type=JSON_API, **bearer(token))
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["status"] == "400"
    response = client.patch(
        "/api/me",
        {"data": {"type": "users", "id": str(user.pk), "attributes": "x"}},
        content_type=JSON_API,
        **bearer(token),
    )
    assert response.status_code == 400


def test_an_unknown_api_path_is_a_json_api_404(client):
    response = client.get("/api/users/0.5")
    assert response.status_code == 404
    assert response["Content-Type"] == JSON_API
    assert response.json()["errors"][0]["status"] == "404"
