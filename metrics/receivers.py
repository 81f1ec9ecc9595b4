"""
The counters listen to the same signals as the audit trail (audit/receivers.py): one
increment per event, no database query. Connected in MetricsConfig.ready().
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed

from oauth import signals as oauth_signals
from social_login import signals as social_signals
from throttling.backends import refusal_of
from throttling.signals import attempt_refused

from . import instruments

PASSWORD_GRANT, LOGIN_PAGE, ADMIN, UNKNOWN = "password_grant", "login_page", "admin", "unknown"
SUCCESS, FAILURE, REFUSED = "success", "failure", "refused"
# Grants that are not a sign-in: refresh counts on its own, the others act for a client or
# complete a sign-in already counted on the login page.
NOT_SIGN_INS = {"refresh_token", "authorization_code", "client_credentials"}


def _client_id(client):
    return client.client_id if client is not None else ""


def sign_in_method(request):
    """Where a password was tried: the password grant (its request carries the client), the admin or the login page."""
    if request is None:
        return UNKNOWN
    if hasattr(request, "oauth2_client"):  # set by oauth.validators.OAuth2Validator.build_http_request
        return PASSWORD_GRANT
    match = request.resolver_match
    if match is not None and match.namespace == "oauth2_provider":  # refused by the token endpoint itself
        return PASSWORD_GRANT
    return ADMIN if match is not None and match.namespace == "admin" else LOGIN_PAGE


def signed_in(sender, request, user, **kwargs):
    """A session sign-in: the login page or the admin's (the grants report theirs on tokens_issued)."""
    instruments.SIGN_INS.labels(sign_in_method(request), SUCCESS).inc()


def sign_in_failed(sender, credentials, request=None, **kwargs):
    """A password that signed no one in; a refused attempt is counted by sign_in_refused instead."""
    if not isinstance(credentials.get("username"), str):
        return  # not a password sign-in (a provider's backend): provider_sign_in_failed counts it
    if request is not None and refusal_of(request) is not None:
        return
    instruments.SIGN_INS.labels(sign_in_method(request), FAILURE).inc()


def provider_sign_in_failed(sender, request, provider, client, user, reason, **kwargs):
    instruments.SIGN_INS.labels(provider, FAILURE).inc()


def sign_in_refused(sender, request, username, reason, **kwargs):
    method = sign_in_method(request)
    instruments.SIGN_INS.labels(method, REFUSED).inc()
    instruments.THROTTLE_REFUSALS.labels(method, reason).inc()


def tokens_issued(sender, request, user_id, client, grant_type, **kwargs):
    client_id = _client_id(client)
    if grant_type == "refresh_token":
        instruments.TOKENS_REFRESHED.labels(client_id).inc()
        return
    instruments.TOKENS_ISSUED.labels(client_id, grant_type).inc()
    if grant_type not in NOT_SIGN_INS:  # the password grant, or a provider's name
        instruments.SIGN_INS.labels(PASSWORD_GRANT if grant_type == "password" else grant_type, SUCCESS).inc()


def token_revoked(sender, request, user_id, client, **kwargs):
    instruments.TOKENS_REVOKED.labels(_client_id(client)).inc()


def refresh_token_reused(sender, request, user_id, client, **kwargs):
    instruments.REFRESH_TOKEN_REUSE.labels(_client_id(client)).inc()


def provider_exchanged(sender, provider, seconds, error, **kwargs):
    instruments.PROVIDER_EXCHANGE_DURATION.labels(provider).observe(seconds)
    if error is not None:
        instruments.PROVIDER_EXCHANGE_FAILURES.labels(provider, error).inc()


def connect():
    connections = [
        (user_logged_in, signed_in),
        (user_login_failed, sign_in_failed),
        (social_signals.sign_in_failed, provider_sign_in_failed),
        (social_signals.provider_exchanged, provider_exchanged),
        (attempt_refused, sign_in_refused),
        (oauth_signals.tokens_issued, tokens_issued),
        (oauth_signals.token_revoked, token_revoked),
        (oauth_signals.refresh_token_reused, refresh_token_reused),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"metrics.{receiver.__name__}")
