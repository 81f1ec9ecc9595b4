import pytest
from django.contrib.auth import hashers
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password

from accounts.hashers import Argon2PasswordHasher
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

DJANGO_DEFAULT_ARGON2 = hashers.Argon2PasswordHasher()  # t=2, m=100 MiB, p=8: what older hashes have


def argon2_parameters(encoded):
    decoded = identify_hasher(encoded).decode(encoded)
    return decoded["variety"], decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]


def test_new_passwords_get_argon2id_at_owasps_parameters(user):
    assert isinstance(get_hasher(), Argon2PasswordHasher)
    assert argon2_parameters(user.password) == ("argon2id", 19456, 2, 1)


def test_the_login_page_upgrades_an_argon2_hash_with_djangos_parameters(client, user):
    user.password = make_password(PASSWORD, hasher=DJANGO_DEFAULT_ARGON2)
    user.save()
    assert argon2_parameters(user.password) == ("argon2id", 102400, 2, 8)

    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.wsgi_request.user == user
    user.refresh_from_db()
    assert argon2_parameters(user.password) == ("argon2id", 19456, 2, 1)
    assert check_password(PASSWORD, user.password)


def test_a_wrong_password_leaves_the_old_hash_alone(client, user):
    old = make_password(PASSWORD, hasher=DJANGO_DEFAULT_ARGON2)
    user.password = old
    user.save()

    response = client.post("/accounts/login/", {"username": user.email, "password": "not-" + PASSWORD})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old
