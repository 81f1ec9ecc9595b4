from rest_framework_json_api.exceptions import (
    exception_handler as json_api_exception_handler,
)


def exception_handler(exc, context):
    """
    JSON:API error documents (djangorestframework-jsonapi), plus the RFC 6750 challenge
    on every error an authentication or scope check caused, not only on DRF's 401s.
    """
    response = json_api_exception_handler(exc, context)
    request = context["request"]
    if response is not None and getattr(request, "oauth2_error", None) and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = request.authenticators[0].authenticate_header(request)
    return response
