import pytest

from conftest import PASSWORD
from oauth.clients import register_client
from throttling.signals import attempt_refused

from .hashers import CountingHasher
from .live import ALICE, Site


@pytest.fixture
def hashes(settings):
    """The number of passwords hashed since the test began (a counting hasher replaces Argon2)."""
    # The client-secret hasher stays listed: confidential clients' secrets are stored with it.
    settings.PASSWORD_HASHERS = ["throttling.tests.hashers.CountingHasher", "oauth.hashers.ClientSecretHasher"]
    return lambda: CountingHasher.runs


@pytest.fixture
def site(live_server, transactional_db, hashes, django_user_model):
    """The live server with the Ember app's client and Alice's account; the hash count starts at 0."""
    register_client(name="Ember app", client_id="ember-app", public=True, grant_type="password")
    django_user_model.objects.create_user(ALICE, PASSWORD)
    CountingHasher.runs = 0
    return Site(live_server.url)


@pytest.fixture
def refusals():
    """Every attempt_refused signal sent during the test, as (username, reason, retry_after)."""
    sent = []

    def receiver(sender, request, username, reason, retry_after, **kwargs):
        sent.append((username, reason, retry_after))

    attempt_refused.connect(receiver)
    yield sent
    attempt_refused.disconnect(receiver)
