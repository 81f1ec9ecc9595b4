"""Steps of the social-auth pipeline (SOCIAL_AUTH_PIPELINE in the settings)."""

from social_core.exceptions import AuthResponseError


def require_verified_email(backend, details, response, *args, **kwargs):
    """
    Stop a sign-in unless the provider vouches for the email address with the OpenID Connect
    claim `email_verified: true`. The next steps find, link or create the account by that
    address, so an address nobody verified would hand its owner's account to a stranger.
    """
    if not details.get("email"):
        raise AuthResponseError(backend, code="profile_email_missing", claim="email", stage="pipeline")
    if response.get("email_verified") is not True:
        raise AuthResponseError(backend, code="invalid_claim", claim="email_verified", stage="pipeline")
