"""The pipeline step that guards linking by email, for backends that do not check it themselves."""

import pytest
from social_core.backends.github import GithubOAuth2
from social_core.exceptions import AuthResponseError

from social_login.pipeline import fit_names, require_verified_email


@pytest.fixture
def backend():
    return GithubOAuth2()


def test_a_verified_email_passes(backend):
    assert require_verified_email(backend, {"email": "a@example.com"}, {"email_verified": True}) is None


@pytest.mark.parametrize("response", [{}, {"email_verified": False}, {"email_verified": "true"}])
def test_an_email_the_provider_does_not_vouch_for_stops_the_sign_in(backend, response):
    with pytest.raises(AuthResponseError) as raised:
        require_verified_email(backend, {"email": "a@example.com"}, response)

    assert raised.value.claim == "email_verified"


def test_no_email_stops_the_sign_in(backend):
    with pytest.raises(AuthResponseError) as raised:
        require_verified_email(backend, {"email": ""}, {"email_verified": True})

    assert raised.value.code == "profile_email_missing"


def test_names_are_cut_to_the_columns_and_the_rest_is_kept():
    details = {"email": "a@example.com", "first_name": "x" * 200, "last_name": None, "fullname": "y" * 300}

    assert fit_names(details) == {"details": details | {"first_name": "x" * 150}}
