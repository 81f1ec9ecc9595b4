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
    date_joined = serializers.DateTimeField(read_only=True)

    class Meta:
        resource_name = "users"

    def update(self, user, validated_data):
        for name, value in validated_data.items():
            setattr(user, name, value)
        user.save(update_fields=list(validated_data))
        return user


@cache
def _attribute_names():
    return {name: format_field_name(name) for name in UserSerializer._declared_fields}


def user_resource(user):
    """
    The `users` resource object UserSerializer and the JSON:API renderer produce for `user`,
    built from the same field declarations without instantiating either: GET /api/me runs
    this on every call, and the full machinery costs more than the rest of the request.
    """
    return {
        "type": UserSerializer.Meta.resource_name,
        "id": str(user.pk),
        "attributes": {
            attribute: UserSerializer._declared_fields[name].to_representation(getattr(user, name))
            for name, attribute in _attribute_names().items()
        },
    }
