import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_manage_py_test_runs_the_pytest_suite():
    result = subprocess.run(
        [sys.executable, "manage.py", "test", "accounts/tests/test_users.py::test_email_is_stored_normalised"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
