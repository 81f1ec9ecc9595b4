from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import SettingsScopes

INTROSPECTION_SCOPE = "introspection"


def is_resource_server(application):
    """Resource servers are confidential clients that act for themselves (client_credentials)."""
    return (
        application.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
        and application.authorization_grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS
    )


class ClientScopes(SettingsScopes):
    """
    Changes which scopes a client may hold: DOT's settings backend hands any defined scope,
    `introspection` included, to any client that asks; here only resource servers get it.
    """

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        scopes = super().get_available_scopes(application, request, *args, **kwargs)
        if application is None or is_resource_server(application):
            return scopes
        return [scope for scope in scopes if scope != INTROSPECTION_SCOPE]
