"""Two browser tabs refresh with the same token at the same instant, against a real server."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from accounts.models import User
from conftest import PASSWORD, stored_refresh_tokens
from oauth.clients import register_client
from oauth.models import SealedReplacement


def post_form(url, **data):
    request = urllib.request.Request(url, urllib.parse.urlencode(data).encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def get_status(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_simultaneous_refreshes_both_succeed_and_a_late_replay_revokes_the_family(live_server):
    register_client(name="Ember app", client_id="ember-app", public=True, grant_type="password")
    User.objects.create_user("tabs@example.com", PASSWORD)
    token_url = f"{live_server.url}/oauth/token"
    status, first = post_form(
        token_url, grant_type="password", username="tabs@example.com", password=PASSWORD, client_id="ember-app"
    )
    assert status == 200

    barrier = threading.Barrier(2)
    results = []

    def refresh_in_a_tab():
        barrier.wait()
        results.append(
            post_form(
                token_url, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app"
            )
        )

    tabs = [threading.Thread(target=refresh_in_a_tab) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=60)

    assert [status for status, _ in results] == [200, 200], results
    (_, one), (_, other) = results
    assert one["access_token"] == other["access_token"]
    assert one["refresh_token"] == other["refresh_token"]
    assert get_status(f"{live_server.url}/api/me", one["access_token"]) == 200

    # Neither the winner nor the tab that got the sealed pair left a usable token behind.
    assert not AccessToken.objects.exclude(token="").exists()
    assert not RefreshToken.objects.exclude(token="").exists()
    assert stored_refresh_tokens(one["refresh_token"]).get().revoked is None

    # Later, after the grace period, someone replays the original refresh token.
    SealedReplacement.objects.update(expires=timezone.now())
    status, body = post_form(
        token_url, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id="ember-app"
    )
    assert (status, body["error"]) == (400, "invalid_grant")
    assert get_status(f"{live_server.url}/api/me", one["access_token"]) == 401
    status, body = post_form(
        token_url, grant_type="refresh_token", refresh_token=one["refresh_token"], client_id="ember-app"
    )
    assert (status, body["error"]) == (400, "invalid_grant")
