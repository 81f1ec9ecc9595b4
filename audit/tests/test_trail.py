"""Where events go (the JSON log line), how long they stay (pruneaudit), the admin, and what is not an event."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from audit.models import Event, Kind
from conftest import PASSWORD, bearer

from .conftest import IP, USER_AGENT, family_of

pytestmark = pytest.mark.django_db


def test_each_event_is_one_json_line(audit_log, login, user):
    tokens = login(user)

    (line,) = audit_log()
    event = Event.objects.get(kind=Kind.TOKENS_ISSUED)
    assert json.loads(line) == {
        "time": event.time.isoformat(),
        "kind": "tokens_issued",
        "user": user.pk,
        "email": None,
        "client_id": "ember-app",
        "ip": IP,
        "user_agent": USER_AGENT,
        "grant_type": "password",
        "token_family": str(family_of(tokens["refresh_token"])),
        "detail": None,
    }
    assert "\n" not in line


def test_settings_send_the_audit_logger_to_its_own_handler(settings):
    audit = settings.LOGGING["loggers"]["authsite.audit"]
    assert (audit["level"], audit["propagate"]) == ("INFO", False)
    assert settings.LOGGING["handlers"][audit["handlers"][0]]["formatter"] == "audit"
    assert settings.AUDIT_RETENTION_DAYS == 365


def at(days_ago, kind=Kind.SIGNED_IN):
    return Event.objects.create(kind=kind, time=timezone.now() - timedelta(days=days_ago))


def test_pruneaudit_keeps_the_retention_period(settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 30
    kept = [at(0), at(29)]
    for days in (31, 400):
        at(days)

    call_command("pruneaudit")

    assert set(Event.objects.all()) == set(kept)
    assert "Deleted 2 audit events" in capsys.readouterr().out


def test_pruneaudit_days_option(capsys):
    at(1)
    at(3)

    call_command("pruneaudit", "--days", "2")

    assert Event.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("pruneaudit", "--days", "0")


def test_api_me_is_no_event_and_costs_no_query(client, login, user, django_assert_num_queries):
    headers = bearer(login(user)["access_token"])
    before = Event.objects.count()

    with django_assert_num_queries(1):
        assert client.get("/api/me", **headers).status_code == 200

    assert Event.objects.count() == before


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root@example.com", PASSWORD))
    return client


def test_admin_is_read_only_even_for_superusers(admin_client_, user):
    event = Event.objects.record(Kind.PASSWORD_CHANGED, user_id=user.pk)
    base = "/admin/audit/event/"

    assert admin_client_.get(base).status_code == 200
    assert admin_client_.get(f"{base}add/").status_code == 403
    page = admin_client_.get(f"{base}{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # a view, not a form
    assert admin_client_.post(f"{base}{event.pk}/change/", {"kind": "signed_in"}).status_code == 403
    assert admin_client_.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client_.post(base, {"action": "delete_selected", "_selected_action": [event.pk]}).status_code == 200
    event.refresh_from_db()
    assert event.kind == Kind.PASSWORD_CHANGED


def test_admin_filters_and_search(admin_client_, user, staff_user):
    Event.objects.all().delete()  # the superuser's own sign-in
    now = timezone.now()
    Event.objects.record(Kind.SIGN_IN_FAILED, user_id=user.pk, email=user.email, client_id="ember-app")
    Event.objects.record(Kind.TOKENS_ISSUED, user_id=staff_user.pk, client_id="other-spa")
    Event.objects.create(kind=Kind.SIGNED_IN, user=user, time=now - timedelta(days=40), ip="198.51.100.9")

    def listed(**query):
        response = admin_client_.get("/admin/audit/event/", query)
        assert response.status_code == 200
        return {event.kind for event in response.context["cl"].result_list}

    assert listed() == {"signed_in", "sign_in_failed", "tokens_issued"}
    assert listed(kind__exact="tokens_issued") == {"tokens_issued"}
    assert listed(client_id="ember-app") == {"sign_in_failed"}
    assert listed(user__id__exact=user.pk) == {"signed_in", "sign_in_failed"}
    assert listed(time__gte=str(now - timedelta(days=7))) == {"sign_in_failed", "tokens_issued"}
    assert listed(time__year=now.year, time__month=now.month) == {"sign_in_failed", "tokens_issued"}
    assert listed(q="staff@example.com") == {"tokens_issued"}
    assert listed(q="198.51.100.9") == {"signed_in"}
    assert listed(q="alice@example.com") == {"signed_in", "sign_in_failed"}
    page = admin_client_.get("/admin/audit/event/").content.decode()
    for choice in ("ember-app", "other-spa", "staff@example.com", "By kind", "By time"):
        assert choice in page


def test_an_address_that_is_no_ip_is_left_out_and_a_long_user_agent_is_cut(db):
    request = RequestFactory().get("/", REMOTE_ADDR="unknown", HTTP_USER_AGENT="x" * 2000)

    event = Event.objects.record(Kind.SIGNED_IN, request=request)

    event.refresh_from_db()
    assert (event.ip, event.user_agent) == (None, "x" * 512)
