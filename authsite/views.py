import sys
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from api.exceptions import json_api_error
from metrics.instruments import count_database_unavailable
from oauth.views import oauth_error

# Errors a database raises when it cannot be reached or cannot serve now (server down,
# connection refused or lost, too many connections, a lock not granted in time): worth a retry.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Long enough for a database restart or fail-over, short enough that nobody waits in vain.
RETRY_AFTER_SECONDS = 30


def error_format(request):
    """Which error format the endpoint at this path speaks: "oauth" (RFC 6749 JSON), "api" (JSON:API) or "html"."""
    if request.path.startswith("/oauth/") and request.path != "/oauth/authorize":
        return "oauth"  # the authorization endpoint is a page a person sees
    if request.path.startswith("/api/"):
        return "api"
    return "html"


def bad_request(request, exception):
    """
    A request Django could not read (too many fields, a malformed header) gets the error
    format of the endpoint it was meant for, not an HTML page.
    """
    match error_format(request):
        case "oauth":
            return oauth_error("invalid_request", "The request could not be read.")
        case "api":
            return json_api_error(400, "bad_request", "The request could not be read.")
    return defaults.bad_request(request, exception)


def service_unavailable(request):
    """The answer while the database cannot be reached: a 503 in the endpoint's own format, to retry later."""
    count_database_unavailable()
    description = "The service is temporarily unavailable; try again later."
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    match error_format(request):
        case "oauth":
            return oauth_error("temporarily_unavailable", description, 503, **headers)
        case "api":
            return json_api_error(503, "temporarily_unavailable", description, **headers)
    # Rendered without the request: context processors would reach for the session and the user.
    response = HttpResponse(render_to_string("503.html"), status=503)
    for name, value in headers.items():
        response[name] = value
    return response


def server_error(request):
    """
    handler500: a database outage that surfaces outside a view (a middleware saving the
    session after the view) gets its 503 too; anything else is Django's 500 page.
    """
    # Django calls handler500 while it handles the exception, so sys.exc_info() names it.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


# csrf_exempt on both: a POST would otherwise get the CSRF failure page (HTML), not this answer.
@csrf_exempt
def oauth_not_found(request):
    """Any path under /oauth/ that matches no endpoint: an RFC 6749 error, not an HTML page."""
    return oauth_error("invalid_request", "There is no OAuth endpoint at this path.", 404)


@csrf_exempt
def api_not_found(request):
    """Any path under /api/ that matches no resource: a JSON:API errors document, not an HTML page."""
    return json_api_error(404, "not_found", "There is no API resource at this path.")


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
