from django.http import JsonResponse
from django.views import defaults
from rest_framework_json_api.renderers import JSONRenderer

from oauth.views import oauth_error


def bad_request(request, exception):
    """
    A request Django could not read (too many fields, a malformed header) gets the error
    format of the endpoint it was meant for, not an HTML page.
    """
    if request.path.startswith("/oauth/") and request.path != "/oauth/authorize":
        return oauth_error("invalid_request", "The request could not be read.")
    if request.path.startswith("/api/"):
        error = {"status": "400", "code": "bad_request", "detail": "The request could not be read."}
        return JsonResponse({"errors": [error]}, status=400, content_type=JSONRenderer.media_type)
    return defaults.bad_request(request, exception)
