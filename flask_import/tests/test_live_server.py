"""The imported clients and tokens, used by Authlib's own OAuth client against a running server."""

import requests
from authlib.integrations.requests_client import OAuth2Session


def test_authlib_clients_carry_on_after_the_import(live_server, flask_design, run_import):
    run_import(flask_design.url, "--tokens")
    token_endpoint = f"{live_server.url}/oauth/token"

    # Sessions closed at the end: a kept-alive connection would keep its server thread, and that
    # thread's database connection, open past the test.
    with OAuth2Session("reports-service", flask_design.reports_secret) as service:  # client_secret_basic
        assert service.fetch_token(token_endpoint, grant_type="client_credentials")["token_type"] == "Bearer"

    with OAuth2Session("ember-flask", token_endpoint_auth_method="none") as app:
        fresh = app.refresh_token(token_endpoint, refresh_token=flask_design.bob_tokens["refresh_token"])
        me = requests.get(
            f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}, timeout=10
        )
        assert me.json()["data"]["attributes"]["email"] == "bob@example.com"

        signed_in = app.fetch_token(
            token_endpoint, grant_type="password", username="bob@example.com", password="bob-in-flask"
        )
        assert signed_in["refresh_token"]
