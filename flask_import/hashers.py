"""
Password hashes brought over from the Flask design: passlib's `sha256_crypt`, verified here
without passlib (unmaintained) or the `crypt` module (removed in Python 3.13).
"""

import hashlib
import hmac

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_noop as _

# The 64 characters SHA-crypt writes with, in their order ("./0-9A-Za-z").
ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DEFAULT_ROUNDS = 5000  # the specification's, used when a hash names no rounds
MIN_ROUNDS, MAX_ROUNDS = 1000, 999_999_999
MAX_SALT = 16
# Which digest bytes make each group of four characters (SHA-256's order in the specification).
GROUPS = [(0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14), (15, 25, 5), (6, 16, 26), (27, 7, 17)]
GROUPS += [(18, 28, 8), (9, 19, 29)]


def _repeat_to(digest, length):
    return (digest * (length // len(digest) + 1))[:length]


def _b64(digest):
    out = []
    for a, b, c in GROUPS:
        word = digest[a] << 16 | digest[b] << 8 | digest[c]
        out += [ALPHABET[word >> shift & 63] for shift in (0, 6, 12, 18)]
    word = digest[31] << 8 | digest[30]
    out += [ALPHABET[word >> shift & 63] for shift in (0, 6, 12)]
    return "".join(out)


def sha256_crypt(password, salt, rounds=DEFAULT_ROUNDS):
    """
    The 43-character checksum of SHA-256-crypt (`$5$`), as Ulrich Drepper's specification
    ("Unix crypt using SHA-256 and SHA-512", 2008) computes it: `password` and `salt` are str
    (the salt is cut to 16 characters, the rounds clamped to 1000..999999999, as glibc does).
    """
    key = password.encode()
    salt = salt.encode()[:MAX_SALT]
    rounds = min(max(rounds, MIN_ROUNDS), MAX_ROUNDS)
    sha = hashlib.sha256

    alternate = sha(key + salt + key).digest()
    a = sha(key + salt + _repeat_to(alternate, len(key)))
    length = len(key)
    while length:
        a.update(alternate if length & 1 else key)
        length >>= 1
    c = a.digest()

    p = _repeat_to(sha(key * len(key)).digest(), len(key))
    s = _repeat_to(sha(salt * (16 + c[0])).digest(), len(salt))

    # Round i hashes (p or c) + (s unless i % 3 == 0) + (p unless i % 7 == 0) + (c or p):
    # the pattern repeats every 42 rounds, so each round is one concatenation and one hash.
    pattern = []
    for i in range(42):
        middle = (s if i % 3 else b"") + (p if i % 7 else b"")
        pattern.append((p + middle, b"") if i & 1 else (b"", middle + p))
    full, rest = divmod(rounds, 42)
    for _block in range(full):
        for before, after in pattern:
            c = sha(before + c + after).digest()
    for before, after in pattern[:rest]:
        c = sha(before + c + after).digest()
    return _b64(c)


def parse_sha256_crypt(modular):
    """(rounds, salt, checksum) of a `$5$[rounds=N$]salt$checksum` string; ValueError if it is not one."""
    parts = modular.split("$")
    if len(parts) not in (4, 5) or parts[:2] != ["", "5"]:
        raise ValueError("not a sha256_crypt hash")
    rounds = DEFAULT_ROUNDS
    if len(parts) == 5:
        name, _, number = parts[2].partition("=")
        if name != "rounds" or not number.isdigit():
            raise ValueError("not a sha256_crypt hash")
        rounds = int(number)
    salt, checksum = parts[-2], parts[-1]
    if len(salt) > MAX_SALT or len(checksum) != 43 or not set(salt + checksum) <= set(ALPHABET):
        raise ValueError("not a sha256_crypt hash")
    return rounds, salt, checksum


class SHA256CryptPasswordHasher(BasePasswordHasher):
    """
    Verifies passlib `sha256_crypt` hashes imported by `import_flask_authlib`, stored as
    `sha256_crypt$5$rounds=N$salt$checksum` (the algorithm name, then passlib's string without
    its first `$`). Listed after Argon2id, so Django re-hashes the password at the next sign-in.
    """

    algorithm = "sha256_crypt"
    rounds = 535000  # passlib's default for new hashes; only `encode` uses it

    @classmethod
    def from_passlib(cls, modular):
        """The Django encoding of a passlib `$5$…` string; ValueError if it is not one."""
        parse_sha256_crypt(modular)
        return cls.algorithm + modular

    def salt(self):
        return get_random_string(MAX_SALT, ALPHABET[2:])  # letters and digits only, as Django's salts are

    def encode(self, password, salt, rounds=None):
        self._check_encode_args(password, salt)
        rounds = rounds or self.rounds
        return f"{self.algorithm}$5$rounds={rounds}${salt}${sha256_crypt(password, salt, rounds)}"

    def decode(self, encoded):
        algorithm, _sep, modular = encoded.partition("$")
        if algorithm != self.algorithm:
            raise ValueError("not a sha256_crypt hash")
        rounds, salt, checksum = parse_sha256_crypt("$" + modular)
        return {"algorithm": algorithm, "hash": checksum, "iterations": rounds, "salt": salt}

    def verify(self, password, encoded):
        try:
            decoded = self.decode(encoded)
        except ValueError:
            return False
        computed = sha256_crypt(password, decoded["salt"], decoded["iterations"])
        return hmac.compare_digest(computed.encode(), decoded["hash"].encode())

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("iterations"): decoded["iterations"],
            _("salt"): mask_hash(decoded["salt"]),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded):
        return True  # always: the point of keeping this hasher is to move every password to Argon2id

    def harden_runtime(self, password, encoded):
        pass  # the rounds are in each hash and never raised here, so there is nothing to even out
