import datetime
from functools import cache

from rest_framework_json_api import serializers
from rest_framework_json_api.utils import format_field_name


class UserSerializer(serializers.Serializer):
    """
    A `users` resource. Declared fields rather than a ModelSerializer, which would rebuild
    them from the model for every serializer; user_resource() below reads them too.
    """

    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    # The settings' TIME_ZONE (UTC, USE_TZ on), given: DRF would otherwise look the current one up per call.
    date_joined = serializers.DateTimeField(read_only=True, default_timezone=datetime.UTC)

    class Meta:
        resource_name = "users"

    def update(self, user, validated_data):
        for name, value in validated_data.items():
            setattr(user, name, value)
        user.save(update_fields=list(validated_data))
        return user


@cache
def _representations():
    """Each declared field's attribute name, its member name in the document, and how it is written."""
    return [
        (name, format_field_name(name), field.to_representation)
        for name, field in UserSerializer._declared_fields.items()
    ]


def user_resource(user):
    """
    The `users` resource object UserSerializer and the JSON:API renderer produce for `user`,
    built from the same field declarations without instantiating either: GET /api/me runs
    this on every call, and the full machinery costs more than the rest of the request.
    """
    return {
        "type": UserSerializer.Meta.resource_name,
        "id": str(user.pk),
        "attributes": {member: represent(getattr(user, name)) for name, member, represent in _representations()},
    }
