"""A relying party signing its users in with the provider at OP_URL (mozilla-django-oidc)."""

import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "rpsite.urls"
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "mozilla_django_oidc",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["RP_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Cookies ignore ports: names of its own, so the provider's session on the same machine is not overwritten.
SESSION_COOKIE_NAME = "rp_sessionid"
CSRF_COOKIE_NAME = "rp_csrftoken"

AUTHENTICATION_BACKENDS = ["mozilla_django_oidc.auth.OIDCAuthenticationBackend"]
LOGIN_REDIRECT_URL = "/whoami"
LOGOUT_REDIRECT_URL = "/whoami"

OP_URL = os.environ["OP_URL"]
OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"]
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{OP_URL}/oauth/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{OP_URL}/oauth/token"
OIDC_OP_USER_ENDPOINT = f"{OP_URL}/oauth/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{OP_URL}/oauth/jwks"
OIDC_OP_LOGOUT_ENDPOINT = f"{OP_URL}/oauth/logout"  # read by rpsite.views.provider_logout_url
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the logout
OIDC_OP_LOGOUT_URL_METHOD = "rpsite.views.provider_logout_url"
ALLOW_LOGOUT_GET_METHOD = True
