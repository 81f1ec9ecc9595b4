import warnings

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password

from flask_import.hashers import SHA256CryptPasswordHasher, parse_sha256_crypt, sha256_crypt

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # passlib imports `crypt`
    from passlib.hash import sha256_crypt as passlib_sha256_crypt

# The SHA-256 examples of Ulrich Drepper's specification ("Unix crypt using SHA-256 and SHA-512").
SPECIFICATION = [
    ("Hello world!", "saltstring", 5000, "5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"),
    ("Hello world!", "saltstringsaltstring", 10000, "3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"),
    ("This is just a test", "toolongsaltstring", 5000, "Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5"),
    (
        "a very much longer text to encrypt.  This one even stretches over morethan one line.",
        "anotherlongsaltstring",
        1400,
        "Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1",
    ),
    (
        "we have a short salt string but not a short password",
        "short",
        77777,
        "JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/",
    ),
    ("a short string", "asaltof16chars..", 123456, "gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD"),
    ("the minimum number is still observed", "roundstoolow", 10, "yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC"),
]


@pytest.mark.parametrize(("password", "salt", "rounds", "checksum"), SPECIFICATION)
def test_the_specifications_examples(password, salt, rounds, checksum):
    assert sha256_crypt(password, salt, rounds) == checksum


@pytest.fixture(params=["os_crypt", "builtin"])
def passlib_hash(request):
    """passlib's sha256_crypt with each of its backends: the C library's crypt(3) and its own Python code."""
    handler = passlib_sha256_crypt.using()
    handler.set_backend(request.param)
    return handler


@pytest.mark.parametrize("password", ["", "a", "correct horse battery staple", "x" * 32, "y" * 65, "pässwörd ✓"])
@pytest.mark.parametrize("rounds", [1000, 5000, 12345])
def test_passlib_hashes_are_verified(passlib_hash, password, rounds):
    passlib_string = passlib_hash.using(rounds=rounds).hash(password)
    encoded = SHA256CryptPasswordHasher.from_passlib(passlib_string)

    assert check_password(password, encoded)
    assert not check_password(password + "!", encoded)


def test_passlibs_default_rounds():
    """535000 rounds, what the Flask design's hashes have: about 0.4 s here, as long as crypt(3) takes."""
    passlib_string = passlib_sha256_crypt.hash("old")

    assert parse_sha256_crypt(passlib_string)[0] == 535000
    assert check_password("old", SHA256CryptPasswordHasher.from_passlib(passlib_string))


def test_the_stored_form_is_the_algorithm_then_passlibs_string():
    passlib_string = passlib_sha256_crypt.using(rounds=5000, salt="abcdefgh").hash("pw")

    encoded = SHA256CryptPasswordHasher.from_passlib(passlib_string)

    assert passlib_string.startswith("$5$")
    assert encoded == "sha256_crypt" + passlib_string
    assert identify_hasher(encoded).algorithm == "sha256_crypt"
    assert get_hasher("sha256_crypt").decode(encoded)["iterations"] == 5000


def test_encode_makes_what_passlib_verifies():
    encoded = make_password("new", hasher="sha256_crypt")

    assert passlib_sha256_crypt.verify("new", encoded.removeprefix("sha256_crypt"))
    assert get_hasher("sha256_crypt").safe_summary(encoded)["iterations"] == 535000


@pytest.mark.parametrize(
    "not_a_hash",
    [
        "",
        "plain-text",
        "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",  # md5_crypt
        "$5$rounds=5000$salt$short",
        "$5$rounds=abc$salt$" + "a" * 43,
        "$5$salt-with-!$" + "a" * 43,
        "$5$saltsaltsaltsaltsalt$" + "a" * 43,  # a salt longer than 16 characters
    ],
)
def test_anything_else_is_refused(not_a_hash):
    with pytest.raises(ValueError, match="not a sha256_crypt hash"):
        SHA256CryptPasswordHasher.from_passlib(not_a_hash)
    assert not check_password("x", "sha256_crypt" + not_a_hash)


def test_argon2id_stays_first_and_sha256_crypt_is_last():
    hashers = settings.PASSWORD_HASHERS
    assert hashers[0] == "accounts.hashers.Argon2PasswordHasher"
    assert hashers.index("flask_import.hashers.SHA256CryptPasswordHasher") > 0


def test_a_good_check_rehashes_with_argon2id():
    encoded = SHA256CryptPasswordHasher.from_passlib(passlib_sha256_crypt.using(rounds=1000).hash("pw"))
    saved = []

    assert check_password("pw", encoded, setter=saved.append)
    assert saved == ["pw"]  # Django calls the setter, which stores make_password("pw"): Argon2id
    assert not check_password("nope", encoded, setter=saved.append)
    assert saved == ["pw"]
