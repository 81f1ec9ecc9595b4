from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oauth.clients import GRANT_TYPES, register_client


class Command(BaseCommand):
    help = "Register an OAuth client. Prints its id and, once, the secret of a confidential client."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A name people will recognise on the consent page.")
        parser.add_argument("--client-id", required=True)
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--public", action="store_true", help="A browser or mobile app: no secret.")
        kind.add_argument("--confidential", action="store_true", help="A server that can keep a secret.")
        parser.add_argument("--grant-type", choices=sorted(GRANT_TYPES), required=True)
        parser.add_argument("--redirect-uri", action="append", default=[], dest="redirect_uris")
        parser.add_argument(
            "--allowed-origin",
            action="append",
            default=[],
            dest="allowed_origins",
            help="An origin allowed to call the token endpoint from a browser (CORS).",
        )
        parser.add_argument(
            "--oidc",
            action="store_true",
            help="An OpenID Connect relying party (authorization code): RS256 ID tokens, openid/email/profile scopes.",
        )
        parser.add_argument(
            "--post-logout-redirect-uri",
            action="append",
            default=[],
            dest="post_logout_redirect_uris",
            help="Where RP-Initiated Logout may send the browser back to (exact match; --oidc only).",
        )

    def handle(self, *args, name, client_id, public, grant_type, redirect_uris, allowed_origins, oidc, **options):
        try:
            registration = register_client(
                name=name,
                client_id=client_id,
                public=public,
                grant_type=grant_type,
                redirect_uris=redirect_uris,
                allowed_origins=allowed_origins,
                oidc=oidc,
                post_logout_redirect_uris=options["post_logout_redirect_uris"],
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            ) from error

        application = registration.application
        if not registration.created:
            self.stdout.write(
                f"Client {application.client_id} already exists "
                f"({application.client_type}, {application.authorization_grant_type}); left unchanged."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Created client {application.client_id}"))
        self.stdout.write(f"client_id={application.client_id}")
        if application.algorithm:
            self.stdout.write(f"OpenID Connect: ID tokens signed with {application.algorithm}")
        if registration.secret:
            self.stdout.write(f"client_secret={registration.secret}")
            self.stdout.write("Store the secret now: only its hash is kept.")
