from django.contrib import admin
from social_django.models import UserSocialAuth


class LinkedAccountInline(admin.TabularInline):
    """A user's links to other providers' accounts, shown on the user (accounts.admin.UserAdmin)."""

    model = UserSocialAuth
    fields = ("provider", "uid", "created", "modified")
    readonly_fields = fields
    extra = 0
    verbose_name = "linked account"
    verbose_name_plural = "linked accounts (they sign in as this user; delete one to unlink it)"

    def has_add_permission(self, request, obj=None):
        return False  # links are made by signing in, where the provider proves the account
