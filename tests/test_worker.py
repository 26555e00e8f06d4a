"""Background tasks: inline under the test settings, and the real worker against PostgreSQL."""

import datetime
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import storages
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone

from dokumen.berkas import berkas_add
from dokumen.models import Berkas
from ppid.roles import Role
from ppid.tasks import clear_expired_sessions
from tests import berkas_samples as samples
from tests.factories import EntriFactory, UserFactory
from tests.services import require_postgresql

ROOT = Path(__file__).resolve().parent.parent


def make_sessions():
    """One session expired an hour ago, one still valid; returns the valid one's key."""
    expired = SessionStore()
    expired["x"] = 1
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(hours=1)
    )
    valid = SessionStore()
    valid["x"] = 2
    valid.create()
    return valid.session_key


def database_url() -> str:
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db
def test_task_runs_inline_under_test_settings():
    valid = make_sessions()
    result = clear_expired_sessions.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [valid]


def run_worker() -> subprocess.CompletedProcess:
    """The real worker, as production runs it, on this test's database and file storage."""
    var_dir = Path(storages["private"].location).parent  # private/ and public/ as in settings
    assert Path(storages["public"].location).parent == var_dir
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="ppid.settings",
        DATABASE_URL=database_url(),
        DEBUG="1",
        VAR_DIR=str(var_dir),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_queued_task_on_postgresql(settings):
    require_postgresql()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    valid = make_sessions()
    result = clear_expired_sessions.enqueue()
    # queued, not run: the upload (or whatever enqueued it) returns at once
    assert result.status == TaskResultStatus.READY
    assert Session.objects.count() == 2

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, worker.stderr
    assert result.return_value == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [valid]


@pytest.mark.django_db(transaction=True)
def test_real_worker_draws_the_thumbnails_of_an_upload(settings):
    require_postgresql()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # an earlier transactional test flushed the rows the migrations seed: no reference data
    Group.objects.get_or_create(name=Role.DESK.value)
    desk = UserFactory(roles=[Role.DESK])
    entri = EntriFactory()  # collected: needs no reference data
    # committed for real (transaction=True): the service queues one task per picture on commit
    pdf, png = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[
            samples.upload("pindaian.pdf", samples.pdf_bytes(2)),
            samples.upload("halaman.png", samples.image_bytes("PNG")),
        ],
    )
    assert not Berkas.objects.exclude(thumbnail="").exists()

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr

    storage = storages["private"]
    for berkas in (pdf, png):
        berkas.refresh_from_db()
        assert berkas.thumbnail, worker.stderr
        with storage.open(berkas.thumbnail.name, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
