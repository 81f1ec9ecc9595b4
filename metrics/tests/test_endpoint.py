"""Who may read GET /metrics: a scraper with METRICS_TOKEN, nobody when it is not set."""

import pytest

from .scrape import TOKEN, samples, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def test_without_a_configured_token_the_endpoint_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_no_token_gets_a_bearer_challenge(client, metrics_token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"authsite_" not in response.content


@pytest.mark.parametrize(
    "authorization",
    ["Bearer wrong", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN],
)
def test_a_wrong_token_is_refused(client, metrics_token, authorization):
    response = client.get("/metrics", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="metrics"')
    assert b"authsite_" not in response.content


def test_the_token_reads_the_metrics(client, metrics_token):
    client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {metrics_token}")  # counted once answered
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {metrics_token}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]
    scraped = samples(response.content.decode())
    assert value(scraped, "authsite_http_requests_total", view="metrics", method="GET", status="200") >= 1
    assert value(scraped, "authsite_http_request_duration_seconds_count", view="metrics") >= 1


def test_only_get_and_head(client, metrics_token):
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {metrics_token}")
    assert response.status_code == 405
