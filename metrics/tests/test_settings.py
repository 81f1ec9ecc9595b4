"""METRICS_* read from the environment, each in a fresh process (see authsite/tests/test_settings.py)."""

from authsite.tests.test_settings import manage, settings_in

MIDDLEWARE = "metrics.middleware.RequestMetricsMiddleware"


def test_a_short_token_is_refused_at_start():
    result = manage("check", METRICS_TOKEN="short")
    assert result.returncode != 0
    assert "METRICS_TOKEN must be at least 32 characters" in result.stderr


def test_defaults_count_requests_and_serve_no_metrics():
    found = settings_in("METRICS_TOKEN", "MIDDLEWARE")
    assert found["METRICS_TOKEN"] == ""
    assert MIDDLEWARE in found["MIDDLEWARE"]


def test_request_metrics_can_be_turned_off():
    token = "t" * 32
    found = settings_in("METRICS_TOKEN", "MIDDLEWARE", METRICS_REQUESTS="false", METRICS_TOKEN=token)
    assert found["METRICS_TOKEN"] == token
    assert MIDDLEWARE not in found["MIDDLEWARE"]
