import logging
import re

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
