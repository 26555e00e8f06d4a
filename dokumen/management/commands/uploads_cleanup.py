"""Remove abandoned uploads: partial tus uploads left untouched, and temporary upload files that
a killed or restarted server left in FILE_UPLOAD_TEMP_DIR.

An upload still being written is never touched: a partial upload whose file another request
holds locked (a PATCH in progress) is skipped, and a file counts as abandoned only when
neither it nor its row changed for --hours (24 by default).
"""

import datetime
import fcntl
import uuid

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen.models import PartialUpload
from dokumen.tus import partial_dir, partial_path
from dokumen.upload_handlers import upload_temp_dir


def _remove_unless_locked(path) -> bool | None:
    """Remove the file under its lock: False when a request holds it (still being written),
    None when there was no file."""
    try:
        with open(path, "rb") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            path.unlink()
            return True
    except FileNotFoundError:
        return None


class Command(BaseCommand):
    help = "Remove partial uploads not touched for a day and stale temporary upload files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=24,
            help="age (since the last byte arrived) from which an upload counts as abandoned",
        )

    def handle(self, *args, hours: float, **options):
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        rows = files = 0
        for upload in PartialUpload.objects.filter(updated_at__lt=cutoff).iterator():
            removed = _remove_unless_locked(partial_path(upload))
            if removed is False:
                continue
            files += bool(removed)
            upload.delete()
            rows += 1

        live = {str(pk) for pk in PartialUpload.objects.values_list("pk", flat=True)}
        tus_dir = partial_dir()
        for path in sorted(upload_temp_dir().rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            if path.parent == tus_dir and _upload_id(path) in live:
                continue  # its row decides (above)
            if path.stat().st_mtime < cutoff.timestamp() and _remove_unless_locked(path):
                files += 1

        if options["verbosity"] > 0:
            self.stdout.write(
                _("%(rows)s abandoned uploads and %(files)s temporary files removed.")
                % {"rows": rows, "files": files}
            )


def _upload_id(path) -> str:
    try:
        return str(uuid.UUID(path.stem))
    except ValueError:
        return ""
