"""
Apps a user has allowed: what a "consent" is on this server.

DOT keeps no consent record. With REQUEST_APPROVAL_PROMPT "auto" the consent page is skipped
while the user holds a live access token for the app with the asked scopes, so a consent
lasts exactly as long as the app holds live tokens for the user. An authorization is
therefore an authorization-code app (never a first-party password client) with live tokens
of the user: its scopes are the union of those tokens' scopes, and it was granted at the last
consent_given event the audit trail has for it, or else when its earliest live sign-in began.
Withdrawing it ends every token and unused authorization code of the app for the user, so
the app's next authorization request shows the consent page again.
"""

from dataclasses import dataclass
from datetime import datetime

from oauth2_provider.models import AbstractApplication, get_grant_model

from audit.models import Event, Kind

from .sessions import end_session, live_refresh_tokens

Grant = get_grant_model()


@dataclass
class Authorization:
    id: str  # the application's client_id
    client_id: str
    client_name: str
    scopes: list
    granted_at: datetime


def _live_code_flow_tokens(user):
    return live_refresh_tokens(user).filter(
        application__authorization_grant_type=AbstractApplication.GRANT_AUTHORIZATION_CODE
    )


def authorizations_of(user):
    """The apps `user` has allowed, most recently granted first."""
    apps = {}
    for token in _live_code_flow_tokens(user).select_related("application", "access_token").order_by("created"):
        app = apps.setdefault(token.application.client_id, {"application": token.application, "scopes": set()})
        app.setdefault("earliest", token.created)
        app["scopes"].update(token.access_token.scope.split())
    if not apps:
        return []
    consents = dict(
        Event.objects.filter(user=user, kind=Kind.CONSENT_GIVEN, client_id__in=apps)
        .order_by("time")
        .values_list("client_id", "time")
    )  # the latest per client wins
    authorizations = [
        Authorization(
            id=client_id,
            client_id=client_id,
            client_name=app["application"].name,
            scopes=sorted(app["scopes"]),
            granted_at=consents.get(client_id, app["earliest"]),
        )
        for client_id, app in apps.items()
    ]
    authorizations.sort(key=lambda authorization: authorization.granted_at, reverse=True)
    return authorizations


def withdraw_authorization(user, client_id, *, request=None):
    """
    End every session of `user` at the authorization-code app `client_id` (one token_revoked
    event each) and delete its unused authorization codes. False when the app holds none.
    """
    families = set(
        _live_code_flow_tokens(user).filter(application__client_id=client_id).values_list("token_family", flat=True)
    )
    if not families:
        return False
    for family in families:
        end_session(user, family, request=request)
    Grant.objects.filter(user=user, application__client_id=client_id).delete()
    return True
