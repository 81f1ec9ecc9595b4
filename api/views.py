from rest_framework import generics, viewsets
from rest_framework_json_api.exceptions import Conflict

from accounts.models import User

from .filters import UserFilter
from .serializers import UserSerializer


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/users`: staff see every account, everyone else only their own."""

    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["email", "first_name", "last_name", "date_joined"]
    ordering = ["email"]

    def get_queryset(self):
        return User.objects.visible_to(self.request.user)


class MeView(generics.RetrieveUpdateAPIView):
    """`/api/me`: the account the access token belongs to."""

    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        # Loaded with the access token; no second query.
        return self.request.user

    def update(self, request, *args, **kwargs):
        # The JSON:API parser checks the body's id against a URL kwarg, and /me has none.
        if str(request.data.get("id")) != str(request.user.pk):
            raise Conflict("The resource id in the body must be your own.")
        return super().update(request, *args, partial=True, **kwargs)
