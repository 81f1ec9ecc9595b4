"""Where the ID-token signing key comes from, read by a fresh `manage.py` process per configuration."""

from jwcrypto.jwk import JWK

from authsite.tests.test_settings import PROJECT_ROOT, git, manage, settings_in, sha256


def rsa_pem():
    return JWK.generate(kty="RSA", size=2048).export_to_pem(True, None).decode()


def signing_keys(**variables):
    """The active key and the retired ones as a process with `variables` sees them, each as a SHA-256."""
    values = settings_in("OAUTH2_PROVIDER", **variables)["OAUTH2_PROVIDER"]
    return sha256(values["OIDC_RSA_PRIVATE_KEY"]), [sha256(pem) for pem in values["OIDC_RSA_PRIVATE_KEYS_INACTIVE"]]


def production(**variables):
    return {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "auth.example.com"} | variables


def test_production_without_a_signing_key_refuses_to_start():
    result = manage("check", **production())

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "OIDC_RSA_PRIVATE_KEY" in result.stderr


def test_production_reads_the_key_from_the_environment_with_escaped_newlines():
    pem = rsa_pem()

    active, retired = signing_keys(**production(OIDC_RSA_PRIVATE_KEY=pem.replace("\n", "\\n")))

    assert active == sha256(pem)
    assert retired == []


def test_production_reads_the_key_and_the_retired_keys_from_files(tmp_path):
    active_pem, retired_pem = rsa_pem(), rsa_pem()
    (tmp_path / "active.pem").write_text(active_pem)
    (tmp_path / "retired.pem").write_text(retired_pem)

    active, retired = signing_keys(
        **production(
            OIDC_RSA_PRIVATE_KEY_FILE=str(tmp_path / "active.pem"),
            OIDC_RSA_INACTIVE_KEY_FILES=str(tmp_path / "retired.pem"),
        )
    )

    assert active == sha256(active_pem)
    assert retired == [sha256(retired_pem)]


def test_development_generates_the_key_once_into_a_private_git_ignored_file():
    active, _ = signing_keys(DEBUG="true")
    key_file = PROJECT_ROOT / ".oidc_key.pem"

    assert active == sha256(key_file.read_text())
    assert signing_keys(DEBUG="true")[0] == active  # not regenerated
    assert key_file.stat().st_mode & 0o077 == 0
    assert JWK.from_pem(key_file.read_bytes())["kty"] == "RSA"
    assert git("check-ignore", "--quiet", ".oidc_key.pem").returncode == 0
    assert git("ls-files", "--error-unmatch", ".oidc_key.pem").returncode != 0
