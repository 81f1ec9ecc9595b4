"""
Settings for the authsite project: one module, every value that differs between
machines read from the environment (django-environ), with defaults that are
safe for development on a laptop.

Production sets at least DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
the README has the full table.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)


def _development_secret_key():
    """Generate a key once per checkout, kept in a git-ignored file, never in code."""
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if "SECRET_KEY" in env:
    SECRET_KEY = env.str("SECRET_KEY")
elif DEBUG:
    SECRET_KEY = _development_secret_key()
else:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "accounts",
    "oauth",
    "api",
    "social_login",
    "flask_import",
    "audit",
    "throttling",
    "metrics",
    "security",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves files the way gunicorn will.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "oauth2_provider",
    "rest_framework",
    "rest_framework_json_api",
    "drf_spectacular",
    "django_filters",
    "social_django",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "authsite.middleware.CSPMiddleware",
    "authsite.middleware.WhiteNoiseMiddleware",
    "metrics.middleware.RequestMetricsMiddleware",  # after whitenoise: Django's answers, not files
    "authsite.middleware.CorsMiddleware",
    "authsite.middleware.DatabaseUnavailableMiddleware",  # inside CORS, so a browser app can read its 503
    "api.middleware.SessionMiddleware",  # these three: Django's, minus /api/ (bearer tokens only)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "api.middleware.AuthenticationMiddleware",
    "api.middleware.MessageMiddleware",
    "throttling.middleware.DeviceCookieMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "authsite.urls"
WSGI_APPLICATION = "authsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "authsite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A persistent connection is checked before each request reuses it: no 500 after a database
# restart, for one round trip per request on PostgreSQL (turn off behind a pooler that checks).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # psycopg prepares a statement the first time it is sent bound on the server, which only the
    # hot paths' statements are (oauth/statements.py): they are planned once per connection, not
    # at every request. Off behind a pooler that cannot carry prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with writers waiting their turn on a lock file (authsite/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "authsite.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        # Token writes take the write lock when the transaction starts instead of upgrading
        # a read lock half-way, which is what turns concurrent refreshes into "database is
        # locked" (select_for_update is a no-op on SQLite); WAL lets readers carry on.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so the live-server tests see the same database from every thread
    # (one per test run, so two runs on one machine do not share it).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"authsite-test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

# One server needs no cache service: Django's per-process memory cache. Several app servers
# share one Redis (CACHE_URL=redis://host:6379/1), and the sign-in throttle's counters go there.
if "CACHE_URL" in env:
    CACHES = {"default": env.cache_url("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # A Redis that does not answer costs a sign-in at most this long, never a hung worker.
        timeout = env.float("CACHE_TIMEOUT", default=0.5)
        CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=timeout, socket_timeout=timeout)

# --- Accounts ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "admin:index"

# The throttle's gate (it refuses before any password is hashed), passwords, then the
# sign-in providers of social_login (social-auth backends: Google).
AUTHENTICATION_BACKENDS = [
    "throttling.backends.ThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
    "social_login.backends.GoogleOAuth2",
]

# Argon2id at OWASP's parameters first; the others stay so older hashes verify and are
# upgraded on login (sha256_crypt: passlib hashes brought over from the Flask design by
# import_flask_authlib). The client-secret hasher is listed only so stored client secrets are
# recognised (django-oauth-toolkit identifies them by prefix); it must never come first.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "flask_import.hashers.SHA256CryptPasswordHasher",
    "oauth.hashers.ClientSecretHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Bounded password guessing (throttling, on django-axes) ---------------------------------

# One address and one account: this many consecutive failures lock the pair for SIGNIN_COOL_OFF
# seconds; each further failure until a success locks it again for twice as long, at most
# SIGNIN_MAX_COOL_OFF.
SIGNIN_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_COOL_OFF = env.int("SIGNIN_COOL_OFF", default=60)
SIGNIN_MAX_COOL_OFF = env.int("SIGNIN_MAX_COOL_OFF", default=3600)
# One address, any accounts (credential stuffing): failures per window, then the address is refused.
SIGNIN_ADDRESS_LIMIT = env.int("SIGNIN_ADDRESS_LIMIT", default=30)
SIGNIN_ADDRESS_WINDOW = env.int("SIGNIN_ADDRESS_WINDOW", default=600)
# One account, any addresses: failures per window, then the account is refused to browsers
# without its device cookie.
SIGNIN_ACCOUNT_LIMIT = env.int("SIGNIN_ACCOUNT_LIMIT", default=100)
SIGNIN_ACCOUNT_WINDOW = env.int("SIGNIN_ACCOUNT_WINDOW", default=3600)
# Reverse proxies in front of the app that append to X-Forwarded-For; 0 reads REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
DEVICE_COOKIE_NAME = "device"
DEVICE_COOKIE_AGE = env.int("DEVICE_COOKIE_AGE", default=365 * 24 * 3600)

# Where the failures are counted: "database" (django-axes's AccessAttempt rows) or "cache"
# (the shared cache, Redis: throttling/cache_handler.py). The cache when CACHE_URL is set.
SIGNIN_COUNTERS = env.str("SIGNIN_COUNTERS", default="cache" if "CACHE_URL" in env else "database")
if SIGNIN_COUNTERS not in ("database", "cache"):
    raise ImproperlyConfigured('SIGNIN_COUNTERS must be "database" or "cache".')

# django-axes gates authenticate() and records failures through the handler; throttling decides
# with the limits above, whichever handler counts.
AXES_HANDLER = {
    "database": "throttling.handlers.ThrottlingHandler",
    "cache": "throttling.cache_handler.ThrottlingCacheHandler",
}[SIGNIN_COUNTERS]
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a success clears
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused attempt is not a failure
# How long a failure is remembered without a new one (axes deletes older rows).
AXES_COOLOFF_TIME = timedelta(seconds=env.int("SIGNIN_FORGET_AFTER", default=24 * 3600))
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "throttling.handlers.username_tried"
AXES_CLIENT_IP_CALLABLE = "throttling.addresses.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are the audit trail's to record
AXES_ENABLE_ADMIN = False  # throttling.admin registers the list of failures
AXES_VERBOSE = False

# --- OAuth 2 (django-oauth-toolkit) ------------------------------------------------------

ACCESS_TOKEN_LIFETIME = env.int("ACCESS_TOKEN_LIFETIME", default=3600)
REFRESH_TOKEN_LIFETIME = env.int("REFRESH_TOKEN_LIFETIME", default=2 * ACCESS_TOKEN_LIFETIME)
# Seconds a rotated refresh token still answers with the pair that replaced it (two tabs
# refreshing at once), from a copy sealed under the old token (oauth/grace.py).
REFRESH_TOKEN_GRACE_PERIOD = env.int("REFRESH_TOKEN_GRACE_PERIOD", default=10)
if REFRESH_TOKEN_LIFETIME < 2 * ACCESS_TOKEN_LIFETIME:
    raise ImproperlyConfigured("REFRESH_TOKEN_LIFETIME must be at least twice ACCESS_TOKEN_LIFETIME.")


def _development_oidc_key():
    """Generate an RSA signing key once per checkout, kept in a git-ignored file like `.secret_key`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_file = BASE_DIR / ".oidc_key.pem"
    if not key_file.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Created readable by the owner only, never for a moment by anyone else.
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(pem)
    return key_file.read_text()


# The RSA key that signs ID tokens (PEM): the variable itself, or a file it names.
if "OIDC_RSA_PRIVATE_KEY" in env:
    OIDC_RSA_PRIVATE_KEY = env.str("OIDC_RSA_PRIVATE_KEY", multiline=True)
elif "OIDC_RSA_PRIVATE_KEY_FILE" in env:
    OIDC_RSA_PRIVATE_KEY = Path(env.str("OIDC_RSA_PRIVATE_KEY_FILE")).read_text()
elif DEBUG:
    OIDC_RSA_PRIVATE_KEY = _development_oidc_key()
else:
    raise ImproperlyConfigured(
        "OIDC_RSA_PRIVATE_KEY or OIDC_RSA_PRIVATE_KEY_FILE must be set in the environment when DEBUG is off."
    )
# Keys published in the JWKS but not used to sign (PEM files): a retired key until the ID tokens
# it signed have expired, or the next key ahead of a rotation (see the README on rotation).
OIDC_RSA_INACTIVE_KEYS = [Path(name).read_text() for name in env.list("OIDC_RSA_INACTIVE_KEY_FILES", default=[])]

OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read your profile and the users you may see",
        "write": "Change your profile",
        "introspection": "Introspect tokens (resource servers only)",
        # OpenID Connect: only clients registered with a signing algorithm may ask for these.
        "openid": "Sign you in with your account",
        "email": "See your email address",
        "profile": "See your name",
    },
    "DEFAULT_SCOPES": ["read", "write"],
    "SCOPES_BACKEND_CLASS": "oauth.scopes.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "oauth.validators.OAuth2Validator",
    "OAUTH2_BACKEND_CLASS": "oauth.backends.OAuthLibCore",
    # Client secrets are long random strings the server made: a fast salted HMAC, not Argon2.
    "CLIENT_SECRET_HASHER": "client_secret_hmac_sha256",
    "ACCESS_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_LIFETIME,
    # DOT counts a refresh token's age from the moment its access token expires, so the
    # lifetime from issue is the access token's plus this.
    "REFRESH_TOKEN_EXPIRE_SECONDS": REFRESH_TOKEN_LIFETIME - ACCESS_TOKEN_LIFETIME,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # DOT's grace period hands back the stored plain tokens, which hashed storage no longer
    # keeps: REFRESH_TOKEN_GRACE_PERIOD above (oauth/grace.py) does that job instead.
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
    "ALLOWED_SCHEMES": ["https", "http"] if DEBUG else ["https"],  # of CORS origins
    "OIDC_ISS_ENDPOINT": env.str("OAUTH2_ISSUER", default=""),
    # RFC 9700, adopted now rather than when DOT 4.0 flips the defaults.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    # Access and refresh tokens are stored only as their SHA-256 checksum.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # A deliberate departure from RFC 9700, explained in the README: the first-party Ember
    # app logs in with the password grant.
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": False,
    # RFC 8414 metadata: what this server really accepts.
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token", "password", "client_credentials"],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post", "none"],
    # OpenID Connect: ID tokens signed with RS256 on the authorization-code flow, UserInfo,
    # and RP-Initiated Logout. The issuer is OIDC_ISS_ENDPOINT above, the same for every document.
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": OIDC_RSA_INACTIVE_KEYS,
    "ID_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_LIFETIME,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["public"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post", "none"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # An id_token_hint naming the signed-in user is proof enough; without one, the user is asked.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}

SILENCED_SYSTEM_CHECKS = [
    # The RFC 9700 departure above, made on purpose and documented.
    "oauth2_provider.W002",
    # No AxesMiddleware: each sign-in view answers a refusal itself (429 on /oauth/token).
    "axes.W002",
]
if DEBUG:
    # Plain-http redirect URIs are for local development only (see ALLOWED_REDIRECT_URI_SCHEMES).
    SILENCED_SYSTEM_CHECKS.append("oauth2_provider.W008")

# --- Sign in with Google (social-auth-app-django) ----------------------------------------

# The browser app sends the user to Google and posts the code it gets back to
# /oauth/social/google-oauth2; without a key and a secret the provider is off.
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env.str("GOOGLE_OAUTH2_KEY", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env.str("GOOGLE_OAUTH2_SECRET", default="")
# Google's own endpoints unless these are set (a stand-in provider for tests, a proxy).
if "GOOGLE_OAUTH2_AUTHORIZATION_URL" in env:
    SOCIAL_AUTH_GOOGLE_OAUTH2_AUTHORIZATION_URL = env.str("GOOGLE_OAUTH2_AUTHORIZATION_URL")
if "GOOGLE_OAUTH2_TOKEN_URL" in env:
    SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL = env.str("GOOGLE_OAUTH2_TOKEN_URL")
if "GOOGLE_OAUTH2_USERINFO_URL" in env:
    SOCIAL_AUTH_GOOGLE_OAUTH2_USERINFO_URL = env.str("GOOGLE_OAUTH2_USERINFO_URL")
# Seconds to wait for each answer from a provider before telling the app to try again later.
SOCIAL_AUTH_REQUESTS_TIMEOUT = env.float("SOCIAL_AUTH_TIMEOUT", default=5.0)

SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_login.pipeline.fit_names",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    # Before anything looks accounts up by email: no verified email, no sign-in.
    "social_login.pipeline.require_verified_email",
    "social_core.pipeline.social_auth.social_user",
    "social_core.pipeline.social_auth.associate_by_email",
    "social_core.pipeline.user.create_user",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.user.user_details",
    # No load_extra_data: the provider's own tokens are not needed after sign-in, so not kept.
]
SOCIAL_AUTH_USER_FIELDS = ["email", "first_name", "last_name"]
# The provider fills in names only while they are empty: edits made in the app stay.
SOCIAL_AUTH_IMMUTABLE_USER_FIELDS = ["first_name", "last_name"]

# --- API (DRF + JSON:API) ----------------------------------------------------------------

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.UserTokenHasReadWriteScope"],
    # djangorestframework-jsonapi's page-number pagination, plus its shape in the OpenAPI document.
    "DEFAULT_PAGINATION_CLASS": "drf_spectacular_jsonapi.schemas.pagination.JsonApiPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_METADATA_CLASS": "rest_framework_json_api.metadata.JSONAPIMetadata",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JSONAPINegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        "rest_framework_json_api.filters.QueryParameterValidationFilter",
        "rest_framework_json_api.filters.OrderingFilter",
        "rest_framework_json_api.django_filters.DjangoFilterBackend",
    ],
    "SEARCH_PARAM": "filter[search]",
    "TEST_REQUEST_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "vnd.api+json",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "api.schema.JsonApiAutoSchema",
}
JSON_API_FORMAT_FIELD_NAMES = "dasherize"
JSON_API_FORMAT_TYPES = "dasherize"
JSON_API_PLURALIZE_TYPES = True
JSON_API_UNIFORM_EXCEPTIONS = True

# The OpenAPI 3 document served at /api/schema (drf-spectacular, with drf-spectacular-jsonapi's
# JSON:API shapes): public, like the RFC 8414 metadata.
SPECTACULAR_SETTINGS = {
    "TITLE": "authsite API",
    "DESCRIPTION": "The JSON:API resources of authsite: users, and the security page's resources.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.document_errors"],
}

# --- Cross-origin (django-cors-headers) --------------------------------------------------

CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS",
    default=["http://localhost:4200", "http://127.0.0.1:4200"] if DEBUG else [],
)
CORS_URLS_REGEX = r"^/(oauth/(token|revoke|userinfo|social(/[^/]+)?)|api/.*)$"
CORS_PREFLIGHT_MAX_AGE = 3600
CORS_EXPOSE_HEADERS = ["WWW-Authenticate"]  # so a browser app can read why a 401 happened

# --- Static files (whitenoise) -----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "authsite" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- The Ember app (frontend/) ------------------------------------------------------------

# Its production build (`npm run build`), served at the site's root: whitenoise serves the
# files (/assets/…) and authsite.views.ember_app answers index.html for the app's routes.
EMBER_APP_DIR = BASE_DIR / "frontend" / "dist"
WHITENOISE_ROOT = EMBER_APP_DIR

# --- Security ----------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment browsers keep for months; it is for the operator to opt into.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy (django-csp) on every page: the Ember app, the login and consent
# pages and the admin load scripts, styles and images from this origin only and have no
# inline script or style; nothing may frame them, change their base URL or embed plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging: never the request bodies (they carry passwords and tokens) ---------------------

# The audit trail (audit/) writes one JSON document per line to `authsite.audit`, on its own:
# to AUDIT_LOG_FILE when set (reopened after logrotate moves it), otherwise to stderr.
AUDIT_LOG_FILE = env.str("AUDIT_LOG_FILE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit": {"format": "%(message)s"}},
    "filters": {"refused_sign_ins": {"()": "throttling.log_filters.DropRefusedSignIns"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": (
            {"class": "logging.handlers.WatchedFileHandler", "filename": AUDIT_LOG_FILE, "formatter": "audit"}
            if AUDIT_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "audit"}
        ),
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # DOT logs client ids and token-flow details at DEBUG; keep it at WARNING.
        "oauth2_provider": {"level": "WARNING"},
        "oauthlib": {"level": "WARNING"},
        "authsite.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        # axes logs every failed sign-in at INFO and WARNING; the audit trail records them.
        "axes": {"level": "ERROR"},
        # Not a line per refused guess (throttling/log_filters.py).
        "django.request": {"filters": ["refused_sign_ins"]},
    },
}

# Days an audit event is kept; `manage.py pruneaudit` deletes older ones.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

# --- Metrics (metrics/, Prometheus) -----------------------------------------------------------

# The bearer token a Prometheus scraper sends to GET /metrics; without one the endpoint answers 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters (a random string).")
# Request counts and latencies (the only metrics that cost something on every request).
if not env.bool("METRICS_REQUESTS", default=True):
    MIDDLEWARE.remove("metrics.middleware.RequestMetricsMiddleware")

TEST_RUNNER = "authsite.test_runner.PytestTestRunner"
