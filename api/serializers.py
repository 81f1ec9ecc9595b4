import copy
from functools import cache

from rest_framework_json_api import serializers
from rest_framework_json_api.utils import format_field_name


class UserSerializer(serializers.Serializer):
    """
    A `users` resource. A plain serializer with declared fields rather than a ModelSerializer,
    which would introspect the model on every request: this one runs on every GET /api/me.
    """

    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    date_joined = serializers.DateTimeField(read_only=True)

    class Meta:
        resource_name = "users"

    def get_fields(self):
        # DRF rebuilds every declared field (deepcopy re-runs each __init__) for every serializer,
        # half the cost of GET /api/me. A shallow copy is enough: binding sets the only
        # per-serializer state (parent, field name) and nothing else in a field changes.
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}

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
