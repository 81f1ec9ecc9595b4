"""
The security page's JSON:API resources (README.md, "Security page"). Each answers with the
caller's own data only, so another user's id is simply not found (404). Reading needs the
`read` scope, changing needs `write` (api.permissions, the API's default).
"""

import uuid

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_json_api.filters import QueryParameterValidationFilter

from . import activity, authorizations, methods, passwords, sessions
from .serializers import (
    AuthorizationSerializer,
    EventSerializer,
    PasswordChangeSerializer,
    SessionSerializer,
    SignInMethodSerializer,
)

NO_CONTENT = status.HTTP_204_NO_CONTENT


class LastSignInMethod(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This is your only way to sign in: set a password or link another account first."
    default_code = "last-sign-in-method"


class PasswordNotRemovable(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The password cannot be removed; it can be changed."
    default_code = "password-not-removable"


class Unprocessable(exceptions.ValidationError):
    """Changes the status only: a well-formed document with unacceptable values is JSON:API's 422, not DRF's 400."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


class CallerResources(viewsets.GenericViewSet):
    """
    A short list of the caller's resources, built by a plain function (`resources`), each of
    which DELETE removes (`remove`, False when the caller has no such resource: 404).
    """

    pagination_class = None  # a user has a few: the whole list is one document
    filter_backends = [QueryParameterValidationFilter]  # no sorting or filtering: unknown parameters are a 400
    lookup_value_regex = "[^/]+"

    def list(self, request):
        self.filter_queryset(None)  # checks the query parameters
        return Response(self.get_serializer(self.resources(), many=True).data)

    def destroy(self, request, pk):
        if not self.remove(pk):
            raise Http404
        return Response(status=NO_CONTENT)


class SessionViewSet(CallerResources):
    """`/api/sessions`: where the caller is signed in, one entry per live refresh-token family."""

    serializer_class = SessionSerializer
    resource_name = "sessions"

    def resources(self):
        return sessions.sessions_of(self.request.user, sessions.family_of(self.request.auth))

    def remove(self, pk):
        try:
            family = uuid.UUID(pk)
        except ValueError:
            return False
        return sessions.end_session(self.request.user, family, request=self.request._request)

    @action(detail=False, methods=["delete"])
    def others(self, request):
        """Ends every session of the caller except the one making this request."""
        sessions.end_other_sessions(request.user, sessions.family_of(request.auth), request=request._request)
        return Response(status=NO_CONTENT)


class AuthorizationViewSet(CallerResources):
    """`/api/authorizations`: the authorization-code apps the caller has allowed (security.authorizations)."""

    serializer_class = AuthorizationSerializer
    resource_name = "authorizations"

    def resources(self):
        return authorizations.authorizations_of(self.request.user)

    def remove(self, pk):
        return authorizations.withdraw_authorization(self.request.user, pk, request=self.request._request)


class SignInMethodViewSet(CallerResources):
    """`/api/sign-in-methods`: the password and the linked provider accounts."""

    serializer_class = SignInMethodSerializer
    resource_name = "sign-in-methods"

    def resources(self):
        return methods.sign_in_methods_of(self.request.user)

    def remove(self, pk):
        if pk == methods.PASSWORD:
            raise PasswordNotRemovable
        try:
            return methods.unlink_provider(self.request.user, pk)
        except methods.LastSignInMethod:
            raise LastSignInMethod from None


class EventViewSet(viewsets.GenericViewSet):
    """`/api/events`: the caller's audit events of the last 90 days, newest first, 25 a page."""

    serializer_class = EventSerializer
    resource_name = "events"
    filter_backends = [QueryParameterValidationFilter]

    def get_queryset(self):
        return activity.recent_events(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context() | {"client_names": activity.client_names(e.client_id for e in page)}
        return self.get_paginated_response(EventSerializer(page, many=True, context=context).data)


class PasswordChangeView(generics.GenericAPIView):
    """`POST /api/password-changes`: a new password; every other session of the caller ends."""

    serializer_class = PasswordChangeSerializer
    resource_name = "password-changes"

    def get_serializer_context(self):
        return super().get_serializer_context() | {"user": self.request.user}

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError as error:
            raise Unprocessable(error.detail) from None
        passwords.change_password(
            request.user,
            serializer.validated_data["new_password"],
            current_family=sessions.family_of(request.auth),
            request=request._request,
        )
        return Response(status=NO_CONTENT)
