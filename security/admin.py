"""
What the security page shows a user, shown to staff on that user in the admin: accounts' user
admin is extended from here, so accounts knows nothing of tokens or the audit trail.
"""

from datetime import timedelta

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User

from .activity import ACTIVITY_DAYS
from .sessions import sessions_of
from .useragents import describe


class UserSecurityAdmin(UserAdmin):
    """
    accounts' user admin plus a "Security" section: the user's live sessions as the security page
    lists them, and a link to their audit events of the last 90 days. Read-only fields, not an
    inline: staff end a session by revoking its tokens (Django OAuth Toolkit's admin), not here.
    """

    readonly_fields = (*UserAdmin.readonly_fields, "live_sessions", "recent_activity")
    fieldsets = (*UserAdmin.fieldsets, (_("Security"), {"fields": ("live_sessions", "recent_activity")}))

    @admin.display(description=_("live sessions"))
    def live_sessions(self, user):
        sessions = sessions_of(user) if user.pk else []
        if not sessions:
            return _("None")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    session.client_name,
                    session.id,
                    f"{session.signed_in_at:%Y-%m-%d %H:%M}",
                    f"{session.last_active_at:%Y-%m-%d %H:%M}",
                    session.ip or "-",
                    " on ".join(part or "?" for part in describe(session.user_agent)),
                )
                for session in sessions
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("app"),
            _("token family"),
            _("signed in"),
            _("last active"),
            _("IP address"),
            _("browser"),
            rows,
        )

    @admin.display(description=_("recent activity"))
    def recent_activity(self, user):
        since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
        url = reverse("admin:audit_event_changelist") + f"?user__id__exact={user.pk}&time__gte={since:%Y-%m-%dT%H:%MZ}"
        return format_html('<a href="{}">{}</a>', url, _("Audit events of the last 90 days"))


admin.site.unregister(User)
admin.site.register(User, UserSecurityAdmin)
