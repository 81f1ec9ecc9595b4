import json

from django.http import HttpResponse
from rest_framework import generics, viewsets
from rest_framework_json_api.renderers import JSONRenderer

from accounts.models import User

from .filters import UserFilter
from .serializers import UserSerializer, user_resource

JSON_API_MEDIA_TYPE = JSONRenderer.media_type


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

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # /me names its resource by the token, not the URL. Giving the JSON:API parser the
        # caller's id makes it refuse a PATCH body about anyone else (409) or about no one (400).
        self.kwargs[self.lookup_field] = str(request.user.pk)

    def get_object(self):
        # Loaded with the access token; no second query.
        return self.request.user

    def retrieve(self, request, *args, **kwargs):
        if request.query_params:  # sparse fieldsets and the like: the general path
            return super().retrieve(request, *args, **kwargs)
        # A finished document needs no renderer: DRF passes a plain HttpResponse through.
        return HttpResponse(json.dumps({"data": user_resource(request.user)}), content_type=JSON_API_MEDIA_TYPE)
