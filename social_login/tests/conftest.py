import pytest

from conftest import EMBER_GOOGLE_CALLBACK

# 43 characters, the shortest RFC 7636 allows.
CODE_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


@pytest.fixture
def sign_in(token_request, google, ember_app):
    """The Ember app's POST after Google sent the user back with a code for `account`."""

    def post(account=None, *, code_verifier=CODE_VERIFIER, **overrides):
        code = google.issue_code(EMBER_GOOGLE_CALLBACK, code_verifier, account)
        data = {
            "client_id": ember_app.client_id,
            "code": code,
            "redirect_uri": EMBER_GOOGLE_CALLBACK,
            "code_verifier": code_verifier,
        }
        return token_request("/oauth/social/google-oauth2", **(data | overrides))

    return post
