import logging
import re
from urllib.parse import urlsplit

from corsheaders import middleware as cors
from csp import middleware as csp
from django.conf import settings
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from oauth2_provider.models import get_application_model
from whitenoise import middleware

from .views import DATABASE_UNAVAILABLE, service_unavailable

logger = logging.getLogger(__name__)

# Vite names every file it fingerprints `<name>-<hash>.<ext>` under /assets/.
VITE_ASSET = re.compile(r"^/assets/.+-[\w-]{8,}\.\w+$")


class WhiteNoiseMiddleware(middleware.WhiteNoiseMiddleware):
    """
    Whitenoise, also caching the Ember build's fingerprinted assets for a year: it only
    recognises the hashes Django's static files storage writes.
    """

    def immutable_file_test(self, path, url):
        return bool(VITE_ASSET.match(url)) or super().immutable_file_test(path, url)


class CorsMiddleware(cors.CorsMiddleware):
    """
    Changes one thing: a request without an Origin header gets its `Vary: Origin` (on the paths
    CORS is on) without django-cors-headers looking for the header in `request.headers`, which
    builds a dict of every request header, a good part of what a GET /api/me costs. Most API
    requests carry no Origin: servers' calls, and the Ember app's own, which Django serves on its
    origin. django-cors-headers 4.9 (pinned); authsite/tests/test_cors.py holds the answers to
    those of the library itself.
    """

    def add_response_headers(self, request, response):
        if "HTTP_ORIGIN" in request.META:
            return super().add_response_headers(request, response)
        enabled = getattr(request, "_cors_enabled", None)  # check_preflight's, as in the library
        if enabled is None:
            enabled = self.is_enabled(request)
        if enabled:
            patch_vary_headers(response, ("origin",))
        return response


class DatabaseUnavailableMiddleware:
    """
    A view that cannot reach the database (DRF's and django-oauth-toolkit's views let the
    error through) answers 503 in its endpoint's format, with DEBUG on or off, instead of
    Django's 500. The failed transaction was rolled back as the error left it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        # One line, no traceback: during an outage every request fails the same way.
        logger.error("Database unavailable, answered 503 on %s: %s", request.path, exception)
        return service_unavailable(request)


# What a CSP source expression may hold: a scheme, a host and a port, nothing that could end it.
ORIGIN = re.compile(r"^https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]+)?$")


def authorization_request_of(request):
    """The query of the authorization request this page serves: the consent page's own, the login page's `next`."""
    authorize = reverse("oauth2_provider:authorize")
    if request.path == authorize:
        return request.GET
    if request.path == resolve_url(settings.LOGIN_URL):
        next_url = urlsplit(request.GET.get("next", ""))
        if next_url.path == authorize and not next_url.netloc:
            return QueryDict(next_url.query)
    return None


def client_redirect_origin(request):
    """The origin of the registered redirect URI that the authorization request on this page will end at."""
    query = authorization_request_of(request)
    if not query or "client_id" not in query:
        return None
    application = get_application_model().objects.filter(client_id=query["client_id"]).first()
    if application is None:
        return None
    redirect_uri = query.get("redirect_uri")
    if not redirect_uri:  # then the client's only registered one, as oauthlib decides
        registered = application.redirect_uris.split()
        redirect_uri = registered[0] if len(registered) == 1 else None
    if not redirect_uri or not application.redirect_uri_allowed(redirect_uri):
        return None
    parts = urlsplit(redirect_uri)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if ORIGIN.match(origin) else None


def is_page(response):
    return response.get("Content-Type", "").startswith("text/html")


class CSPMiddleware(csp.CSPMiddleware):
    """
    django-csp's, changed in two ways. The header goes on pages (text/html) only: a policy
    governs documents, and building it costs django-csp about 0.2 ms, which the JSON
    endpoints and the static files would pay on every answer for nothing. And the login and
    consent pages of an authorization request may send their form on to the client's
    registered redirect URI: Chromium applies form-action to every redirect that follows a
    form submission, and the authorization endpoint answers the consent (or a returning
    user's sign-in) with a redirect to the client.
    """

    def process_response(self, request, response):
        return super().process_response(request, response) if is_page(response) else response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and response.status_code == 200 and (origin := client_redirect_origin(request)):
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", ()), origin]
            parts.update = update
        return parts
