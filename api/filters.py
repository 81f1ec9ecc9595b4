import django_filters

from accounts.models import User, normalize_email


class UserFilter(django_filters.FilterSet):
    # Looked up under the stored spelling, so the unique index answers it.
    email = django_filters.CharFilter(method="filter_email")

    class Meta:
        model = User
        fields = ["email"]

    def filter_email(self, queryset, name, value):
        return queryset.filter(email=normalize_email(value))
