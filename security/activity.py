"""A user's own recent activity: their audit events of the last ACTIVITY_DAYS days."""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import get_application_model

from audit.models import Event

ACTIVITY_DAYS = 90

Application = get_application_model()


def recent_events(user):
    """Newest first; the audit trail's (user, -time) index serves it."""
    since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
    return Event.objects.filter(user=user, time__gte=since).order_by("-time", "-pk")


def client_names(client_ids):
    """{client_id: name} of the clients that still exist among `client_ids`, in one query."""
    client_ids = {client_id for client_id in client_ids if client_id}
    if not client_ids:
        return {}
    return dict(Application.objects.filter(client_id__in=client_ids).values_list("client_id", "name"))
