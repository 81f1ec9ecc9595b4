from time import perf_counter

from .instruments import REQUEST_DURATION, REQUESTS

UNMATCHED = "unmatched"  # no URL pattern matched (a 404 before any view), or a middleware answered
METHODS = frozenset(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])


class RequestMetricsMiddleware:
    """
    Counts and times every request Django answers, labelled with the name of the URL pattern
    that matched (read from request.resolver_match, which the handler set: nothing is resolved
    twice). The labelled series are looked up once per (view, method, status) and kept, so a
    request costs a dictionary lookup, an increment and an observation.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.series = {}

    def __call__(self, request):
        started = perf_counter()
        response = self.get_response(request)
        elapsed = perf_counter() - started
        match = request.resolver_match
        key = (match.view_name if match is not None else UNMATCHED, request.method, response.status_code)
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = self.labelled(*key)
        series[0].inc()
        series[1].observe(elapsed)
        return response

    @staticmethod
    def labelled(view, method, status):
        # Any token is a valid method: the others are one label value, so none can grow the series.
        method = method if method in METHODS else "other"
        return REQUESTS.labels(view, method, str(status)), REQUEST_DURATION.labels(view)
