"""Staff pages for tokens under hashed storage: they render, tell rows apart, and show no token."""

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root@example.com", "unused-Passw0rd!"))
    return client


@pytest.mark.parametrize("model", [AccessToken, RefreshToken])
def test_token_pages_render_without_the_token(superuser_client, login, user, model):
    tokens = login(user)
    row = model.objects.get()
    url = f"/admin/oauth2_provider/{model._meta.model_name}/"

    changelist = superuser_client.get(url)
    change = superuser_client.get(f"{url}{row.pk}/change/")

    assert changelist.status_code == 200
    assert change.status_code == 200
    for page in (changelist, change):
        assert user.email in page.content.decode()
        assert tokens["access_token"] not in page.content.decode()
        assert tokens["refresh_token"] not in page.content.decode()
    assert f"{url}{row.pk}/change/" in changelist.content.decode()
