"""The Ember app's build served at the site's root, beside the server's own routes."""

import pytest

INDEX = b'<!DOCTYPE html><html><head><script type="module" src="/assets/main-Ab3_x9Zq.js"></script></head></html>'
SCRIPT = b"console.log('app');"


@pytest.fixture
def ember_build(settings, tmp_path):
    """A stand-in for `npm run build`'s output in frontend/dist/."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_bytes(INDEX)
    (tmp_path / "assets" / "main-Ab3_x9Zq.js").write_bytes(SCRIPT)
    (tmp_path / "robots.txt").write_bytes(b"User-agent: *\n")
    settings.EMBER_APP_DIR = settings.WHITENOISE_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/login", "/users", "/profile", "/users/12/edit", "/login/google-oauth2"])
def test_the_app_routes_get_index_html(client, ember_build, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == INDEX
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"


def test_a_new_build_is_served_without_a_restart(client, ember_build):
    assert client.get("/users").content == INDEX
    (ember_build / "index.html").write_bytes(b"<!DOCTYPE html><title>rebuilt</title>")
    assert client.get("/users").content == b"<!DOCTYPE html><title>rebuilt</title>"


def test_fingerprinted_assets_are_served_and_cached_for_good(client, ember_build):
    response = client.get("/assets/main-Ab3_x9Zq.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCRIPT
    assert response["Content-Type"].startswith("text/javascript")
    assert "immutable" in response["Cache-Control"]


def test_other_files_at_the_root_are_served_but_revalidated(client, ember_build):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/assets/missing-Ab3_x9Zq.js", "/assets/", "/favicon.ico", "/users.json"])
def test_a_missing_file_is_a_404_not_the_app(client, ember_build, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content != INDEX


def test_the_server_routes_keep_their_own_answers(client, ember_build):
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/nowhere").status_code == 404
    assert client.get("/oauth/token").status_code == 405
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin")["Location"] == "/admin/"  # APPEND_SLASH, not the app
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/.well-known/oauth-authorization-server").json()["token_endpoint"].endswith("/oauth/token")
    for response in (client.get("/api/nowhere"), client.get("/oauth/nowhere")):
        assert response.content != INDEX


def test_the_app_is_only_read(client, ember_build):
    response = client.post("/users")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_without_a_build_the_app_routes_say_how_to_build_it(client, settings, tmp_path):
    settings.EMBER_APP_DIR = settings.WHITENOISE_ROOT = tmp_path / "dist"
    response = client.get("/users")
    assert response.status_code == 404
    assert b"npm run build" in response.content
