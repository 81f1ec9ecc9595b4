"""Steps of the social-auth pipeline (SOCIAL_AUTH_PIPELINE in the settings)."""

from django.contrib.auth import get_user_model
from social_core.exceptions import AuthResponseError

NAME_FIELDS = ("first_name", "last_name")


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


def fit_names(details, *args, **kwargs):
    """Cut the provider's names to the user model's columns: a longer one would fail the insert."""
    user_model = get_user_model()
    fitted = {
        name: details[name][: user_model._meta.get_field(name).max_length]
        for name in NAME_FIELDS
        if isinstance(details.get(name), str)
    }
    return {"details": details | fitted}
