"""
Where a user is signed in: one session per live refresh-token family (one family is one
sign-in, kept by every rotation), described from the audit trail's events of that family.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Min
from django.utils import timezone
from oauth2_provider.models import get_refresh_token_model, refresh_token_expire_timedelta

from audit.models import Event, Kind
from oauth import signals as oauth_signals

RefreshToken = get_refresh_token_model()


@dataclass
class Session:
    id: UUID  # the token family
    client_id: str
    client_name: str
    signed_in_at: datetime
    last_active_at: datetime
    ip: str | None
    user_agent: str
    current: bool


def live(refresh_tokens):
    """
    The refresh tokens among `refresh_tokens` that can still be used, as DOT's validator decides:
    not revoked, bound to an access token, and not past REFRESH_TOKEN_EXPIRE_SECONDS after that token expired.
    """
    tokens = refresh_tokens.filter(revoked__isnull=True, access_token__isnull=False, token_family__isnull=False)
    lifetime = refresh_token_expire_timedelta()
    if lifetime:
        tokens = tokens.filter(access_token__expires__gt=timezone.now() - lifetime)
    return tokens


def live_refresh_tokens(user):
    return live(RefreshToken.objects.filter(user=user))


def family_of(access_token):
    """The token family of `access_token`: the family of the refresh token issued with it, or None."""
    if access_token is None:
        return None
    return RefreshToken.objects.filter(access_token_id=access_token.pk).values_list("token_family", flat=True).first()


def sessions_of(user, current_family=None):
    """
    The user's live sessions, most recent sign-in first. Signed in at the family's first
    tokens_issued event, last active at its last tokens_issued/tokens_refreshed event, whose
    address and user agent are shown (where the session is used now). Without events (pruned,
    or tokens imported by import_flask_authlib), the tokens' own creation times stand in.
    """
    live = {token.token_family: token for token in live_refresh_tokens(user).select_related("application")}
    if not live:
        return []
    events = {}  # family -> [first event, last event]
    for event in (
        Event.objects.filter(token_family__in=live, kind__in=[Kind.TOKENS_ISSUED, Kind.TOKENS_REFRESHED])
        .only("token_family", "time", "ip", "user_agent")
        .order_by("time", "pk")
    ):
        pair = events.setdefault(event.token_family, [event, event])
        pair[1] = event
    first_tokens = dict(
        RefreshToken.objects.filter(token_family__in=live)
        .values("token_family")
        .annotate(first=Min("created"))
        .values_list("token_family", "first")
    )
    sessions = []
    for family, token in live.items():
        first, last = events.get(family, (None, None))
        signed_in_at = first.time if first else first_tokens.get(family, token.created)
        sessions.append(
            Session(
                id=family,
                client_id=token.application.client_id,
                client_name=token.application.name,
                signed_in_at=signed_in_at,
                last_active_at=last.time if last else token.created,
                ip=last.ip if last else None,
                user_agent=last.user_agent if last else "",
                current=family == current_family,
            )
        )
    sessions.sort(key=lambda session: session.signed_in_at, reverse=True)
    return sessions


def end_session(user, family, *, request=None):
    """
    Sign the session `family` of `user` out: DOT revokes its refresh tokens and deletes its
    access tokens, and token_revoked tells the audit trail. False when it is not a live session of theirs.
    """
    token = live_refresh_tokens(user).filter(token_family=family).select_related("application").first()
    if token is None:
        return False
    RefreshToken.revoke_family(family)
    oauth_signals.token_revoked.send(
        sender=end_session, request=request, user_id=user.pk, client=token.application, token_family=family
    )
    return True


def end_other_sessions(user, current_family, *, request=None):
    """End every live session of `user` except `current_family`; returns how many ended."""
    families = set(
        live_refresh_tokens(user).exclude(token_family=current_family).values_list("token_family", flat=True)
    )
    return sum(end_session(user, family, request=request) for family in families)
