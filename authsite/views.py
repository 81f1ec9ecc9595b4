from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.views import defaults
from django.views.decorators.http import require_safe
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


@require_safe
def ember_app(request):
    """
    The Ember app's index.html, for every path the app routes itself (`/`, `/users`,
    `/profile`), so a deep link or a reload lands in the app. Its files are whitenoise's.
    """
    index = Path(settings.EMBER_APP_DIR) / "index.html"
    try:
        html = index.read_bytes()  # a fresh build takes effect at once, without a restart
    except FileNotFoundError:
        return HttpResponseNotFound(
            "The Ember app has not been built: run `make run`, or `npm ci && npm run build` in frontend/.",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(html)
    # Always revalidated: a new build's index.html names new asset files.
    response["Cache-Control"] = "no-cache"
    return response
