from rest_framework_json_api import serializers

from accounts.models import User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        resource_name = "users"
        fields = ("email", "first_name", "last_name", "date_joined")
        read_only_fields = ("email", "date_joined")
