"""What sign-in with other providers tells others (the audit trail listens)."""

from django.dispatch import Signal

# A sign-in with a provider failed after the client was authenticated. Arguments: request,
# provider (its backend name, such as "google-oauth2"), client (the Application), user (the
# local account when one was found, else None) and reason: "inactive_account", "no_account" (the
# pipeline gave no user), or social-core's error code ("invalid_claim" for an unverified email, …).
sign_in_failed = Signal()

# An authorization code was redeemed with a provider (its token endpoint, its profile, the
# pipeline), successfully or not. Arguments: provider (its backend name), seconds (how long it
# took) and error (social-core's error code, "provider_error" when it has none, or None).
provider_exchanged = Signal()
