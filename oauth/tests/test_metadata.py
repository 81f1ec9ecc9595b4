import pytest

pytestmark = pytest.mark.django_db


def test_authorization_server_metadata(client):
    response = client.get("/.well-known/oauth-authorization-server")

    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == "http://testserver"
    assert metadata["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert metadata["token_endpoint"] == "http://testserver/oauth/token"
    assert metadata["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert metadata["introspection_endpoint"] == "http://testserver/oauth/introspect"
    assert metadata["response_types_supported"] == ["code"]
    assert sorted(metadata["grant_types_supported"]) == [
        "authorization_code",
        "client_credentials",
        "password",
        "refresh_token",
    ]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert "none" in metadata["token_endpoint_auth_methods_supported"]
    assert "none" not in metadata["introspection_endpoint_auth_methods_supported"]
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert sorted(metadata["scopes_supported"]) == ["email", "introspection", "openid", "profile", "read", "write"]
