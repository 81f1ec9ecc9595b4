from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """
    The trail, read-only for everyone, superusers included: events are written by the server
    and deleted only by `manage.py pruneaudit`. Staff need the "view event" permission.
    """

    list_display = ("time", "kind", "user_link", "email", "client_id", "ip", "grant_type", "detail")
    list_filter = (
        "kind",
        ("client_id", admin.AllValuesFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        "time",
    )
    search_fields = ("user__email", "email", "ip")
    date_hierarchy = "time"
    list_select_related = ("user",)
    # COUNT(*) over a long trail on every page is slow; the paginator counts the filtered rows only.
    show_full_result_count = False

    @admin.display(description="user", ordering="user__email")
    def user_link(self, event):
        """The user's email, linking to that user's events (the per-user index serves it)."""
        if event.user is None:
            return "-"
        url = reverse("admin:audit_event_changelist") + f"?user__id__exact={event.user_id}"
        return format_html('<a href="{}">{}</a>', url, event.user.email)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
