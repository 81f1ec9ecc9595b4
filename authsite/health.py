"""The load balancer's health check: is this app server able to serve, database included."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """
    200 "ok" when the database answers, 503 otherwise; a word and no detail, so it can stay public.
    The cache is not checked: without Redis this server still serves (the throttle fails open),
    and a health check on a shared Redis would take every server out of the pool at once.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer (%s).", type(error).__name__)
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
