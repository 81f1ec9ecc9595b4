from django.core.management.base import BaseCommand, CommandError

from flask_import.importer import ImportAborted, import_flask_authlib
from flask_import.source import SourceError, read_source


class Command(BaseCommand):
    help = (
        "Import the users, OAuth clients and (with --tokens) live refresh tokens of the Flask + Authlib "
        "design from its database, in one transaction. Safe to run again: it changes nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("database_url", metavar="DATABASE_URL", help="sqlite:///path/app.db or postgres://…")
        parser.add_argument(
            "--tokens", action="store_true", help="Also import live refresh tokens, so nobody has to sign in again."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")

    def handle(self, *args, database_url, tokens, dry_run, **options):
        try:
            source = read_source(database_url, tokens=tokens)
            report = import_flask_authlib(source, tokens=tokens, dry_run=dry_run)
        except (SourceError, ImportAborted) as error:
            reason = str(error).strip().rstrip(".")
            raise CommandError(f"{reason}. Nothing was imported.") from error

        if dry_run:
            self.stdout.write("Dry run: nothing is written. A real run would do this:")
        self.stdout.write(f"Users: {report.users}")
        self.stdout.write(f"Clients: {report.clients}")
        if report.tokens is not None:
            self.stdout.write(f"Refresh tokens: {report.tokens}")
        if report.problems:
            self.stdout.write(self.style.WARNING(f"{len(report.problems)} problem(s):"))
            for problem in report.problems:
                self.stdout.write(f"- {problem}")
