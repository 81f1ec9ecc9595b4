from django.db import OperationalError


def test_healthz_answers_ok_while_the_database_does(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_without_detail_when_the_database_does_not(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused by 10.0.0.5")

    monkeypatch.setattr("authsite.health.connection", Unreachable())
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable"  # no error text, host or version


def test_healthz_is_read_only(client, db):
    assert client.post("/healthz").status_code == 405
