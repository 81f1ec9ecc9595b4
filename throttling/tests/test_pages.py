"""The HTML sign-in pages, the admin's list of failures and the command that clears them, on a live server."""

import re

import pytest
import requests
from axes.models import AccessAttempt
from django.core.management import call_command

from conftest import PASSWORD

from .hashers import CountingHasher
from .live import ALICE, WRONG, csrf_token, time_passes

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = "staff@example.com"
REFUSED = re.compile(r"Too many sign-in attempts\. Try again in 1 minute\.")


@pytest.fixture
def staff(site, django_user_model):
    user = django_user_model.objects.create_superuser(STAFF, PASSWORD)
    CountingHasher.runs = 0
    return user


@pytest.mark.parametrize(
    ("path", "wrong_password_says"),
    [
        ("/accounts/login/", "Please enter a correct email address and password."),
        ("/admin/login/", "Please enter the correct email address and password for a staff account."),
    ],
)
def test_a_login_page_says_when_to_try_again(site, staff, hashes, path, wrong_password_says):
    for _ in range(5):
        answer = site.form_login(path, STAFF, WRONG)
        assert answer.status_code == 200
        assert wrong_password_says in answer.text
    assert hashes() == 5

    for password in (WRONG, PASSWORD):
        answer = site.form_login(path, STAFF, password)
        assert answer.status_code == 200
        assert REFUSED.search(answer.text)
        assert wrong_password_says not in answer.text
        assert 'name="password"' in answer.text  # the form again
    assert hashes() == 5

    time_passes(60)
    signed_in = site.form_login(path, STAFF, PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.cookies["device"]
    assert not AccessAttempt.objects.exists()


def test_staff_see_active_locks_in_the_admin_and_clear_them(site, staff):
    for _ in range(5):
        site.token()
    admin = requests.Session()
    assert site.form_login("/admin/login/", STAFF, PASSWORD, browser=admin).status_code == 302

    changelist = admin.get(f"{site.url}/admin/axes/accessattempt/", timeout=30)
    assert changelist.status_code == 200
    assert ALICE in changelist.text
    assert "Refused until" in changelist.text
    assert re.search(r'<td class="field-refused_until nowrap">[A-Z][^<]+</td>', changelist.text)  # a time, not -
    attempt = AccessAttempt.objects.get(username=ALICE)
    assert attempt.failures_since_start == 5

    answer = admin.post(
        f"{site.url}/admin/axes/accessattempt/",
        data={"csrfmiddlewaretoken": csrf_token(changelist.text), "action": "unlock", "_selected_action": attempt.pk},
        timeout=30,
    )
    assert answer.status_code == 200
    assert "Forgot 1 rows of failed sign-ins." in answer.text
    assert not AccessAttempt.objects.exists()
    assert site.token(password=PASSWORD).status_code == 200


def test_a_management_command_clears_locks(site):
    for username in (ALICE, "nobody@example.com"):
        for _ in range(5):
            site.token(username=username)
    assert site.token().status_code == 429

    call_command("axes_reset_username", ALICE)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nobody@example.com"]
    assert site.token(password=PASSWORD).status_code == 200

    call_command("axes_reset")
    assert not AccessAttempt.objects.exists()
