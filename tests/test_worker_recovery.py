"""Recovery of the tasks of a dead worker: only of a dead one, never of a live one, and a task
that keeps killing its workers is failed, not tried for ever."""

import io
import socket
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ppid import workers
from ppid.workers import WorkerLease, recover_stranded_tasks, worker_alive
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db


def running_task(*worker_ids) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=list(worker_ids),
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="ppid.surel.send_surel",
        backend_name="default",
        run_after=timezone.now(),
    )


def wait_until_gone(worker_id: str, seconds: float = 10.0) -> None:
    """The server ends a closed session's backend, and frees its locks, a moment after the
    client hangs up (longer on a loaded machine): wait for that, as a recovery run later would."""
    deadline = time.monotonic() + seconds
    while worker_alive(worker_id):
        assert time.monotonic() < deadline, f"{worker_id}'s lock outlived its connection"
        time.sleep(0.05)


@pytest.fixture
def lease():
    held = []

    def take(worker_id):
        one = WorkerLease(worker_id)
        assert one.acquire()
        held.append(one)
        return one

    yield take
    for one in held:
        one.release()


def test_a_live_workers_task_stays_however_long_it_runs(lease):
    require_postgresql()
    live = lease("host-a:100:live")
    task = running_task("host-a:100:live")
    task.started_at = timezone.now() - timezone.timedelta(days=2)
    task.save()
    assert recover_stranded_tasks() == {"requeued": [], "failed": []}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING

    live.release()  # the worker dies: PostgreSQL drops its lock
    wait_until_gone("host-a:100:live")
    assert recover_stranded_tasks() == {"requeued": [str(task.id)], "failed": []}
    task.refresh_from_db()
    assert (task.status, task.started_at) == (TaskResultStatus.READY, None)
    assert task.worker_ids == ["host-a:100:live"]  # the history stays
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_only_the_dead_workers_tasks_go_back(lease):
    require_postgresql()
    lease("w-alive")
    alive = running_task("w-alive")
    dead = running_task("w-dead")
    moved_on = running_task("w-dead", "w-alive")  # re-run once already, now by a live worker
    done = recover_stranded_tasks()
    assert done == {"requeued": [str(dead.id)], "failed": []}
    for task, status in ((alive, "RUNNING"), (dead, "READY"), (moved_on, "RUNNING")):
        task.refresh_from_db()
        assert task.status == status


def test_a_task_whose_workers_keep_dying_is_failed_visibly(settings):
    require_postgresql()
    settings.TASKS_MAX_WORKER_DEATHS = 3
    task = running_task("w-1", "w-2", "w-3")
    assert recover_stranded_tasks() == {"requeued": [], "failed": [str(task.id)]}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "ppid.workers.WorkerDied"
    assert "3 times" in task.traceback
    assert task.finished_at is not None


def test_a_worker_starting_with_the_id_of_a_dead_one_takes_back_its_task(lease):
    require_postgresql()
    lease("systemd-1")  # the new process holds the id now
    task = running_task("systemd-1")
    assert recover_stranded_tasks() == {"requeued": [], "failed": []}  # looks alive ...
    done = recover_stranded_tasks(own_worker_id="systemd-1")  # ... but that is us, starting
    assert done["requeued"] == [str(task.id)]


def test_two_workers_never_share_an_id(lease, settings):
    require_postgresql()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lease("twice")
    with pytest.raises(CommandError, match="sudah dipakai oleh worker lain"):
        call_command("db_worker", "--worker-id", "twice", "--batch", "--no-reload")


def test_recover_tasks_command_lists_and_requeues(lease):
    require_postgresql()
    task = running_task("w-gone")
    out = io.StringIO()
    call_command("recover_tasks", "--dry-run", stdout=out)
    assert f"kembali ke antrean: {task.id}" in out.getvalue()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # a dry run changes nothing
    out = io.StringIO()
    call_command("recover_tasks", stdout=out)
    assert "1 tugas kembali ke antrean, 0 gagal" in out.getvalue()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_without_postgresql_a_worker_is_gone_when_its_process_is(monkeypatch):
    """SQLite in development: the id says host and process; that process is looked up."""
    monkeypatch.setattr(workers, "_uses_postgresql", lambda using: False)
    host = socket.gethostname()
    ended = subprocess.Popen(["true"])  # noqa: S607
    ended.wait()  # gone and reaped
    assert worker_alive(workers.default_worker_id()) is True  # this process
    assert worker_alive(f"{host}:{ended.pid}:abcdefgh") is False
    assert worker_alive("elsewhere:1:abcdefgh") is True  # another machine: cannot tell
    assert worker_alive("handmade-id") is True
