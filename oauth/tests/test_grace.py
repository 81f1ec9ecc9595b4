"""The sealed replacement pair of a rotated refresh token (oauth/grace.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oauth.grace import seal_replacement, token_checksum, unseal_replacement
from oauth.models import SealedReplacement

pytestmark = pytest.mark.django_db

OLD = "old-refresh-token-0123456789abcdefghij"
PAIR = {"access_token": "new-access", "refresh_token": "new-refresh", "expires_in": 3600, "scope": "read write"}


def test_the_pair_opens_with_the_old_refresh_token_only():
    seal_replacement(OLD, PAIR)

    row = SealedReplacement.objects.get()
    assert row.token_checksum == token_checksum(OLD)
    assert b"new-access" not in bytes(row.sealed) and b"new-refresh" not in bytes(row.sealed)
    assert unseal_replacement(OLD) == PAIR
    assert unseal_replacement(OLD + "x") is None


def test_a_sealed_pair_moved_to_another_row_does_not_open():
    other = "another-refresh-token-0123456789abcdef"
    seal_replacement(OLD, PAIR)
    seal_replacement(other, {"access_token": "theirs"})

    SealedReplacement.objects.filter(token_checksum=token_checksum(other)).update(
        sealed=SealedReplacement.objects.get(token_checksum=token_checksum(OLD)).sealed
    )

    assert unseal_replacement(other) is None


def test_a_changed_byte_does_not_open():
    seal_replacement(OLD, PAIR)
    row = SealedReplacement.objects.get()
    sealed = bytearray(row.sealed)
    sealed[-1] ^= 1
    row.sealed = bytes(sealed)
    row.save()

    assert unseal_replacement(OLD) is None


def test_the_pair_is_kept_for_the_grace_period_only(settings):
    settings.REFRESH_TOKEN_GRACE_PERIOD = 10
    seal_replacement(OLD, PAIR)
    row = SealedReplacement.objects.get()
    assert timedelta(seconds=9) < row.expires - timezone.now() <= timedelta(seconds=10)

    SealedReplacement.objects.update(expires=timezone.now())

    assert unseal_replacement(OLD) is None
    seal_replacement("the-next-rotation-0123456789abcdefghij", PAIR)  # sweeps expired pairs away
    assert list(SealedReplacement.objects.values_list("token_checksum", flat=True)) == [
        token_checksum("the-next-rotation-0123456789abcdefghij")
    ]


def test_no_grace_period_seals_nothing(settings):
    settings.REFRESH_TOKEN_GRACE_PERIOD = 0

    seal_replacement(OLD, PAIR)

    assert not SealedReplacement.objects.exists()
