from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import Event


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (or --days). Run it daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of AUDIT_RETENTION_DAYS."
        )

    def handle(self, *args, days, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Keep at least one day of events.")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = Event.objects.filter(time__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} audit events from before {cutoff:%Y-%m-%d %H:%M} UTC ({days} days).")
