"""The OpenID Connect provider through Django's test client: documents, ID tokens, claims, UserInfo, logout."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from jwcrypto.jwk import JWK
from oauth2_provider.models import AccessToken, Application, IDToken

from conftest import PASSWORD, basic_auth, stored_access_tokens
from oauth.tests.oidc import RP_LOGGED_OUT_URI, RP_REDIRECT_URI, half_hash, register_relying_party, verified_claims
from oauth.tests.test_authorization_code import VERIFIER, authorize_url, consent, query_of

pytestmark = pytest.mark.django_db

NONCE = "n-0S6_WzA2Mj"
CLAIMS = ["email", "email_verified", "family_name", "given_name", "name", "sub", "updated_at"]


@pytest.fixture
def relying_party(db):
    return register_relying_party()


@pytest.fixture
def sign_in(client, token_request, relying_party):
    """Run the authorization-code flow as `user` in the test client's browser; returns the token response."""

    def flow(user, scope="openid email profile", nonce=NONCE):
        client.force_login(user)
        answer = query_of(
            approve(
                client, authorize_url(client_id="relying-party", redirect_uri=RP_REDIRECT_URI, scope=scope, nonce=nonce)
            )
        )
        response = token_request(
            headers={"Authorization": basic_auth("relying-party", relying_party.secret)},
            grant_type="authorization_code",
            code=answer["code"],
            redirect_uri=RP_REDIRECT_URI,
            code_verifier=VERIFIER,
        )
        assert response.status_code == 200, response.content
        return response.json() | {"iss": answer["iss"]}

    return flow


def approve(client, url):
    """The authorization answer: after the consent page, or at once for an app the user already allowed."""
    page = client.get(url)
    return page if page.status_code == 302 else consent(client, url)


def jwks(client):
    return client.get("/oauth/jwks").json()


# --- Documents ---------------------------------------------------------------------------


def test_openid_configuration(client):
    response = client.get("/.well-known/openid-configuration")

    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == "http://testserver"
    assert metadata["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert metadata["token_endpoint"] == "http://testserver/oauth/token"
    assert metadata["userinfo_endpoint"] == "http://testserver/oauth/userinfo"
    assert metadata["jwks_uri"] == "http://testserver/oauth/jwks"
    assert metadata["end_session_endpoint"] == "http://testserver/oauth/logout"
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["subject_types_supported"] == ["public"]
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "email", "profile"} <= set(metadata["scopes_supported"])
    assert sorted(metadata["claims_supported"]) == CLAIMS
    assert metadata["authorization_response_iss_parameter_supported"] is True
    # Where OpenID Connect Discovery's defaults would claim more than the server does:
    assert "implicit" not in metadata["grant_types_supported"]
    assert metadata["response_modes_supported"] == ["query"]
    assert metadata["request_uri_parameter_supported"] is False


def test_both_documents_list_the_same_grants_and_endpoints(client):
    oauth_metadata = client.get("/.well-known/oauth-authorization-server").json()
    oidc_metadata = client.get("/.well-known/openid-configuration").json()

    for name in ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "code_challenge_methods_supported"]:
        assert oidc_metadata[name] == oauth_metadata[name], name
    assert sorted(oidc_metadata["grant_types_supported"]) == sorted(oauth_metadata["grant_types_supported"])


def test_jwks_publishes_the_public_half_of_the_signing_key(client, settings):
    keys = jwks(client)["keys"]

    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig"
    assert keys[0]["kid"]
    assert "d" not in keys[0] and "p" not in keys[0]  # no private parts


def test_a_retired_key_stays_in_the_jwks_and_its_tokens_still_verify(client, sign_in, user, settings):
    old_token = sign_in(user)["id_token"]
    old_kid = jwks(client)["keys"][0]["kid"]
    new_key = JWK.generate(kty="RSA", size=2048).export_to_pem(True, None).decode()
    retired_key = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    settings.OAUTH2_PROVIDER = settings.OAUTH2_PROVIDER | {
        "OIDC_RSA_PRIVATE_KEY": new_key,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [retired_key],
    }

    published = jwks(client)
    new_token = sign_in(user)["id_token"]

    assert [key["kid"] for key in published["keys"]][1] == old_kid
    old_header, _ = verified_claims(old_token, published)
    new_header, _ = verified_claims(new_token, published)
    assert old_header["kid"] == old_kid
    assert new_header["kid"] == published["keys"][0]["kid"] != old_kid


@pytest.mark.parametrize("retired_kept, status", [(True, 302), (False, 400)])
def test_a_logout_hint_signed_before_a_rotation_verifies_while_its_key_is_retired_not_gone(
    client, sign_in, user, settings, retired_kept, status
):
    old_token = sign_in(user)["id_token"]
    retired_key = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    settings.OAUTH2_PROVIDER = settings.OAUTH2_PROVIDER | {
        "OIDC_RSA_PRIVATE_KEY": JWK.generate(kty="RSA", size=2048).export_to_pem(True, None).decode(),
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [retired_key] if retired_kept else [],
    }

    response = client.get("/oauth/logout", {"id_token_hint": old_token, "post_logout_redirect_uri": RP_LOGGED_OUT_URI})

    assert response.status_code == status
    assert ("_auth_user_id" in client.session) is not retired_kept


# --- One issuer --------------------------------------------------------------------------


@pytest.mark.parametrize("configured", ["", "https://auth.example.com"])
def test_one_issuer_in_both_documents_the_id_token_and_the_authorization_response(
    client, sign_in, user, settings, configured
):
    settings.OAUTH2_PROVIDER = settings.OAUTH2_PROVIDER | {"OIDC_ISS_ENDPOINT": configured}
    expected = configured or "http://testserver"

    oauth_metadata = client.get("/.well-known/oauth-authorization-server").json()
    oidc_metadata = client.get("/.well-known/openid-configuration").json()
    tokens = sign_in(user)
    _, claims = verified_claims(tokens["id_token"], jwks(client))

    assert oauth_metadata["issuer"] == oidc_metadata["issuer"] == claims["iss"] == tokens["iss"] == expected
    assert oidc_metadata["jwks_uri"] == oauth_metadata["jwks_uri"] == f"{expected}/oauth/jwks"


# --- ID tokens and claims ----------------------------------------------------------------


def test_id_token_is_signed_and_carries_the_standard_claims(client, sign_in, user):
    user.last_name = "Liddell"
    user.save()

    tokens = sign_in(user)
    user.refresh_from_db()
    header, claims = verified_claims(tokens["id_token"], jwks(client))

    assert header["alg"] == "RS256"
    assert header["kid"] == jwks(client)["keys"][0]["kid"]
    assert claims["iss"] == "http://testserver"
    assert claims["aud"] == "relying-party"
    assert claims["sub"] == str(user.pk)
    assert claims["nonce"] == NONCE
    assert claims["at_hash"] == half_hash(tokens["access_token"])
    assert claims["auth_time"] == int(user.last_login.timestamp())
    assert claims["exp"] > claims["iat"]
    assert claims["email"] == "alice@example.com"
    assert claims["email_verified"] is False
    assert (claims["name"], claims["given_name"], claims["family_name"]) == ("Alice Liddell", "Alice", "Liddell")
    assert claims["updated_at"] == int(user.updated_at.timestamp())
    assert IDToken.objects.filter(jti=claims["jti"], user=user).exists()


def test_openid_scope_alone_releases_only_the_subject(client, sign_in, user):
    tokens = sign_in(user, scope="openid")
    _, claims = verified_claims(tokens["id_token"], jwks(client))

    assert claims["sub"] == str(user.pk)
    assert not {"email", "email_verified", "name", "given_name", "family_name", "updated_at"} & set(claims)


def test_empty_names_are_left_out(client, sign_in, django_user_model):
    nameless = django_user_model.objects.create_user("nameless@example.com", "x-correct-horse")

    _, claims = verified_claims(sign_in(nameless)["id_token"], jwks(client))

    assert not {"name", "given_name", "family_name"} & set(claims)
    assert claims["email"] == "nameless@example.com"


def test_subject_is_not_the_email_and_survives_an_email_change(client, sign_in, user):
    _, before = verified_claims(sign_in(user)["id_token"], jwks(client))
    user.email = "alice.liddell@example.com"
    user.save()

    _, after = verified_claims(sign_in(user)["id_token"], jwks(client))

    assert after["sub"] == before["sub"] != before["email"]
    assert after["email"] == "alice.liddell@example.com"


def test_updated_at_moves_with_the_profile_and_not_with_a_login(client, user):
    first = user.updated_at
    client.force_login(user)
    user.refresh_from_db()
    assert user.updated_at == first

    user.first_name = "Alicia"
    user.save()
    user.refresh_from_db()
    assert user.updated_at > first


def test_no_nonce_no_nonce_claim(client, sign_in, user):
    _, claims = verified_claims(sign_in(user, nonce=None)["id_token"], jwks(client))

    assert "nonce" not in claims


# --- UserInfo ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_userinfo_answers_the_claims_for_a_bearer_token(client, sign_in, user, method):
    user.last_name = "Liddell"
    user.save()
    tokens = sign_in(user)

    response = getattr(client, method)("/oauth/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    info = response.json()
    assert sorted(info) == CLAIMS
    assert info["sub"] == str(user.pk) and info["email"] == user.email


def test_userinfo_without_a_token_is_a_bare_401_challenge(client):
    response = client.get("/oauth/userinfo")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="oauth"'  # RFC 6750 §3.1: no error code
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("token", ["unknown-token", "revoked"])
def test_userinfo_with_a_bad_token_is_401_invalid_token(client, sign_in, user, token):
    if token == "revoked":
        token = sign_in(user)["access_token"]
        stored_access_tokens(token).get().revoke()

    response = client.post("/oauth/userinfo", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="oauth", error="invalid_token", error_description=')
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_token"


def test_userinfo_with_a_token_without_openid_is_403_insufficient_scope(client, login, user):
    tokens = login(user)  # the Ember app's password grant: read write

    response = client.get("/oauth/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert response.status_code == 403
    assert response["WWW-Authenticate"].startswith('Bearer realm="oauth", error="insufficient_scope"')
    assert response["WWW-Authenticate"].endswith(', scope="openid"')
    assert response.json()["error"] == "insufficient_scope"
    assert b"alice@example.com" not in response.content


# --- Asking for a fresh sign-in: prompt=login, max_age ------------------------------------------


def oidc_authorize_url(**extra):
    return authorize_url(
        client_id="relying-party", redirect_uri=RP_REDIRECT_URI, scope="openid email", nonce=NONCE, **extra
    )


@pytest.mark.parametrize("extra", [{"prompt": "login"}, {"max_age": "3600"}, {"max_age": "0"}])
def test_a_fresh_sign_in_ends_the_session_and_returns_without_the_request(client, relying_party, user, extra):
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=2))

    response = client.get(oidc_authorize_url(**extra))

    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    assert "prompt" not in next_url and "max_age" not in next_url
    signed_in = client.post(login_url, {"username": user.email, "password": PASSWORD, "next": next_url})
    assert signed_in["Location"] == next_url
    assert client.get(next_url).status_code == 200  # the consent page, no second login


def test_a_recent_sign_in_satisfies_max_age(client, relying_party, user):
    client.force_login(user)

    response = client.get(oidc_authorize_url(max_age="3600"))

    assert response.status_code == 200  # the consent page
    assert client.session["_auth_user_id"] == str(user.pk)


def test_prompt_none_without_a_session_returns_login_required_with_the_issuer(client, relying_party):
    response = client.get(oidc_authorize_url(prompt="none"))

    assert response.status_code == 302
    assert response["Location"].startswith(RP_REDIRECT_URI + "?")
    assert query_of(response) == {"error": "login_required", "state": "xyz", "iss": "http://testserver"}


def test_prompt_none_for_an_app_not_yet_allowed_returns_consent_required(client, relying_party, user):
    client.force_login(user)

    response = client.get(oidc_authorize_url(prompt="none"))

    assert response.status_code == 302
    assert response["Location"].startswith(RP_REDIRECT_URI + "?")
    assert query_of(response) == {"error": "consent_required", "state": "xyz", "iss": "http://testserver"}


def test_prompt_none_with_an_expired_max_age_returns_login_required(client, sign_in, user):
    sign_in(user)
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=2))

    response = client.get(oidc_authorize_url(prompt="none", max_age="60"))

    assert query_of(response) == {"error": "login_required", "state": "xyz", "iss": "http://testserver"}
    assert client.session["_auth_user_id"] == str(user.pk)


def test_prompt_none_for_an_allowed_app_signs_in_silently(client, sign_in, user):
    sign_in(user)

    response = client.get(oidc_authorize_url(prompt="none"))

    assert response.status_code == 302
    answer = query_of(response)
    assert answer["code"] and answer["state"] == "xyz" and answer["iss"] == "http://testserver"


def test_prompt_login_for_an_unknown_client_is_an_error_not_a_logout(client, user):
    client.force_login(user)

    response = client.get(authorize_url(client_id="nobody", prompt="login"))

    assert response.status_code == 400
    assert client.session["_auth_user_id"] == str(user.pk)


def test_auth_time_is_the_fresh_sign_in(client, relying_party, token_request, user):
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=2))
    login_url = client.get(oidc_authorize_url(prompt="login"))["Location"]
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    client.post(login_url, {"username": user.email, "password": PASSWORD, "next": next_url})

    code = query_of(consent(client, next_url))["code"]
    tokens = token_request(
        headers={"Authorization": basic_auth("relying-party", relying_party.secret)},
        grant_type="authorization_code",
        code=code,
        redirect_uri=RP_REDIRECT_URI,
        code_verifier=VERIFIER,
    ).json()
    _, claims = verified_claims(tokens["id_token"], jwks(client))

    user.refresh_from_db()
    assert claims["auth_time"] == int(user.last_login.timestamp())
    assert user.last_login > timezone.now() - timedelta(hours=1)  # the sign-in of this test, not the old one


# --- Only OpenID Connect clients get OpenID Connect scopes ------------------------------------


def test_the_password_client_cannot_get_openid_so_its_refresh_cannot_fail(token_request, ember_app, user, login):
    asked = token_request(
        grant_type="password",
        username=user.email,
        password="correct-horse-battery-staple",
        client_id="ember-app",
        scope="openid",
    )
    tokens = login(user)
    refreshed = token_request(
        grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id="ember-app", scope="openid read"
    )

    assert asked.status_code == 400 and asked.json()["error"] == "invalid_scope"
    assert tokens["scope"] == "read write" and "id_token" not in tokens
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_scope"


def test_a_client_without_an_algorithm_cannot_ask_for_openid(client, spa_app, user):
    client.force_login(user)

    response = client.get(authorize_url(scope="openid read"))

    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_scope"


def test_refresh_gives_an_oidc_client_a_new_id_token(client, sign_in, token_request, relying_party, user):
    tokens = sign_in(user)

    response = token_request(
        headers={"Authorization": basic_auth("relying-party", relying_party.secret)},
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
    )

    assert response.status_code == 200, response.content
    refreshed = response.json()
    _, claims = verified_claims(refreshed["id_token"], jwks(client))
    assert claims["sub"] == str(user.pk)
    assert claims["at_hash"] == half_hash(refreshed["access_token"])


# --- RP-Initiated Logout -----------------------------------------------------------------------


def test_logout_with_id_token_hint_ends_the_session_and_returns_to_the_registered_uri(client, sign_in, user, login):
    ember_tokens = login(user)
    id_token = sign_in(user)["id_token"]

    response = client.get(
        "/oauth/logout", {"id_token_hint": id_token, "post_logout_redirect_uri": RP_LOGGED_OUT_URI, "state": "s1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{RP_LOGGED_OUT_URI}?state=s1"
    assert "_auth_user_id" not in client.session
    assert not AccessToken.objects.filter(application__client_id="relying-party").exists()
    # The Ember app's own sign-in is not this logout's business.
    assert stored_access_tokens(ember_tokens["access_token"]).exists()


@pytest.mark.parametrize(
    "uri",
    [
        "https://rp.example.com/logged-out/",
        "https://rp.example.com/logged-out?next=/",
        "https://evil.example.com/logged-out",
        "http://rp.example.com/logged-out",
    ],
)
def test_logout_refuses_a_post_logout_redirect_uri_that_is_not_an_exact_match(client, sign_in, user, uri):
    id_token = sign_in(user)["id_token"]

    response = client.get("/oauth/logout", {"id_token_hint": id_token, "post_logout_redirect_uri": uri})

    assert response.status_code == 400
    assert "Location" not in response
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_with_a_forged_id_token_hint_is_refused(client, sign_in, user):
    header, payload, signature = sign_in(user)["id_token"].split(".")

    response = client.get("/oauth/logout", {"id_token_hint": f"{header}.{payload}.{signature[:-4]}AAAA"})

    assert response.status_code == 400
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_without_a_hint_asks_the_user_first(client, user):
    client.force_login(user)

    page = client.get("/oauth/logout")

    assert page.status_code == 200
    assert b'name="allow"' in page.content
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_logout_question_keeps_or_ends_the_session_as_answered(client, sign_in, user):
    id_token = sign_in(user)["id_token"]
    other = type(user).objects.create_user("bob@example.com", PASSWORD)
    client.force_login(other)  # the hint names Alice, so Bob is asked
    form = {"id_token_hint": id_token, "post_logout_redirect_uri": RP_LOGGED_OUT_URI}

    assert b'name="allow"' in client.get("/oauth/logout", form).content
    stayed = client.post("/oauth/logout", form)
    assert stayed.status_code == 400 and client.session["_auth_user_id"] == str(other.pk)
    left = client.post("/oauth/logout", form | {"allow": "Logout"})
    assert left.status_code == 302 and left["Location"] == RP_LOGGED_OUT_URI
    assert "_auth_user_id" not in client.session


# --- Registering relying parties ------------------------------------------------------------


def test_createclient_oidc_registers_an_rs256_client_with_logout_uris(capsys):
    call_command(
        "createclient",
        "Wiki",
        "--client-id=wiki",
        "--confidential",
        "--grant-type=authorization-code",
        "--redirect-uri=https://wiki.example.com/oidc/callback/",
        "--oidc",
        "--post-logout-redirect-uri=https://wiki.example.com/",
    )

    application = Application.objects.get(client_id="wiki")
    assert application.algorithm == "RS256"
    assert application.post_logout_redirect_uris == "https://wiki.example.com/"
    assert "RS256" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments, complaint",
    [
        (["--grant-type=password", "--oidc"], "authorization-code"),
        (
            [
                "--grant-type=authorization-code",
                "--redirect-uri=https://x.example.com/cb",
                "--post-logout-redirect-uri=https://x.example.com/",
            ],
            "OpenID Connect",
        ),
        (
            [
                "--grant-type=authorization-code",
                "--redirect-uri=https://x.example.com/cb",
                "--oidc",
                "--post-logout-redirect-uri=javascript:alert(1)",
            ],
            "post_logout_redirect_uris",
        ),
    ],
)
def test_createclient_refuses_inconsistent_oidc_registrations(arguments, complaint):
    with pytest.raises(CommandError, match=complaint):
        call_command("createclient", "X", "--client-id=x", "--public", *arguments)

    assert not Application.objects.filter(client_id="x").exists()


def test_admin_offers_only_the_grants_and_algorithms_this_server_serves(admin_client):
    page = admin_client.get("/admin/oauth2_provider/application/add/")

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert [value for value, _ in form.fields["authorization_grant_type"].choices] == [
        "authorization-code",
        "password",
        "client-credentials",
    ]
    assert [value for value, _ in form.fields["algorithm"].choices] == ["", "RS256"]


def test_admin_registers_an_oidc_client_and_refuses_rs256_on_another_grant(admin_client):
    data = {
        "client_id": "crm",
        "client_secret": "a-long-enough-secret-for-the-test-only",
        "hash_client_secret": "on",
        "client_type": "confidential",
        "redirect_uris": "https://crm.example.com/cb",
        "post_logout_redirect_uris": "https://crm.example.com/",
        "allowed_origins": "",
        "name": "CRM",
        "algorithm": "RS256",
    }

    refused = admin_client.post(
        "/admin/oauth2_provider/application/add/", data | {"authorization_grant_type": "password"}
    )
    accepted = admin_client.post(
        "/admin/oauth2_provider/application/add/", data | {"authorization_grant_type": "authorization-code"}
    )

    assert refused.status_code == 200
    assert (
        "OpenID Connect clients use the authorization-code grant."
        in refused.context["adminform"].form.errors["algorithm"]
    )
    assert accepted.status_code == 302, accepted.context["adminform"].form.errors
    assert Application.objects.get(client_id="crm").algorithm == "RS256"
