from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils import timezone

from .forms import ThrottledAdminLoginForm
from .limits import failure_counts, refusal
from .models import DeviceFailures
from .recall import forget_refusals

# The admin's own login page says when to try again, like the others.
admin.site.login_form = ThrottledAdminLoginForm


@admin.register(AccessAttempt)
class FailedSignInAdmin(AccessAttemptAdmin):
    """
    Axes's list of failed sign-ins, changed to show whether each address and account is
    refused now and until when (axes's status column knows only its one failure limit), and
    to clear them with an "Unlock" action. The form data axes keeps stays hidden.
    """

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "refused_until", "user_agent"]
    list_filter = ["attempt_time"]
    fieldsets = ((None, {"fields": ("username", "ip_address", "user_agent", "failures_since_start", "attempt_time")}),)
    actions = ["unlock"]

    @admin.display(description="Refused until")
    def refused_until(self, attempt):
        now = timezone.now()
        found = refusal(failure_counts(attempt.ip_address, attempt.username, now), now, known_device=False)
        return now + timezone.timedelta(seconds=found.retry_after) if found else "-"

    @admin.action(description="Unlock: forget the failures of the selected rows")
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        forget_refusals()  # this process's; the others' lapse within RECALL_SECONDS
        self.message_user(request, f"Forgot {count} rows of failed sign-ins.")


@admin.register(DeviceFailures)
class DeviceFailuresAdmin(admin.ModelAdmin):
    """Device cookies with failed sign-ins; deleting a row gives its cookie its exemption back."""

    list_display = ["device", "failures", "last_failure"]
    readonly_fields = ["device", "failures", "last_failure"]

    def has_add_permission(self, request):
        return False
