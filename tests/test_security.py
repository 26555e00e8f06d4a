"""Hardening: production settings pass `check --deploy`, logins are throttled, headers are set."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "uji-" + "k7#Qm2v!Zp9xL4wR8sT1yB6nF3jH5dG0cV" * 2,
    "ALLOWED_HOSTS": "ppid.kpu-pinrang.example",
    "CSRF_TRUSTED_ORIGINS": "https://ppid.kpu-pinrang.example",
    "DATABASE_URL": "postgres://dik@db.internal:5432/dik",
    "EMAIL_HOST": "smtp.kpu-pinrang.example",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py with the real settings and only the given environment."""
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    clean["DJANGO_SETTINGS_MODULE"] = "ppid.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_in_s3_mode_pass_the_deploy_check():
    env = {**PRODUCTION_ENV, "STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "dik-pinrang"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_notices_a_weakened_setting():
    # the check above can fail: switching the HSTS header off is reported
    env = {**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY wajib diisi saat DEBUG=0"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS wajib diisi saat DEBUG=0"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_development_needs_no_secret_key():
    result = manage("check", env={"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_pages_send_nosniff_csp_without_unsafe_inline_and_deny_frames(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    # scripts only from our own origin (or carrying the page's nonce), never inline code
    sources = policy["script-src"].split()
    assert "'self'" in sources
    assert all(s == "'self'" or s.startswith("'nonce-") for s in sources), sources
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def post_login(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_failed_logins_lock_that_username_from_that_address(client, desk, ppid):
    for _ in range(4):
        response = post_login(client, "desk", "salah")
        assert response.status_code == 200
        assert "Masuk petugas" in response.content.decode()
    response = post_login(client, "desk", "salah")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in html
    assert "15 menit" in html
    # even the right password is refused while locked
    response = post_login(client, "desk", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # another user from the same address, and the same user from elsewhere, may still log in
    assert post_login(client, "ppid", PASSWORD).status_code == 302
    client.logout()
    assert post_login(client, "desk", PASSWORD, address="10.0.0.8").status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cooloff(client, desk):
    for _ in range(5):
        post_login(client, "desk", "salah")
    assert post_login(client, "desk", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = post_login(client, "desk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # then on to the desk (tests/test_navigation.py)


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, desk):
    for _ in range(4):
        post_login(client, "desk", "salah")
    assert post_login(client, "desk", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "desk", "salah").status_code == 200


@pytest.mark.django_db
def test_admin_login_is_throttled_too(client, user_with):
    user_with(username="kepala", is_staff=True, is_superuser=True)
    for _ in range(5):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "kepala", "password": "salah"},
            REMOTE_ADDR="10.0.0.9",
        )
    assert response.status_code == 429


@pytest.mark.django_db
def test_session_ends_at_browser_close_and_after_eight_hours(client, desk):
    response = post_login(client, "desk", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    # no expiry on the cookie: the browser drops it when it closes
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert client.get(reverse("meja:beranda")).status_code == 200
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < lifetime <= datetime.timedelta(hours=8)
    # eight hours on, the same cookie no longer logs anybody in
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("meja:beranda"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_client_address_behind_trusted_proxies(rf, settings):
    from ppid.throttle import client_address

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # the entry our proxy wrote, not the one the client forged to its left
    assert client_address(request) == "203.0.113.5"
