"""Queue a thumbnail for every file that should have one and has none.

The upload service queues one after commit; this catches what never got drawn (the queue was
down, a worker died, a restore brought files without their thumbnails). Safe to run at any time:
drawing twice keeps one thumbnail.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dokumen.models import Berkas
from dokumen.thumbnails import draw_thumbnail, thumbnail_pending


class Command(BaseCommand):
    help = "Queue the thumbnails that are missing (the worker draws them)."

    def handle(self, *args, **options):
        pending = Berkas.objects.active().filter(thumbnail="", preview_problem="")
        queued = 0
        for berkas in pending.iterator():
            if thumbnail_pending(berkas):
                draw_thumbnail.enqueue(berkas.pk)
                queued += 1
        self.stdout.write(_("%(n)s thumbnails queued.") % {"n": queued})
