from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import SettingsScopes

INTROSPECTION_SCOPE = "introspection"
# OpenID Connect's scopes: asked for by a client without a signing algorithm, `openid` would
# make DOT sign an ID token with no key (a 500 on refresh), so only OIDC clients get them.
OIDC_SCOPES = {"openid", "email", "profile"}


def is_oidc_client(application):
    """OpenID Connect relying parties are the clients registered with an ID-token signing algorithm."""
    return application.algorithm != AbstractApplication.NO_ALGORITHM


def is_resource_server(application):
    """Resource servers are confidential clients that act for themselves (client_credentials)."""
    return (
        application.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
        and application.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS
    )


class ClientScopes(SettingsScopes):
    """
    Changes which scopes a client may hold: DOT's settings backend hands any defined scope
    to any client that asks; here only resource servers get `introspection`, and only
    OpenID Connect clients get `openid`, `email` and `profile`.
    """

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        scopes = super().get_available_scopes(application, request, *args, **kwargs)
        if application is None:
            return scopes
        refused = set()
        if not is_resource_server(application):
            refused.add(INTROSPECTION_SCOPE)
        if not is_oidc_client(application):
            refused |= OIDC_SCOPES
        return [scope for scope in scopes if scope not in refused]
