from django import forms
from django.contrib import admin
from oauth2_provider import admin as dot_admin  # registers DOT's admin classes, replaced below
from oauth2_provider.forms import ApplicationForm as DOTApplicationForm
from oauth2_provider.models import AbstractApplication, get_application_model

from .clients import GRANT_TYPES, check_oidc_registration

Application = get_application_model()

# What this server serves: its grants (refresh is implied), and ID tokens signed with RS256
# (HS256 would sign with the client secret, which is stored hashed).
ALGORITHMS = [
    (AbstractApplication.NO_ALGORITHM, "No OpenID Connect"),
    (AbstractApplication.RS256_ALGORITHM, "OpenID Connect: RS256 ID tokens"),
]


class ApplicationForm(DOTApplicationForm):
    """Changes the choices DOT's form offers to the grant types and algorithms this server serves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grant_types = set(GRANT_TYPES.values())
        field = self.fields["authorization_grant_type"]
        field.choices = [(value, label) for value, label in field.choices if value in grant_types]
        self.fields["algorithm"].choices = ALGORITHMS

    def clean(self):
        cleaned_data = super().clean()
        try:
            check_oidc_registration(
                cleaned_data.get("algorithm") != AbstractApplication.NO_ALGORITHM,
                grant_type=cleaned_data.get("authorization_grant_type"),
                post_logout_redirect_uris=(cleaned_data.get("post_logout_redirect_uris") or "").split(),
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned_data


admin.site.unregister(Application)


@admin.register(Application)
class ApplicationAdmin(dot_admin.ApplicationAdmin):
    form = ApplicationForm
