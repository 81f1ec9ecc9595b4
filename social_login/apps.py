from django.apps import AppConfig


class SocialLoginConfig(AppConfig):
    name = "social_login"
    verbose_name = "Sign-in with other providers"
