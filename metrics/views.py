import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, exposition, multiprocess


def _registry():
    """Every worker's samples under gunicorn (summed from PROMETHEUS_MULTIPROC_DIR), else this process's."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


REGISTRY_TO_SERVE = _registry()


def _bearer_token(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_safe
def metrics(request):
    """
    GET /metrics: the Prometheus text format, for a scraper that sends METRICS_TOKEN as a
    bearer token (RFC 6750). Without METRICS_TOKEN the endpoint does not exist (404).
    """
    if not settings.METRICS_TOKEN:
        raise Http404
    token = _bearer_token(request)
    if not constant_time_compare(token, settings.METRICS_TOKEN):
        challenge = 'Bearer realm="metrics"' + (', error="invalid_token"' if token else "")
        return HttpResponse(
            "Unauthorized\n", status=401, content_type="text/plain", headers={"WWW-Authenticate": challenge}
        )
    return HttpResponse(exposition.generate_latest(REGISTRY_TO_SERVE), content_type=exposition.CONTENT_TYPE_LATEST)
