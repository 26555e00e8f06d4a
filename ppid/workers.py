"""Tasks of a worker that died go back to the queue.

django-tasks-db marks a task RUNNING when a worker claims it (recording the worker's id in
`worker_ids`) and never looks at it again: a worker killed mid-task (SIGKILL, the OOM killer, a
power cut) leaves it RUNNING for ever. It has no heartbeat and no stale-task option, so:

- Each worker holds, for its whole life, a PostgreSQL session advisory lock named after its id,
  on a connection of its own (`WorkerLease`). PostgreSQL releases it when the process is gone,
  however it ended; a worker that is alive, even one busy for an hour or stopped, keeps it.
- `recover_stranded_tasks` looks at every RUNNING task; if the lock of the worker that claimed
  it can be taken, that worker is gone and the task goes back to READY (under the task's row
  lock, and only if nobody claimed it since), so a task is never run by two live workers at
  once. A task whose workers died TASKS_MAX_WORKER_DEATHS times is marked FAILED instead.
- Without PostgreSQL (SQLite in development, one machine) the worker id carries the host and
  the process id, and a worker is gone when that process no longer exists.

Every worker runs the recovery at start-up and every TASKS_RECOVERY_SECONDS; so does
`manage.py recover_tasks`.
"""

import contextlib
import hashlib
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connections, transaction
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = b"dik-task-worker:"
MAX_WORKER_ID = 64  # django-tasks-db's limit


class WorkerDied(Exception):
    """Recorded on a task whose worker died too many times while running it."""


def default_worker_id() -> str:
    """host:pid:random — unique, and says where the process ran (SQLite recovery needs it)."""
    suffix = f":{os.getpid()}:{get_random_string(8)}"
    return socket.gethostname()[: MAX_WORKER_ID - len(suffix)] + suffix


def lock_key(worker_id: str) -> int:
    """The advisory lock's 64-bit key for a worker id."""
    digest = hashlib.sha256(LOCK_NAMESPACE + worker_id.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _uses_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


class WorkerLease:
    """The worker's advisory lock, on a connection that Django's own clean-ups never close."""

    def __init__(self, worker_id: str, using: str = "default"):
        self.worker_id = worker_id
        self.using = using
        self._conn = None

    def acquire(self) -> bool:
        """False when a live worker already holds this id."""
        if not _uses_postgresql(self.using):
            return True
        wrapper = connections[self.using]
        conn = wrapper.get_new_connection(wrapper.get_connection_params())
        conn.autocommit = True  # a session lock, never an idle open transaction
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(self.worker_id)])
            (held,) = cursor.fetchone()
        if not held:
            conn.close()
            return False
        self._conn = conn
        return True

    def keep(self) -> None:
        """Check the lease's connection; after a lost connection, take the lock again."""
        if not _uses_postgresql(self.using):
            return
        if self._conn is not None:
            try:
                with self._conn.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return
            except Exception:
                logger.warning("worker %s lost its lease connection", self.worker_id)
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None
        if not self.acquire():
            logger.error("worker %s could not take its lease again", self.worker_id)

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def worker_alive(worker_id: str, using: str = "default") -> bool:
    """Is the worker that claimed a task still there? When unsure, yes (never run twice)."""
    if _uses_postgresql(using):
        key = lock_key(worker_id)
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (got,) = cursor.fetchone()
            if got:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return not got
    host, _sep, rest = worker_id.rpartition(":")[0].rpartition(":")
    if host != socket.gethostname()[: len(host)] or not host or not rest.isdigit():
        return True  # another machine's, or an id we did not make: cannot tell
    try:
        os.kill(int(rest), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stranded_tasks(*, own_worker_id: str | None = None, dry_run: bool = False) -> dict:
    """Put back in the queue the RUNNING tasks whose worker is gone; {"requeued", "failed"}.

    `own_worker_id`: the id of the worker starting up, which runs nothing yet, so a RUNNING task
    with that id belongs to an earlier process that used the same id.
    """
    done = {"requeued": [], "failed": []}
    running = DBTaskResult.objects.running().order_by("started_at")
    verdicts: dict[str, bool] = {}
    for task_id, worker_ids in running.values_list("id", "worker_ids"):
        if not worker_ids:
            continue
        last = worker_ids[-1]
        if last not in verdicts:
            verdicts[last] = last != own_worker_id and worker_alive(last)
        if verdicts[last]:
            continue
        outcome = "requeued" if len(worker_ids) < settings.TASKS_MAX_WORKER_DEATHS else "failed"
        if dry_run or _release(task_id, last, fail=outcome == "failed"):
            done[outcome].append(str(task_id))
    for task_id in done["requeued"]:
        logger.warning("task %s: its worker is gone, back in the queue", task_id)
    for task_id in done["failed"]:
        logger.error("task %s: its worker died while running it too often; failed", task_id)
    return done


def _release(task_id, worker_id: str, *, fail: bool) -> bool:
    with transaction.atomic():
        row = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        # claimed again in the meantime (by a worker that another recovery let run): not ours
        if (
            row is None
            or row.status != TaskResultStatus.RUNNING
            or row.worker_ids[-1:] != [worker_id]
        ):
            return False
        if fail:
            error = WorkerDied(
                f"The worker running this task stopped {len(row.worker_ids)} times "
                f"(last: {worker_id}); it is not tried again."
            )
            row.set_failed(error)
        else:
            row.status = TaskResultStatus.READY
            row.started_at = None
            row.save(update_fields=["status", "started_at"])
    return True


def run_maintenance(*, own_worker_id: str | None = None) -> None:
    """What every worker does at start-up and then periodically."""
    from dokumen.file_text import queue_lost_texts
    from ppid.surel import queue_lost_mail

    recover_stranded_tasks(own_worker_id=own_worker_id)
    queued = queue_lost_mail()
    if queued:
        logger.warning("%s waiting mail queued again (their task was lost)", queued)
    queued = queue_lost_texts()
    if queued:
        logger.warning("%s files waiting for their text queued again (their task was lost)", queued)


class Maintenance(threading.Thread):
    """Beside the worker loop: keeps the lease and runs the recovery every `interval` seconds."""

    def __init__(self, lease: WorkerLease, interval: float):
        super().__init__(name="dik-task-maintenance", daemon=True)
        self.lease = lease
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.lease.keep()
                run_maintenance()
            except Exception:
                logger.exception("task maintenance failed; trying again in %ss", self.interval)
            finally:
                connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
