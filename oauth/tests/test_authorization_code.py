import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from oauth2_provider.models import AccessToken, Grant

from conftest import PASSWORD, REDIRECT_URI, basic_auth, stored_access_tokens

pytestmark = pytest.mark.django_db

VERIFIER = secrets.token_urlsafe(48)
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def authorize_url(client_id="other-spa", **overrides):
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "read",
        "state": "xyz",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def consent(client, url, allow=True):
    """Show the consent page, then answer it the way the form would."""
    page = client.get(url)
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["allow" if allow else "cancel"] = "Authorize" if allow else "Cancel"
    return client.post(url, data)


@pytest.fixture
def exchange(token_request):
    """Trade a code at the token endpoint as the SPA would; keyword arguments override the form."""

    def post(code, headers=None, **overrides):
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": "other-spa",
            "code_verifier": VERIFIER,
        }
        form.update(overrides)
        return token_request(headers=headers, **{k: v for k, v in form.items() if v is not None})

    return post


def query_of(response):
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def test_anonymous_user_is_sent_to_the_login_page_and_back(client, spa_app, user):
    url = authorize_url()

    response = client.get(url)

    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/accounts/login/?next=")
    login_page = client.get(login_url)
    assert b'type="email"' in login_page.content
    logged_in = client.post(login_url, {"username": "Alice@Example.com", "password": PASSWORD, "next": url})
    assert logged_in.status_code == 302
    assert logged_in["Location"] == url


def test_wrong_password_on_the_login_page(client, spa_app, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert b"enter a correct email address and password" in response.content


def test_consent_page_names_the_app_and_the_scopes(client, spa_app, user):
    client.force_login(user)

    page = client.get(authorize_url())

    assert page.status_code == 200
    assert b"Authorize Other SPA?" in page.content
    assert b"Read your profile" in page.content
    assert page["X-Frame-Options"] == "DENY"


def test_code_with_pkce_becomes_tokens(client, exchange, spa_app, user):
    client.force_login(user)

    redirect = consent(client, authorize_url())

    assert redirect.status_code == 302
    assert redirect["Location"].startswith(REDIRECT_URI + "?")
    params = query_of(redirect)
    assert params["state"] == "xyz"
    assert params["iss"] == "http://testserver"  # RFC 9207 mix-up defence
    response = exchange(params["code"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "read"
    assert "refresh_token" in body
    assert stored_access_tokens(body["access_token"]).get().user == user
    assert not Grant.objects.exists()


def test_a_code_works_once(client, exchange, spa_app, user):
    client.force_login(user)
    code = query_of(consent(client, authorize_url()))["code"]
    assert exchange(code).status_code == 200

    again = exchange(code)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_code_verifier_is_invalid_grant(client, exchange, spa_app, user):
    client.force_login(user)
    code = query_of(consent(client, authorize_url()))["code"]

    response = exchange(code, code_verifier=secrets.token_urlsafe(48))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_pkce_is_required(client, spa_app, user):
    client.force_login(user)

    response = client.get(authorize_url(code_challenge=None, code_challenge_method=None))

    assert response.status_code == 302
    params = query_of(response)
    assert params["error"] == "invalid_request"
    assert "code" not in params


def test_plain_pkce_is_refused(client, spa_app, user):
    """RFC 9700 §2.1.1: only S256. DOT refuses `plain` when the code would be issued."""
    client.force_login(user)

    response = consent(client, authorize_url(code_challenge=VERIFIER, code_challenge_method="plain"))

    assert response.status_code == 302
    params = query_of(response)
    assert params["error"] == "invalid_request"
    assert "code" not in params
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    "redirect_uri",
    [
        REDIRECT_URI + "/",
        REDIRECT_URI + "?next=https://evil.example",
        "https://evil.example/callback",
        "https://app.example.com/callback/../evil",
        REDIRECT_URI.upper(),
    ],
)
def test_redirect_uri_must_match_exactly(client, spa_app, user, redirect_uri):
    client.force_login(user)

    response = client.get(authorize_url(redirect_uri=redirect_uri))

    assert response.status_code == 400
    assert "Location" not in response
    assert b"Mismatching redirect URI" in response.content or b"invalid_request" in response.content


def test_token_exchange_checks_the_redirect_uri_too(client, exchange, spa_app, user):
    client.force_login(user)
    code = query_of(consent(client, authorize_url()))["code"]

    response = exchange(code, redirect_uri="https://evil.example/callback")

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_request", "invalid_grant"}


def test_unknown_client_is_not_redirected(client, spa_app, user):
    client.force_login(user)

    response = client.get(authorize_url(client_id="nope"))

    assert response.status_code == 400
    assert "Location" not in response


def test_denying_consent_redirects_with_access_denied(client, spa_app, user):
    client.force_login(user)

    response = consent(client, authorize_url(), allow=False)

    assert response.status_code == 302
    assert query_of(response)["error"] == "access_denied"
    assert not Grant.objects.exists()


def test_confidential_client_exchanges_with_its_secret(client, exchange, web_app, user):
    client.force_login(user)
    code = query_of(consent(client, authorize_url(client_id="web-app")))["code"]

    assert exchange(code, client_id=None, headers={"Authorization": basic_auth("web-app", "wrong")}).status_code == 401
    response = exchange(code, client_id=None, headers={"Authorization": basic_auth("web-app", web_app.secret)})

    assert response.status_code == 200


def test_second_authorization_skips_consent_once_granted(client, exchange, spa_app, user):
    client.force_login(user)
    code = query_of(consent(client, authorize_url()))["code"]
    exchange(code)

    response = client.get(authorize_url())

    assert response.status_code == 302
    assert "code" in query_of(response)
