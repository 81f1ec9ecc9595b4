"""How client secrets are stored: a fast salted HMAC, because they are long random strings."""

import base64
import hashlib
import hmac

from django.contrib.auth.hashers import BasePasswordHasher, get_hasher, mask_hash
from django.core import checks
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _
from oauth2_provider.settings import oauth2_settings

ALGORITHM = "client_secret_hmac_sha256"


class ClientSecretHasher(BasePasswordHasher):
    """
    HMAC-SHA256 of a client secret, keyed with a random salt, for django-oauth-toolkit's
    `CLIENT_SECRET_HASHER`. A secret the server generated (128 characters of [A-Za-z0-9],
    about 760 bits) cannot be guessed, so a slow hash adds nothing but ~130 ms to every
    machine-to-machine request; the salt keeps equal secrets from sharing a hash. Never for
    passwords people choose: it must never be the first of PASSWORD_HASHERS (system check oauth.E001).
    """

    algorithm = ALGORITHM

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).digest()
        return f"{self.algorithm}${salt}${base64.b64encode(digest).decode('ascii')}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password, encoded):
        pass  # one cost for every secret: nothing to even out


@checks.register(checks.Tags.security)
def check_client_secret_hasher(app_configs, **kwargs):
    """User passwords must never get the fast hasher, and client secrets must find theirs."""
    errors = []
    if isinstance(get_hasher("default"), ClientSecretHasher):
        errors.append(
            checks.Error(
                "The client-secret hasher is the first of PASSWORD_HASHERS, so user passwords would be stored with it.",
                hint="List a password hasher (accounts.hashers.Argon2PasswordHasher) first.",
                id="oauth.E001",
            )
        )
    try:
        get_hasher(oauth2_settings.CLIENT_SECRET_HASHER)
    except ValueError:
        errors.append(
            checks.Error(
                "OAUTH2_PROVIDER['CLIENT_SECRET_HASHER'] is not in PASSWORD_HASHERS: no client could be saved.",
                hint="List oauth.hashers.ClientSecretHasher in PASSWORD_HASHERS (last).",
                id="oauth.E002",
            )
        )
    return errors
