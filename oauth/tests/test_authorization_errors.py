"""Authorization error responses as strict clients read them: RFC 6749 §4.1.2.1 codes, `state`, RFC 9207 `iss`."""

import pytest

from oauth.tests.test_authorization_code import authorize_url, consent, query_of

pytestmark = pytest.mark.django_db

ISSUER = "http://testserver"


def test_denying_on_the_consent_page_is_access_denied_with_state_and_iss(client, spa_app, user):
    client.force_login(user)

    response = consent(client, authorize_url(), allow=False)

    assert response.status_code == 302
    assert query_of(response) == {"error": "access_denied", "state": "xyz", "iss": ISSUER}


def test_an_unknown_scope_is_invalid_scope_with_state_and_iss(client, spa_app, user):
    client.force_login(user)

    response = client.get(authorize_url(scope="read no-such-scope"))

    assert response.status_code == 302
    answer = query_of(response)
    assert (answer["error"], answer["state"], answer["iss"]) == ("invalid_scope", "xyz", ISSUER)


@pytest.mark.parametrize("response_type", ["token", "id_token", "code id_token"])
def test_a_response_type_the_server_does_not_offer_is_unsupported_response_type(client, spa_app, user, response_type):
    client.force_login(user)

    response = client.get(authorize_url(response_type=response_type))

    assert response.status_code == 302
    assert response["Location"].startswith("https://app.example.com/callback?")
    answer = query_of(response)
    assert (answer["error"], answer["state"], answer["iss"]) == ("unsupported_response_type", "xyz", ISSUER)


def test_a_code_request_from_a_client_without_the_code_grant_is_still_unauthorized_client(client, ember_app, user):
    client.force_login(user)

    response = client.get(
        authorize_url(client_id="ember-app", redirect_uri="http://127.0.0.1:8000/login/google-oauth2/callback")
    )

    assert response.status_code == 302
    answer = query_of(response)
    assert (answer["error"], answer["state"], answer["iss"]) == ("unauthorized_client", "xyz", ISSUER)


def test_an_unregistered_redirect_uri_is_never_followed(client, spa_app, user):
    client.force_login(user)

    response = client.get(authorize_url(redirect_uri="https://evil.example/callback"))

    assert response.status_code == 400
    assert "Location" not in response
