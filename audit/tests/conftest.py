import hashlib
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from oauth2_provider.models import RefreshToken

from audit.models import Event

IP = "203.0.113.7"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AuditTest/1.0"


@pytest.fixture(autouse=True)
def fresh_refusal_records():
    """Refusals are recorded once a minute per address, email and reason: each test starts with none seen."""
    cache.clear()


@pytest.fixture
def client():
    """Django's test client, from one address with one browser (the root fixtures post through it)."""
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)


@pytest.fixture
def audit_log(caplog):
    """The JSON lines written to `authsite.audit` (it does not propagate to the root logger)."""
    logger = logging.getLogger("authsite.audit")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="authsite.audit")
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "authsite.audit"]
    logger.removeHandler(caplog.handler)


def family_of(refresh_token):
    checksum = hashlib.sha256(refresh_token.encode()).hexdigest()
    return RefreshToken.objects.get(token_checksum=checksum).token_family


def only_event(**filters):
    (event,) = Event.objects.filter(**filters)
    return event


def assert_from_the_client(event):
    assert (event.ip, event.user_agent) == (IP, USER_AGENT)
