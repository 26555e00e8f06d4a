"""Re-read every stored file and compare it with the size and SHA-256 recorded at upload."""

import hashlib
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from dokumen.models import Berkas

CHUNK = 1024 * 1024  # bytes read at a time: memory stays flat whatever the file size
BATCH = 500  # files whose check is written in one UPDATE


def _record(checked: list[Berkas]) -> None:
    """Write the check time and problem of a batch, then empty it. bulk_update() keeps the
    check out of the files' edit history and their updated time, one statement a batch."""
    if checked:
        Berkas.objects.bulk_update(checked, ["last_verified_at", "fixity_problem"])
        checked.clear()


def check(berkas: Berkas) -> str:
    """The fixity problem of one file, or "" when its bytes are what was recorded."""
    storage, name = berkas.file.storage, berkas.file.name
    digest, size = hashlib.sha256(), 0
    try:
        with storage.open(name, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:  # local disk and django-storages S3 alike
        return _("File missing from storage")
    except OSError as exc:
        return _("File cannot be read: %(error)s") % {"error": exc.strerror or exc}
    if size != berkas.size:
        return _("Size changed: %(found)s bytes, %(recorded)s recorded") % {
            "found": size,
            "recorded": berkas.size,
        }
    if digest.hexdigest() != berkas.sha256:
        return _("Contents changed: SHA-256 differs from the one recorded")
    return ""


class Command(BaseCommand):
    help = (
        "Check the fixity of every stored file of every entry: active files and removed ones "
        "(a removed file's bytes are kept). Reads each file through the storage API in chunks, "
        "compares size and SHA-256 with what was recorded at upload, records the check time "
        "and any problem on the file, and exits with an error when a file is missing or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--active-only",
            action="store_true",
            help="Check only files that are not removed.",
        )

    def handle(self, *args, active_only=False, verbosity=1, **options):
        files = Berkas.objects.active() if active_only else Berkas.objects.all()
        files = files.only("pk", "entri_id", "file", "original_name", "size", "sha256")
        total = files.count()
        interactive = self.stdout.isatty() and verbosity > 0
        problems = 0
        with tqdm(
            total=total,
            unit=_("file"),
            disable=not interactive,
            file=sys.stderr,
            dynamic_ncols=True,
        ) as bar:
            checked: list[Berkas] = []
            for berkas in files.order_by("pk").iterator(chunk_size=BATCH):
                problem = check(berkas)
                berkas.last_verified_at = timezone.now()
                berkas.fixity_problem = problem[:200]
                checked.append(berkas)
                if len(checked) >= BATCH:
                    _record(checked)
                if problem:
                    problems += 1
                    line = _("Entry %(entri)s, file %(id)s (%(name)s): %(problem)s") % {
                        "entri": berkas.entri_id,
                        "id": berkas.pk,
                        "name": berkas.original_name,
                        "problem": problem,
                    }
                    if interactive:
                        bar.write(line, file=sys.stderr)
                    else:
                        self.stderr.write(line)
                bar.update(1)
            _record(checked)
        if problems:
            raise CommandError(
                _("%(problems)s of %(total)s files are missing or changed.")
                % {"problems": problems, "total": total}
            )
        if verbosity > 0:
            self.stdout.write(_("%(total)s files checked: all intact.") % {"total": total})
