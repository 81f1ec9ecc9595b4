"""What sign-in with other providers tells others (the audit trail listens)."""

from django.dispatch import Signal

# A sign-in with a provider failed after the client was authenticated. Arguments: request,
# provider (its backend name, such as "google-oauth2"), client (the Application), user (the
# local account when one was found, else None) and reason: "inactive_account", or social-core's
# error code (for example "invalid_claim" for an unverified email, "email_in_use").
sign_in_failed = Signal()
