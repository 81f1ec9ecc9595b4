import pytest

from audit.models import Event, Kind
from conftest import stored_refresh_tokens

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_staff_see_a_users_live_sessions_and_activity(client, admin_user, user, login):
    tokens = login(user)
    family = stored_refresh_tokens(tokens["refresh_token"]).get().token_family
    Event.objects.filter(token_family=family).update(user_agent=FIREFOX)
    ended = login(user)
    stored_refresh_tokens(ended["refresh_token"]).get().revoke()
    client.force_login(admin_user)

    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()

    assert str(family) in page
    assert str(stored_refresh_tokens(ended["refresh_token"]).get().token_family) not in page
    assert "Firefox 128 on Linux" in page
    assert f"/admin/audit/event/?user__id__exact={user.pk}&amp;time__gte=" in page
    events = client.get(f"/admin/audit/event/?user__id__exact={user.pk}&time__gte=2000-01-01T00:00Z")
    assert events.status_code == 200
    assert str(Kind.TOKENS_ISSUED.label) in events.content.decode()
