"""
The refresh grace period without a usable token in the database.

When a refresh token is rotated, the response that replaced it is kept for
REFRESH_TOKEN_GRACE_PERIOD seconds, sealed with AES-GCM under a key derived (HKDF-SHA256)
from the old refresh token. Only a client holding that token can open it, so a second tab
refreshing with the same token gets the very same pair, while a copy of the database
holds nothing that opens it. Elasticsearch's token service keeps its superseding tokens
the same way.
"""

import hashlib
import json
import os
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import SealedReplacement

# No salt: the key material is a random token of well over 128 bits (RFC 5869 §3.1).
KEY_INFO = b"authsite refresh grace period v1"
NONCE_BYTES = 12


def token_checksum(token):
    """The SHA-256 hex digest DOT stores to look a token up."""
    return hashlib.sha256(token.encode()).hexdigest()


def _cipher(old_refresh_token):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(old_refresh_token.encode())
    return AESGCM(key)


def seal(old_refresh_token, checksum, token_response):
    """The `sealed` column: `token_response` encrypted under `old_refresh_token`, bound to its row's checksum."""
    nonce = os.urandom(NONCE_BYTES)
    # The checksum is the associated data: a sealed pair opens only from its own row.
    return nonce + _cipher(old_refresh_token).encrypt(nonce, json.dumps(token_response).encode(), checksum.encode())


def seal_replacement(old_refresh_token, token_response):
    """Keep `token_response` for the grace period, readable only with `old_refresh_token`."""
    if settings.REFRESH_TOKEN_GRACE_PERIOD <= 0:
        return
    now = timezone.now()
    checksum = token_checksum(old_refresh_token)
    sealed = seal(old_refresh_token, checksum, token_response)
    # Expired pairs go as new ones come: the table holds a few seconds' rotations.
    SealedReplacement.objects.filter(Q(expires__lte=now) | Q(token_checksum=checksum)).delete()
    SealedReplacement.objects.create(
        token_checksum=checksum, sealed=sealed, expires=now + timedelta(seconds=settings.REFRESH_TOKEN_GRACE_PERIOD)
    )


def unseal_replacement(old_refresh_token):
    """The token response that replaced `old_refresh_token`, or None once the grace period is over."""
    checksum = token_checksum(old_refresh_token)
    sealed = (
        SealedReplacement.objects.filter(token_checksum=checksum, expires__gt=timezone.now())
        .values_list("sealed", flat=True)
        .first()
    )
    if sealed is None:
        return None
    sealed = bytes(sealed)  # a memoryview on PostgreSQL
    try:
        plain = _cipher(old_refresh_token).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], checksum.encode())
    except InvalidTag:
        return None
    return json.loads(plain)
