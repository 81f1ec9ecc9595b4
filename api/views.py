import json

from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions, generics, viewsets
from rest_framework_json_api.renderers import JSONRenderer

from accounts.models import User

from .authentication import BearerTokenAuthentication
from .filters import UserFilter
from .negotiation import negotiation_error
from .permissions import UserTokenHasReadWriteScope
from .serializers import UserSerializer, user_resource

JSON_API_MEDIA_TYPE = JSONRenderer.media_type


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/users`: staff see every account, everyone else only their own."""

    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["email", "first_name", "last_name", "date_joined"]
    ordering = ["email"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model, without a request user
            return User.objects.none()
        return User.objects.visible_to(self.request.user)


class MeView(generics.RetrieveUpdateAPIView):
    """`/api/me`: the account the access token belongs to."""

    serializer_class = UserSerializer
    authentication_classes = [BearerTokenAuthentication]  # the lean path in dispatch() relies on it
    http_method_names = ["get", "patch", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        """
        Changes how the common case is served, not what it answers: a GET without a query
        string whose token is valid and allowed is answered by lean_response(), without DRF's
        Request, parsers, negotiation and exception handling, which cost more than the rest of
        the request. Every other request, and every error, goes through DRF's dispatch.
        """
        response = self.lean_response(request)
        if response is None:
            response = super().dispatch(request, *args, **kwargs)
        return response

    def lean_response(self, request):
        """The answer to a plain GET with a valid and allowed token, or None to leave it to DRF."""
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or not self.has_lean_policy()
            or self.refused_by_negotiation(request)
        ):
            return None
        try:
            found = BearerTokenAuthentication().checked_token(request)
        except exceptions.AuthenticationFailed:
            return None  # DRF's dispatch answers it, from the outcome kept on the request
        if found is None:
            return None
        # What DRF's Request does on authentication, with what the permissions read: the
        # token's row, and a user who is made a User when anything else reads it.
        request.user = None if found.user is None else SimpleLazyObject(lambda: found.instances()[0])
        request.auth = found
        if not all(permission.has_permission(request, self) for permission in self.get_permissions()):
            return None
        response = self.document(found.user)
        for name, value in self.default_response_headers.items():  # as finalize_response
            response[name] = value
        return response

    def has_lean_policy(self):
        """
        Whether the view's policy is the one the lean path applies: the permission it gives the
        token's row to, which reads only what the row has, and no throttles, which it does not
        run. Anything configured beyond that (in the settings' defaults too) is DRF's to apply.
        """
        return self.permission_classes == [UserTokenHasReadWriteScope] and not self.throttle_classes

    @staticmethod
    def refused_by_negotiation(request):
        """Whether JSON:API content negotiation refuses the request (DRF's dispatch then answers it)."""
        return negotiation_error(request.META.get("CONTENT_TYPE", ""), request.META.get("HTTP_ACCEPT", "")) is not None

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
        return self.document(request.user)

    def document(self, user):
        # A finished document needs no renderer: DRF passes a plain HttpResponse through.
        return HttpResponse(json.dumps({"data": user_resource(user)}), content_type=JSON_API_MEDIA_TYPE)
