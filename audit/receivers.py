"""
The audit trail listens: each receiver turns one signal of the apps that act into one event.
Connected in AuditConfig.ready().
"""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from oauth2_provider.models import get_application_model
from social_django.models import UserSocialAuth

from accounts import signals as account_signals
from oauth import signals as oauth_signals
from social_login import signals as social_signals
from throttling.addresses import client_ip
from throttling.backends import refusal_of
from throttling.signals import attempt_refused

from .models import Event, Kind

# Seconds between two records of the same refusal (address, email tried, reason) during a storm.
REFUSALS_RECORDED_EVERY = 60
UNKNOWN_ACCOUNT, WRONG_PASSWORD, INACTIVE_ACCOUNT = "unknown_account", "wrong_password", "inactive_account"


def _client_id(client):
    return client.client_id if client is not None else ""


def _account(email):
    """(primary key, is_active) of the account `email` names, or None: one indexed read."""
    User = get_user_model()
    lookup = {User.USERNAME_FIELD: User.normalize_username(email)}
    return User._default_manager.filter(**lookup).values_list("pk", "is_active").first()


def signed_in(sender, request, user, **kwargs):
    """A session sign-in: the login page (authorization-code flow) or the admin's."""
    Event.objects.record(Kind.SIGNED_IN, request=request, user_id=user.pk)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    """
    A password that did not sign anyone in, on the login pages or the password grant (DOT's
    validator calls authenticate()). The reason comes from the account, never the password: an
    inactive account is reported as such whatever the password was.
    """
    email = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    if not isinstance(email, str):
        return  # not a password sign-in (a provider's backend); its view reports it
    if request is not None and refusal_of(request) is not None:
        return  # refused before its password was checked: sign_in_refused records it
    account = _account(email)
    if account is None:
        user_id, reason = None, UNKNOWN_ACCOUNT
    else:
        user_id, reason = account[0], WRONG_PASSWORD if account[1] else INACTIVE_ACCOUNT
    Event.objects.record(
        Kind.SIGN_IN_FAILED,
        request=request,
        user_id=user_id,
        email=email,
        client_id=_client_id(getattr(request, "oauth2_client", None)),
        detail=reason,
    )


def provider_sign_in_failed(sender, request, provider, client, user, reason, **kwargs):
    """A sign-in with another provider that the provider or this server refused."""
    Event.objects.record(
        Kind.SIGN_IN_FAILED,
        request=request,
        user_id=user.pk if user is not None else None,
        email=user.email if user is not None else "",
        client_id=_client_id(client),
        grant_type=provider,
        detail=reason,
    )


def sign_in_refused(sender, request, username, reason, retry_after=None, **kwargs):
    """
    A sign-in refused by throttling before its password was checked: recorded once a minute per
    address, email tried and reason, so that a guessing storm does not write one row per guess.
    """
    seen = hashlib.sha256(f"{client_ip(request) if request else ''}|{username}|{reason}".encode()).hexdigest()
    if not cache.add(f"audit:refused:{seen}", True, timeout=REFUSALS_RECORDED_EVERY):
        return
    account = _account(username or "")
    Event.objects.record(
        Kind.SIGN_IN_REFUSED,
        request=request,
        user_id=account[0] if account else None,
        email=username or "",
        client_id=_client_id(getattr(request, "oauth2_client", None)),
        detail=reason,
    )


def tokens_issued(sender, request, user_id, client, grant_type, token_family, **kwargs):
    kind = Kind.TOKENS_REFRESHED if grant_type == "refresh_token" else Kind.TOKENS_ISSUED
    Event.objects.record(
        kind,
        request=request,
        user_id=user_id,
        client_id=_client_id(client),
        grant_type=grant_type,
        token_family=token_family,
    )


def token_revoked(sender, request, user_id, client, token_family, **kwargs):
    Event.objects.record(
        Kind.TOKEN_REVOKED, request=request, user_id=user_id, client_id=_client_id(client), token_family=token_family
    )


def refresh_token_reused(sender, request, user_id, client, token_family, **kwargs):
    Event.objects.record(
        Kind.REFRESH_TOKEN_REUSED,
        request=request,
        user_id=user_id,
        client_id=_client_id(client),
        token_family=token_family,
    )


def consent_decided(sender, request, user_id, client, allowed, scopes, **kwargs):
    Event.objects.record(
        Kind.CONSENT_GIVEN if allowed else Kind.CONSENT_DENIED,
        request=request,
        user_id=user_id,
        client_id=_client_id(client),
        detail=" ".join(scopes),
    )


def client_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """Every way a client is registered or changed: the admin, `createclient`, a secret upgrade."""
    if raw:
        return  # loaddata
    Event.objects.record(
        Kind.CLIENT_REGISTERED if created else Kind.CLIENT_CHANGED,
        user_id=instance.user_id,
        client_id=instance.client_id,
        detail=", ".join(sorted(update_fields or ())),
    )


def client_deleted(sender, instance, **kwargs):
    Event.objects.record(Kind.CLIENT_DELETED, user_id=instance.user_id, client_id=instance.client_id)


def provider_linked(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Event.objects.record(Kind.PROVIDER_LINKED, user_id=instance.user_id, detail=instance.provider)


def provider_unlinked(sender, instance, **kwargs):
    Event.objects.record(Kind.PROVIDER_UNLINKED, user_id=instance.user_id, detail=instance.provider)


def password_changed(sender, user, **kwargs):
    Event.objects.record(Kind.PASSWORD_CHANGED, user_id=user.pk)


def account_deactivated(sender, user, **kwargs):
    Event.objects.record(Kind.ACCOUNT_DEACTIVATED, user_id=user.pk)


def connect():
    Application = get_application_model()
    connections = [
        (user_logged_in, signed_in, None),
        (user_login_failed, sign_in_failed, None),
        (social_signals.sign_in_failed, provider_sign_in_failed, None),
        (attempt_refused, sign_in_refused, None),
        (oauth_signals.tokens_issued, tokens_issued, None),
        (oauth_signals.token_revoked, token_revoked, None),
        (oauth_signals.refresh_token_reused, refresh_token_reused, None),
        (oauth_signals.consent_decided, consent_decided, None),
        (post_save, client_saved, Application),
        (post_delete, client_deleted, Application),
        (post_save, provider_linked, UserSocialAuth),
        (post_delete, provider_unlinked, UserSocialAuth),
        (account_signals.password_changed, password_changed, None),
        (account_signals.account_deactivated, account_deactivated, None),
    ]
    for signal, receiver, sender in connections:
        signal.connect(receiver, sender=sender, dispatch_uid=f"audit.{receiver.__name__}")
