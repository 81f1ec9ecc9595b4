"""
FoundToken borrows django-oauth-toolkit's token checks (api/authentication.py). These tests fail
if DOT's checks start reading a field the lookup's row does not carry, or if they decide
differently on the row than on an AccessToken.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from api.authentication import FoundToken

AccessToken = get_access_token_model()

AUDIENCE = "https://api.example.com/api/me"
NOW = timezone.now()
EXPIRIES = [None, NOW - timedelta(seconds=1), NOW + timedelta(hours=1)]
SCOPES = ["", "read", "write", "read write", "openid read"]
RESOURCES = [[], [AUDIENCE], ["https://elsewhere.example.com/"]]
ASKED = [None, [], ["read"], ["write"], ["read", "write"]]


def row_with(expires, scope, resource):
    """A FoundToken with only the three fields the checks may read: reading any other raises AttributeError."""
    found = FoundToken.__new__(FoundToken)
    found.expires, found.scope, found.resource = expires, scope, resource
    return found


@pytest.mark.parametrize(("expires", "scope", "resource"), list(itertools.product(EXPIRIES, SCOPES, RESOURCES)))
def test_dots_checks_decide_on_the_row_as_on_the_model(expires, scope, resource):
    row = row_with(expires, scope, resource)
    model = AccessToken(expires=expires, scope=scope, resource=resource)

    assert row.is_expired() == model.is_expired()
    assert row.allows_audience(AUDIENCE) == model.allows_audience(AUDIENCE)
    for asked in ASKED:
        assert row.allow_scopes(asked) == model.allow_scopes(asked)
        assert row.is_valid(asked) == model.is_valid(asked)


def test_the_checks_refuse_what_they_should():
    """Not only equal to DOT's: the answers the bearer checks rely on."""
    live = row_with(NOW + timedelta(hours=1), "read", [AUDIENCE])

    assert live.is_valid(["read"]) and live.allows_audience(AUDIENCE)
    assert not live.is_valid(["write"])
    assert not live.allows_audience("https://elsewhere.example.com/")
    assert row_with(NOW - timedelta(seconds=1), "read", []).is_expired()
    assert row_with(None, "read", []).is_expired()
