from rest_framework_json_api import serializers

from accounts.models import User


class UserSerializer(serializers.ModelSerializer):
    # Declared rather than derived from the model: DRF would otherwise rebuild these four
    # fields from model introspection on every request, the costliest step of GET /api/me.
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    date_joined = serializers.DateTimeField(read_only=True)

    class Meta:
        model = User
        resource_name = "users"
        fields = ("email", "first_name", "last_name", "date_joined")
