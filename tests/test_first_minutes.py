"""A newcomer's first minutes: `make run` says what it did in a few lines and ends with the users
and the address; mail of the demo goes to files; a missing Python says how to get one."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ppid import demo as ppid_demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_demo_output_is_a_summary_ending_with_the_users_and_the_address(settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    out = io.StringIO()
    call_command("demo", "--url", "http://127.0.0.1:8123/", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) < 20, lines
    assert lines[-1] == "Open http://127.0.0.1:8123/ and log in as one of them; stop with Ctrl-C."
    for username, _name, _roles, password in ppid_demo.DEMO_USERS:
        assert any(line.split()[:3] == [username, "/", password] for line in lines), username
    assert f"Mail: notifications are written to {tmp_path / 'mail'}/" in out.getvalue()
    assert not any("Content-Transfer-Encoding" in line for line in lines)


def test_development_mail_is_written_under_var():
    """Without EMAIL_HOST (make run) the settings send mail to files, never to the console."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env |= {"DEBUG": "1", "VAR_DIR": "/tmp/dik-var-check", "DATABASE_URL": "sqlite:///:memory:"}
    code = "from ppid import settings; print(settings.MAILERS['default'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "filebased.EmailBackend" in result.stdout
    assert "/tmp/dik-var-check/mail" in result.stdout


def test_without_python_312_the_makefile_says_how_to_get_it(tmp_path):
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            f"VENV={tmp_path}/venv",
            "PYTHON=",
            f"{tmp_path}/venv/bin/python",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    for step in (
        "Debian 12 ships 3.11",
        "ppa:deadsnakes/ppa",
        "pyenv install 3.12",
        "make PYTHON=/path/to/python3.12 run",
    ):
        assert step in result.stderr
    assert not (tmp_path / "venv").exists()
