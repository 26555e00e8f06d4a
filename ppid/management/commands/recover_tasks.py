from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ppid.surel import queue_lost_mail
from ppid.workers import recover_stranded_tasks


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks left running by a worker that is gone, and queue "
        "again waiting mail whose task was lost. Every worker does this at start-up and every "
        "TASKS_RECOVERY_SECONDS; this command is for a look by hand or cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be done.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        done = recover_stranded_tasks(dry_run=dry_run)
        for task_id in done["requeued"]:
            self.stdout.write(_("back in the queue: %(id)s") % {"id": task_id})
        for task_id in done["failed"]:
            self.stdout.write(_("failed (its worker died too often): %(id)s") % {"id": task_id})
        mail = 0 if dry_run else queue_lost_mail()
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "%(requeued)s tasks back in the queue, %(failed)s failed, "
                    "%(mail)s waiting mail queued again."
                )
                % {"requeued": len(done["requeued"]), "failed": len(done["failed"]), "mail": mail}
            )
