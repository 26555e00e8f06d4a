"""Background tasks with the real worker against PostgreSQL: it runs what is queued, and the
task of a worker killed mid-task is run again by the next worker, exactly once."""

import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dokumen.berkas import berkas_add
from dokumen.models import Berkas
from ppid.models import Surel
from ppid.roles import Role
from ppid.surel import queue_mail
from ppid.workers import worker_alive
from tests import berkas_samples as samples
from tests.factories import EntriFactory, UserFactory
from tests.services import require_postgresql

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_command(*extra) -> tuple[list[str], dict]:
    """The real worker, as production runs it, on this test's database and file storage; its
    mail server is tests.mail_backends.FlagFileBackend in MAIL_DIR."""
    var_dir = Path(storages["private"].location).parent  # private/ and public/ as in settings
    assert Path(storages["public"].location).parent == var_dir
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        DATABASE_URL=database_url(),
        DEBUG="1",
        VAR_DIR=str(var_dir),
        DIK_TEST_MAIL_DIR=str(MAIL_DIR),
    )
    argv = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return [*argv, *extra], env


MAIL_DIR = Path()


@pytest.fixture
def mail_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "MAIL_DIR", tmp_path)
    return tmp_path


def run_worker() -> subprocess.CompletedProcess:
    argv, env = worker_command("--batch")
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds}s for {what}")
        time.sleep(0.05)


def sent_lines(mail_dir: Path) -> list[str]:
    sent = mail_dir / "sent.txt"
    return sent.read_text().splitlines() if sent.exists() else []


@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_queued_mail_on_postgresql(settings, mail_dir):
    require_postgresql()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    (mail_dir / "go").touch()
    surel = queue_mail(subject="[DIK] Antrean", body="Isi", to=["a@kpu-pinrang.example"])
    [task] = DBTaskResult.objects.all()
    # queued, not sent: the request (or whatever queued it) returns at once
    assert task.status == TaskResultStatus.READY
    assert sent_lines(mail_dir) == []

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, worker.stderr
    assert sent_lines(mail_dir) == ["[DIK] Antrean"]
    surel.refresh_from_db()
    assert (surel.status, surel.attempts) == (Surel.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_the_task_of_a_killed_worker_is_done_by_the_next_one_exactly_once(settings, mail_dir):
    require_postgresql()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    surel = queue_mail(subject="[DIK] Sekali saja", body="Isi", to=["a@kpu-pinrang.example"])
    [task] = DBTaskResult.objects.all()

    argv, env = worker_command()
    first = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # the worker is talking to the mail server, which waits for "go"
        wait_for(lambda: list(mail_dir.glob("started-*")), "the first worker to start sending")
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
        [first_id] = task.worker_ids
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    # the process is gone; PostgreSQL notices its closed connections and drops its lease
    wait_for(lambda: not worker_alive(first_id), "the killed worker's lease to go", 30)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # stranded: nothing else takes it
    surel.refresh_from_db()
    assert (surel.status, surel.attempts) == (Surel.Status.WAITING, 0)  # rolled back

    (mail_dir / "go").touch()
    second = run_worker()
    assert second.returncode == 0, second.stderr

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, second.stderr
    assert len(task.worker_ids) == 2 and task.worker_ids[0] == first_id
    assert len(list(mail_dir.glob("started-*"))) == 2  # begun twice ...
    assert sent_lines(mail_dir) == ["[DIK] Sekali saja"]  # ... sent once
    surel.refresh_from_db()
    assert (surel.status, surel.attempts) == (Surel.Status.SENT, 1)
    assert Surel.objects.filter(status=Surel.Status.SENT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_real_worker_draws_the_thumbnails_of_an_upload(settings, mail_dir):
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
