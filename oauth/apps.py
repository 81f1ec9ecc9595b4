from django.apps import AppConfig


class OAuthConfig(AppConfig):
    name = "oauth"
    label = "oauth"
    verbose_name = "OAuth 2 server"

    def ready(self):
        from . import hashers  # noqa: F401  (registers the client-secret hasher's system check)
