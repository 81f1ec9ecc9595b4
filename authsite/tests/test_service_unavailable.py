"""The 503 answers themselves, where the outage tests (test_database_outage.py) cannot reach: errors outside a view."""

import pytest
from django.db import InterfaceError, OperationalError

from authsite.views import server_error
from metrics.instruments import DATABASE_UNAVAILABLE


def answer_to(request, error):
    """handler500 as Django calls it: while the error is being handled."""
    try:
        raise error
    except Exception:
        return server_error(request)


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection already closed")])
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/oauth/token", "application/json"),
        ("/api/me", "application/vnd.api+json"),
        ("/oauth/authorize", "text/html; charset=utf-8"),
        ("/accounts/login/", "text/html; charset=utf-8"),
    ],
)
def test_a_database_error_raised_outside_a_view_is_still_a_503(rf, error, path, content_type):
    response = answer_to(rf.post(path), error)
    assert response.status_code == 503
    assert response["Content-Type"] == content_type
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_any_other_error_is_still_djangos_500(rf):
    response = answer_to(rf.get("/api/me"), ValueError("a bug"))
    assert response.status_code == 500
    assert b"Server Error (500)" in response.content


def test_each_503_is_counted_in_the_metrics(rf):
    before = DATABASE_UNAVAILABLE._value.get()

    answer_to(rf.get("/api/me"), OperationalError("connection refused"))
    answer_to(rf.get("/api/me"), ValueError("a bug"))

    assert DATABASE_UNAVAILABLE._value.get() == before + 1
