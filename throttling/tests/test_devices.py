import pytest

from conftest import PASSWORD


@pytest.mark.parametrize("secure", [True, False])
def test_the_device_cookie_is_secure_where_the_session_cookie_is(settings, token_request, ember_app, user, secure):
    settings.SESSION_COOKIE_SECURE = secure
    response = token_request(
        grant_type="password", username="Alice@Example.com", password=PASSWORD, client_id="ember-app"
    )

    assert response.status_code == 200
    cookie = response.cookies["device"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == settings.DEVICE_COOKIE_AGE
    assert bool(cookie["secure"]) is secure


def test_no_device_cookie_after_a_failed_sign_in(token_request, ember_app, user):
    response = token_request(grant_type="password", username=user.email, password="wrong", client_id="ember-app")

    assert response.status_code == 400
    assert "device" not in response.cookies
