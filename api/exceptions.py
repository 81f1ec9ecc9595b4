from django.http import JsonResponse
from rest_framework_json_api.exceptions import (
    exception_handler as json_api_exception_handler,
)
from rest_framework_json_api.renderers import JSONRenderer


def exception_handler(exc, context):
    """
    JSON:API error documents (djangorestframework-jsonapi), plus the RFC 6750 challenge
    on every error an authentication or scope check caused, not only on DRF's 401s.
    A database that cannot be reached is not handled here: the exception goes on to
    authsite.middleware.DatabaseUnavailableMiddleware, which answers it on every path.
    """
    response = json_api_exception_handler(exc, context)
    request = context["request"]
    if response is not None and getattr(request, "oauth2_error", None) and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = request.authenticators[0].authenticate_header(request)
    return response


def json_api_error(status, code, detail, **headers):
    """A JSON:API errors document for answers given outside DRF's views (unreadable requests, no such route)."""
    error = {"status": str(status), "code": code, "detail": detail}
    response = JsonResponse({"errors": [error]}, status=status, content_type=JSONRenderer.media_type)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response
