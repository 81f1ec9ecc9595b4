"""
The ways a user can sign in: a password (when it is usable) and each provider account linked
through social-auth. A link may be removed only while another way to sign in remains.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from social_core.backends.utils import get_backend
from social_core.exceptions import AuthConfigurationError
from social_django.models import UserSocialAuth

PASSWORD = "password"  # noqa: S105 (the id of the password entry, not a password)


@dataclass
class SignInMethod:
    id: str
    kind: str  # "password" or "provider"
    provider: str | None
    label: str
    linked_at: datetime | None
    removable: bool
    password_set: bool | None = None  # for the password entry only


def provider_title(provider):
    """The provider's display name (its social-auth backend's title), or its name when it has no backend here."""
    try:
        return get_backend(settings.AUTHENTICATION_BACKENDS, provider).title or provider
    except AuthConfigurationError:  # no backend of that name (any more)
        return provider


def _links(user):
    """The user's linked provider accounts, by provider (a user may link two accounts of one provider)."""
    links = {}
    for link in UserSocialAuth.objects.filter(user=user).order_by("created"):
        links.setdefault(link.provider, []).append(link)
    return links


def sign_in_methods_of(user):
    """The password entry first, then one entry per linked provider, oldest link first."""
    links = _links(user)
    password_set = user.has_usable_password()
    methods = [
        SignInMethod(
            id=PASSWORD,
            kind=PASSWORD,
            provider=None,
            label="Password",
            linked_at=None,
            removable=False,
            password_set=password_set,
        )
    ]
    for provider, accounts in links.items():
        emails = [link.extra_data.get("email") for link in accounts if isinstance(link.extra_data, dict)]
        title = provider_title(provider)
        methods.append(
            SignInMethod(
                id=provider,
                kind="provider",
                provider=provider,
                label=f"{title} ({', '.join(filter(None, emails))})" if any(emails) else title,
                linked_at=accounts[0].created,
                removable=password_set or len(links) > 1,
            )
        )
    return methods


class LastSignInMethod(Exception):
    """Removing the link would leave the account with no way to sign in."""


def unlink_provider(user, provider):
    """
    Delete the user's links to `provider` (audit's post_delete receiver records each). False when
    there is none; LastSignInMethod when no usable password and no other provider would remain.
    """
    with transaction.atomic():
        # The account's row lock: two unlinks at once cannot each leave the other as the last way in.
        user = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
        links = _links(user)
        if provider not in links:
            return False
        if not user.has_usable_password() and len(links) == 1:
            raise LastSignInMethod
        for link in links[provider]:
            link.delete()  # one by one, so each sends post_delete
    return True
