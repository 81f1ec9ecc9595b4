"""
The refresh grant's lean path (oauth/refresh.py) gives django-oauth-toolkit's answer: the same
response, the same rows, the same audit event; everything else is left to DOT; and the DOT it
was written against is the DOT installed.
"""

import json
from datetime import timedelta
from urllib.parse import urlencode

import oauth2_provider
import pytest
from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken
from oauth2_provider.oauth2_validators import GRANT_TYPE_MAPPING
from oauthlib.oauth2.rfc6749.grant_types.base import GrantTypeBase

from audit.models import Event, Kind
from conftest import PASSWORD, basic_auth, stored_access_tokens, stored_refresh_tokens
from oauth import refresh as lean
from oauth.clients import register_client
from oauth.grace import token_checksum, unseal_replacement
from oauth.tokens import issue_tokens_for

pytestmark = pytest.mark.django_db

ORIGIN = "https://app.example.com"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def dot_path(monkeypatch):
    """Sends every refresh through DOT's own path, as before the lean one."""
    monkeypatch.setattr("oauth.views.refresh_for_public_client", lambda request, view: None)


@pytest.fixture
def no_sweep(monkeypatch):
    """This process has just deleted the expired sealed pairs: no sweep during the test."""
    monkeypatch.setattr(lean, "_next_sweep", float("inf"))


@pytest.fixture
def spa_with_origin(db):
    return register_client(
        name="SPA", client_id="spa", public=True, grant_type="password", allowed_origins=[ORIGIN]
    ).application


def refresh(client, refresh_token, client_id="ember-app", headers=None):
    return client.post(
        "/oauth/token",
        urlencode({"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}),
        content_type=FORM,
        headers={"User-Agent": "tab/1.0", **(headers or {})},
    )


def outcome(response, signed_in):
    """What a refresh answered and left in the database, without the values that are new each time."""
    body = response.json()
    presented = signed_in["refresh_token"]
    old = stored_refresh_tokens(presented).get()
    new_access = stored_access_tokens(body["access_token"]).get()
    new_refresh = stored_refresh_tokens(body["refresh_token"]).get()
    event = Event.objects.get(kind=Kind.TOKENS_REFRESHED, token_family=old.token_family)
    headers = dict(response.headers)
    del headers["Content-Length"]  # the same for tokens of the same length; checked below
    return {
        "status": response.status_code,
        "headers": headers,
        "body": {name: type(value) for name, value in body.items()},
        "body values": {name: body[name] for name in ("expires_in", "token_type", "scope")},
        "token lengths": (len(body["access_token"]), len(body["refresh_token"])),
        "old refresh token": (old.revoked is not None, old.access_token_id, old.updated >= old.revoked),
        "old access token kept": stored_access_tokens(signed_in["access_token"]).exists(),
        "new access token": (
            new_access.user_id == old.user_id,
            new_access.application_id == old.application_id,
            new_access.source_refresh_token_id == old.pk,
            new_access.token,
            new_access.scope,
            new_access.resource,
            new_access.id_token_id,
            abs(new_access.expires - timezone.now() - timedelta(seconds=3600)) < timedelta(seconds=60),
            new_access.updated - new_access.created < timedelta(seconds=1),
        ),
        "new refresh token": (
            new_refresh.user_id == old.user_id,
            new_refresh.application_id == old.application_id,
            new_refresh.access_token_id == new_access.pk,
            new_refresh.token_family == old.token_family is not None,
            new_refresh.token,
            new_refresh.resource,
            new_refresh.revoked,
        ),
        "sealed pair": unseal_replacement(presented) == body,
        "audit event": (
            event.user_id == old.user_id,
            event.client_id,
            event.grant_type,
            event.ip,
            event.user_agent,
            event.email,
            event.detail,
        ),
    }


def both_paths(client, login, user, monkeypatch, **request):
    """The outcome of one refresh on the lean path and one on DOT's, each from a fresh sign-in."""
    lean_tokens = login(user)
    lean_response = refresh(client, lean_tokens["refresh_token"], **request)
    monkeypatch.setattr("oauth.views.refresh_for_public_client", lambda request, view: None)
    dot_tokens = login(user)
    dot_response = refresh(client, dot_tokens["refresh_token"], **request)
    return outcome(lean_response, lean_tokens), outcome(dot_response, dot_tokens)


def test_the_lean_path_answers_as_dot_does(client, login, user, monkeypatch):
    lean_outcome, dot_outcome = both_paths(client, login, user, monkeypatch)

    assert lean_outcome == dot_outcome
    assert lean_outcome["status"] == 200
    assert lean_outcome["headers"]["Content-Type"] == "application/json"
    assert lean_outcome["headers"]["Cache-Control"] == "no-store"
    assert lean_outcome["body"] == {
        "access_token": str,
        "expires_in": int,
        "token_type": str,
        "scope": str,
        "refresh_token": str,
    }
    assert lean_outcome["sealed pair"] is True
    assert lean_outcome["audit event"][1:3] == ("ember-app", "refresh_token")


def test_the_lean_path_answers_as_dot_does_to_a_basic_header(client, login, user, monkeypatch):
    lean_outcome, dot_outcome = both_paths(
        client, login, user, monkeypatch, client_id="", headers={"Authorization": basic_auth("ember-app")}
    )

    assert lean_outcome == dot_outcome
    assert lean_outcome["status"] == 200


def test_the_lean_path_answers_an_allowed_origin_as_dot_does(client, token_request, spa_with_origin, user, monkeypatch):
    def login(user):
        return token_request(grant_type="password", username=user.email, password=PASSWORD, client_id="spa").json()

    lean_outcome, dot_outcome = both_paths(
        client, login, user, monkeypatch, client_id="spa", headers={"Origin": ORIGIN}
    )

    assert lean_outcome == dot_outcome
    assert lean_outcome["headers"]["Access-Control-Allow-Origin"] == ORIGIN


def test_the_body_is_dots_byte_for_byte_but_for_the_tokens(client, login, user, monkeypatch):
    lean_body = refresh(client, login(user)["refresh_token"]).content
    monkeypatch.setattr("oauth.views.refresh_for_public_client", lambda request, view: None)
    dot_body = refresh(client, login(user)["refresh_token"]).content

    def without_tokens(body):
        document = json.loads(body)
        return body.replace(document["access_token"].encode(), b"A").replace(document["refresh_token"].encode(), b"R")

    assert without_tokens(lean_body) == without_tokens(dot_body)


def test_a_lean_refresh_is_seven_statements_in_one_transaction(client, login, user, no_sweep):
    tokens = login(user)

    with CaptureQueriesContext(connection) as queries:
        response = refresh(client, tokens["refresh_token"])

    assert response.status_code == 200
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    # One atomic block after the read (a savepoint here, in the test's transaction; BEGIN
    # IMMEDIATE on SQLite in production, so no "database is locked").
    assert statements[1] in ("BEGIN", "SAVEPOINT") and statements[-1] in ("COMMIT", "RELEASE")
    statements = [statement for statement in statements if statement not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
    # The read; revoke the old refresh token, delete its access token, insert the new pair,
    # the sealed pair and the audit event.
    assert statements == ["SELECT", "UPDATE", "DELETE", "INSERT", "INSERT", "INSERT", "INSERT"]


def test_expired_sealed_pairs_are_swept_once_per_grace_period(client, login, user, monkeypatch):
    from oauth.models import SealedReplacement

    monkeypatch.setattr(lean, "_next_sweep", 0.0)
    first, second = login(user), login(user)
    refresh(client, first["refresh_token"])
    SealedReplacement.objects.update(expires=timezone.now())  # the grace period is over

    refresh(client, second["refresh_token"])  # within the same grace period: no sweep
    assert SealedReplacement.objects.count() == 2

    monkeypatch.setattr(lean, "_next_sweep", 0.0)  # a grace period later
    third = login(user)
    refresh(client, third["refresh_token"])
    assert SealedReplacement.objects.count() == 2  # the expired one is gone, the two live ones stay
    assert unseal_replacement(first["refresh_token"]) is None


@pytest.mark.parametrize(
    "change",
    [
        {"scope": "read"},
        {"client_secret": "x"},
        {"resource": "https://api.example.com"},
        {"refresh_token": "not-a-token"},
        {"client_id": "other"},
        {"client_id": ""},
        {"refresh_token": ""},
    ],
)
def test_anything_else_is_left_to_dot(login, user, change):
    tokens = login(user)
    data = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "ember-app", **change}
    request = RequestFactory().post("/oauth/token", urlencode(data), content_type=FORM)

    assert lean.refresh_for_public_client(request, None) is None
    assert stored_refresh_tokens(tokens["refresh_token"]).get().revoked is None


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": basic_auth("ember-app", "a-secret")},
        {"HTTP_AUTHORIZATION": basic_auth("other")},
        {"HTTP_AUTHORIZATION": "Bearer abc"},
        {"HTTP_AUTHORIZATION": "Basic !!!"},
    ],
)
def test_other_authorization_headers_are_left_to_dot(login, user, headers):
    tokens = login(user)
    body = urlencode(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "ember-app"}
    )
    request = RequestFactory().post("/oauth/token", body, content_type=FORM, **headers)

    assert lean.refresh_for_public_client(request, None) is None


def test_a_repeated_parameter_is_left_to_dot(login, user):
    tokens = login(user)
    body = urlencode([("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"])] * 2)
    request = RequestFactory().post("/oauth/token", body + "&client_id=ember-app", content_type=FORM)

    assert lean.refresh_for_public_client(request, None) is None


def test_a_confidential_client_is_left_to_dot(web_app, user):
    application = web_app.application
    expires = timezone.now() + timedelta(hours=1)
    access_token = AccessToken.objects.create(
        user=user, application=application, token="", token_checksum=token_checksum("a"), expires=expires
    )
    refresh_token = RefreshToken.objects.create(
        user=user, application=application, token="", token_checksum=token_checksum("r"), access_token=access_token
    )
    body = urlencode({"grant_type": "refresh_token", "refresh_token": "r", "client_id": "web-app"})

    assert lean.refresh_for_public_client(RequestFactory().post("/oauth/token", body, content_type=FORM), None) is None
    refresh_token.refresh_from_db()
    assert refresh_token.revoked is None


def test_a_token_rotated_meanwhile_is_left_to_dot(login, user, monkeypatch):
    """The read saw a live token; by the time of the UPDATE another request had rotated it."""
    tokens = login(user)
    read = lean._read

    def read_then_rotate(*args):
        found = read(*args)
        stored_refresh_tokens(tokens["refresh_token"]).update(revoked=timezone.now())
        return found

    monkeypatch.setattr(lean, "_read", read_then_rotate)
    body = urlencode(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "ember-app"}
    )
    counts = AccessToken.objects.count(), RefreshToken.objects.count(), Event.objects.count()

    assert lean.refresh_for_public_client(RequestFactory().post("/oauth/token", body, content_type=FORM), None) is None
    assert (AccessToken.objects.count(), RefreshToken.objects.count(), Event.objects.count()) == counts


def test_the_dot_it_was_written_for():
    """Fails when django-oauth-toolkit or oauthlib change under the lean path's SQL and answer."""
    assert oauth2_provider.__version__ == "3.4.1"
    assert lean._statements(connection.alias) is not None  # the models have the columns it writes
    assert {field.name for field in AccessToken._meta.concrete_fields} == lean.ACCESS_TOKEN_COLUMNS
    assert {field.name for field in RefreshToken._meta.concrete_fields} == lean.REFRESH_TOKEN_COLUMNS
    # Deleting an access token touches only the refresh token that points at it (SET_NULL),
    # which the UPDATE clears: no other model refers to access tokens.
    relations = [
        (rel.related_model, rel.field.name, rel.on_delete.__name__) for rel in AccessToken._meta.related_objects
    ]
    assert relations == [(RefreshToken, "access_token", "SET_NULL")]
    # Nothing listens to these models' saves and deletes, which the lean path's SQL does not send.
    for signal in (pre_save, post_save, pre_delete, post_delete):
        assert not signal.has_listeners(AccessToken) and not signal.has_listeners(RefreshToken)
    assert GrantTypeBase._get_default_headers(None) == lean.RESPONSE_HEADERS
    assert "password" in GRANT_TYPE_MAPPING["refresh_token"]


def test_app_authorized_is_sent_as_dot_sends_it(client, login, user, monkeypatch):
    from oauth2_provider.signals import app_authorized

    signed_in = [login(user), login(user)]
    received, sent = [], []

    def receiver(sender, request, token, **kwargs):
        received.append((type(sender).__name__, token.pk, token.application.client_id, token.user_id, token.scope))

    app_authorized.connect(receiver)
    try:
        for tokens in signed_in:
            body = refresh(client, tokens["refresh_token"]).json()
            sent.append(stored_access_tokens(body["access_token"]).get().pk)
            monkeypatch.setattr("oauth.views.refresh_for_public_client", lambda request, view: None)  # then DOT's
    finally:
        app_authorized.disconnect(receiver)

    assert received == [("TokenView", pk, "ember-app", user.pk, "read write") for pk in sent]


def test_an_openid_token_of_a_public_client_is_left_to_dot_for_its_id_token(client, user):
    relying_party = register_client(
        name="Public relying party",
        client_id="public-rp",
        public=True,
        grant_type="authorization-code",
        redirect_uris=["https://rp.example.com/callback"],
        oidc=True,
    ).application
    tokens = issue_tokens_for(user, relying_party, scopes=["openid", "read"])

    with CaptureQueriesContext(connection) as queries:
        response = refresh(client, tokens["refresh_token"], client_id="public-rp")

    assert response.status_code == 200, response.content
    assert "id_token" in response.json()  # what only DOT's OpenID server adds
    assert len(queries.captured_queries) > 9  # not the lean path's read and six writes
