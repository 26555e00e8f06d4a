"""`manage.py db_worker`: django-tasks-db's worker, plus what it lacks for a killed worker.

Before the worker loop starts it takes its lease (ppid/workers.py) and puts back in the queue
the tasks of workers that are gone; a thread beside the loop repeats that every
TASKS_RECOVERY_SECONDS. The options are the library's.
"""

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker as library

from ppid.workers import Maintenance, WorkerLease, default_worker_id, run_maintenance


class Command(library.Command):
    help = (
        "Run a database background worker; tasks left running by a worker that died go back "
        "to the queue."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id())

    def handle(self, *args, **options) -> None:
        reload = options["reload"] and not options["batch"]
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # the reloader's parent process only watches the files; its child runs the tasks
            return super().handle(*args, **options)
        self.configure_logging(options["verbosity"])
        worker_id = options["worker_id"]
        lease = WorkerLease(worker_id)
        if not lease.acquire():
            raise CommandError(
                _("Worker id %(id)s is already used by another running worker.") % {"id": worker_id}
            )
        maintenance = None
        try:
            run_maintenance(own_worker_id=worker_id)
            if not options["batch"]:
                maintenance = Maintenance(lease, settings.TASKS_RECOVERY_SECONDS)
                maintenance.start()
            super().handle(*args, **options)
        finally:
            if maintenance is not None:
                maintenance.stop()
            lease.release()
