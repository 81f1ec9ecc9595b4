from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    """Bounds password guessing (django-axes plus this server's limits) and owns the device cookie."""

    name = "throttling"
    verbose_name = "Sign-in throttling"
