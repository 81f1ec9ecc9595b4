"""
Every metric the server exports, in one place (the README lists them). Label values come
from bounded sets only: URL pattern names, HTTP methods, status codes, registered client ids,
sign-in methods and reason codes; never a raw path, an address or an email.

prometheus_client picks its storage when it is first imported: shared files in
PROMETHEUS_MULTIPROC_DIR when that is set (under gunicorn, see authsite/gunicorn.conf.py),
otherwise this process's memory (runserver, tests, management commands).
"""

from prometheus_client import Counter, Histogram

# Seconds; the request and the provider exchange share them (a fast answer is a few ms).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "authsite_http_requests",
    "Requests answered, by URL pattern name, method and status code.",
    ["view", "method", "status"],
)
REQUEST_DURATION = Histogram(
    "authsite_http_request_duration_seconds",
    "Time from the request reaching Django's middleware to its answer, by URL pattern name.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
SIGN_INS = Counter(
    "authsite_sign_ins",
    "Sign-in attempts, by method (password_grant, login_page, admin, or a provider's name) and outcome.",
    ["method", "outcome"],
)
THROTTLE_REFUSALS = Counter(
    "authsite_throttle_refusals",
    "Sign-in attempts refused by throttling before their password was checked, by method and reason.",
    ["method", "reason"],
)
TOKENS_ISSUED = Counter(
    "authsite_tokens_issued",
    "Token responses to a sign-in or a grant other than refresh_token, by client and grant type.",
    ["client", "grant_type"],
)
TOKENS_REFRESHED = Counter("authsite_tokens_refreshed", "Refresh grants answered with new tokens.", ["client"])
TOKENS_REVOKED = Counter("authsite_tokens_revoked", "Live tokens revoked at /oauth/revoke.", ["client"])
REFRESH_TOKEN_REUSE = Counter(
    "authsite_refresh_token_reuse",
    "Rotated or revoked refresh tokens presented again; each revoked its whole family.",
    ["client"],
)
PROVIDER_EXCHANGE_DURATION = Histogram(
    "authsite_provider_exchange_duration_seconds",
    "Time to redeem a provider's authorization code: its token endpoint, its profile, the account lookup.",
    ["provider"],
    buckets=LATENCY_BUCKETS,
)
PROVIDER_EXCHANGE_FAILURES = Counter(
    "authsite_provider_exchange_failures",
    "Failed code exchanges with a provider, by social-core's error code.",
    ["provider", "reason"],
)
DATABASE_UNAVAILABLE = Counter(
    "authsite_database_unavailable",
    "Requests answered 503 because the database could not be reached.",
)


def count_database_unavailable():
    """Count one request answered 503 because the database was down."""
    DATABASE_UNAVAILABLE.inc()
