"""Queue the reading of the files whose text is missing; with --again, the failed ones too.

The upload service queues each reading after commit and every worker queues the lost ones
(dokumen.file_text.queue_lost_texts, ten minutes late); this does it now, for every waiting
file that is due and has no task. Safe to run at any time: a file is read once.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dokumen.file_text import failed_wait_again, queue_lost_texts


class Command(BaseCommand):
    help = "Queue the reading of file texts that are waiting (the worker reads them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--again",
            action="store_true",
            help="Also read again the files whose reading failed (after fixing the cause).",
        )

    def handle(self, *args, **options):
        again = failed_wait_again() if options["again"] else 0
        queued = queue_lost_texts(lost_after=datetime.timedelta(0))
        self.stdout.write(
            _("%(n)s file texts queued (%(failed)s of them failed before).")
            % {"n": queued, "failed": again}
        )
