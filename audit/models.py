import ipaddress
import json
import logging

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throttling.addresses import client_ip

logger = logging.getLogger("authsite.audit")

USER_AGENT_LENGTH = 512


class Kind(models.TextChoices):
    SIGNED_IN = "signed_in", _("signed in (login page)")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_IN_REFUSED = "sign_in_refused", _("sign-in refused (throttled)")
    TOKENS_ISSUED = "tokens_issued", _("tokens issued")
    TOKENS_REFRESHED = "tokens_refreshed", _("tokens refreshed")
    TOKEN_REVOKED = "token_revoked", _("token revoked")
    REFRESH_TOKEN_REUSED = "refresh_token_reused", _("refresh token reused, family revoked")
    CONSENT_GIVEN = "consent_given", _("consent given")
    CONSENT_DENIED = "consent_denied", _("consent denied")
    CLIENT_REGISTERED = "client_registered", _("client registered")
    CLIENT_CHANGED = "client_changed", _("client changed")
    CLIENT_DELETED = "client_deleted", _("client deleted")
    PROVIDER_LINKED = "provider_linked", _("provider account linked")
    PROVIDER_UNLINKED = "provider_unlinked", _("provider account unlinked")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("account deactivated")


class EventManager(models.Manager):
    def record(
        self, kind, *, request=None, user_id=None, email="", client_id="", grant_type="", token_family=None, detail=""
    ):
        """
        Store one event (a single INSERT, no lookups) and log it as one JSON line to `authsite.audit`.
        The address and user agent come from `request` (an HttpRequest, or None when no request
        caused the event). Callers pass identifiers and short codes only, never a credential.
        """
        meta = request.META if request is not None else {}
        event = self.create(
            kind=kind,
            user_id=user_id,
            email=email[: Event._meta.get_field("email").max_length],
            client_id=client_id or "",
            ip=address_of(request),
            user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
            grant_type=grant_type or "",
            token_family=token_family,
            detail=detail[: Event._meta.get_field("detail").max_length],
        )
        logger.info(event.to_json())
        return event


def address_of(request):
    """The client's IP address (throttling's reading of it, proxies included), or None if it is not one."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request) or ""))
    except ValueError:
        return None


class Event(models.Model):
    """
    One security event: a sign-in, a token issued or ended, a consent, a change to a client,
    a linked account, a password or account change. Rows are written once and never changed;
    `manage.py pruneaudit` deletes those older than AUDIT_RETENTION_DAYS.
    """

    time = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # The (user, -time) index below serves lookups by user, so the foreign key needs none of its own.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    email = models.CharField(_("email tried"), max_length=254, blank=True, help_text=_("Of a failed sign-in."))
    # The client's public id, not a foreign key: the event outlives the client it names.
    client_id = models.CharField(_("client"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_LENGTH, blank=True)
    grant_type = models.CharField(
        _("grant type"),
        max_length=40,
        blank=True,
        help_text=_("Of tokens issued: an OAuth grant type, or the provider's name for a sign-in with it."),
    )
    token_family = models.UUIDField(
        _("token family"), null=True, blank=True, help_text=_("The refresh-token family: one per sign-in.")
    )
    detail = models.CharField(
        _("detail"),
        max_length=200,
        blank=True,
        help_text=_("Why a sign-in failed or was refused, the scopes consented to, the provider, the fields changed."),
    )

    objects = EventManager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-time"]
        indexes = [
            # A user's own events, newest first (the security page of the next issue).
            models.Index(fields=["user", "-time"], name="audit_event_user_time"),
            # Pruning by age, and the admin's date filter and ordering.
            models.Index(fields=["time"], name="audit_event_time"),
            # Every event of one sign-in (its tokens issued, refreshed, revoked, reused).
            models.Index(
                fields=["token_family"], name="audit_event_family", condition=models.Q(token_family__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.time:%Y-%m-%d %H:%M:%S}"

    def to_json(self):
        """The event as the one-line JSON document written to the `authsite.audit` logger."""
        return json.dumps(
            {
                "time": self.time.isoformat(),
                "kind": self.kind,
                "user": self.user_id,
                "email": self.email or None,
                "client_id": self.client_id or None,
                "ip": self.ip,
                "user_agent": self.user_agent or None,
                "grant_type": self.grant_type or None,
                "token_family": str(self.token_family) if self.token_family else None,
                "detail": self.detail or None,
            },
            separators=(",", ":"),
        )
