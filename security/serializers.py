from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import get_error_detail
from rest_framework_json_api import serializers

from throttling.backends import refusal_of

from .passwords import check_current_password
from .useragents import describe


class UserAgentFields(serializers.Serializer):
    """`browser` and `os`, read from the resource's `user_agent`."""

    browser = serializers.SerializerMethodField()
    os = serializers.SerializerMethodField()

    def get_browser(self, resource) -> str | None:
        return describe(resource.user_agent)[0]

    def get_os(self, resource) -> str | None:
        return describe(resource.user_agent)[1]


class SessionSerializer(UserAgentFields):
    id = serializers.UUIDField(read_only=True)
    client_id = serializers.CharField(read_only=True)
    client_name = serializers.CharField(read_only=True)
    signed_in_at = serializers.DateTimeField(read_only=True)
    last_active_at = serializers.DateTimeField(read_only=True)
    ip = serializers.IPAddressField(read_only=True, allow_null=True)
    user_agent = serializers.CharField(read_only=True)
    current = serializers.BooleanField(read_only=True)

    class Meta:
        resource_name = "sessions"


class AuthorizationSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    client_id = serializers.CharField(read_only=True)
    client_name = serializers.CharField(read_only=True)
    scopes = serializers.ListField(child=serializers.CharField(), read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)

    class Meta:
        resource_name = "authorizations"


class SignInMethodSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=["password", "provider"], read_only=True)
    provider = serializers.CharField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)
    linked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    removable = serializers.BooleanField(read_only=True)
    password_set = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        resource_name = "sign-in-methods"

    def to_representation(self, method):
        data = super().to_representation(method)
        if method.password_set is None:
            del data["password_set"]  # only the password entry says whether one is set
        return data


class EventSerializer(UserAgentFields):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    time = serializers.DateTimeField(read_only=True)
    ip = serializers.IPAddressField(read_only=True, allow_null=True)
    user_agent = serializers.CharField(read_only=True)
    client_name = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    class Meta:
        resource_name = "events"

    def get_client_name(self, event) -> str | None:
        if not event.client_id:
            return None
        return self.context.get("client_names", {}).get(event.client_id, event.client_id)

    def get_detail(self, event) -> str | None:
        return event.detail or None


class PasswordChangeSerializer(serializers.Serializer):
    """
    The current password (required while the account has a usable one) and the new one,
    checked by AUTH_PASSWORD_VALIDATORS with the user. The current one is checked last, and
    only when the rest is valid (a weak new password costs no guess), through authenticate():
    throttling bounds it like any other password check (TooManyAttempts when it refuses).
    Context: `user`, and `request` (DRF's).
    """

    current_password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)
    new_password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)

    class Meta:
        resource_name = "password-changes"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is not None and not user.has_usable_password():
            self.fields["current_password"].required = False  # a provider-only account sets its first one
            self.fields["current_password"].allow_blank = True

    def validate_new_password(self, value):
        try:
            password_validation.validate_password(value, self.context["user"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(get_error_detail(error)) from error
        return value

    def validate(self, attrs):
        user = self.context["user"]
        if user.has_usable_password():
            request = self.context["request"]._request  # Django's: its address and device cookie
            if not check_current_password(request, user, attrs["current_password"]):
                refusal = refusal_of(request)
                if refusal is not None:
                    raise TooManyAttempts(refusal)
                raise serializers.ValidationError(
                    {"current_password": ErrorDetail("The current password is not right.", code="wrong_password")}
                )
        return attrs


class TooManyAttempts(exceptions.Throttled):
    """Throttling refused the password check: 429 with Retry-After and throttling's own message."""

    def __init__(self, refusal):
        # Throttled's own __init__ would append DRF's "Expected available in…" to the sentence.
        exceptions.APIException.__init__(self, refusal.message)
        self.wait = refusal.retry_after  # DRF's handler turns it into Retry-After
