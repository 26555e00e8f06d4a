"""Import an office's existing DIK list from the command line (for the IT officer).

The same services as the page: the file is kept privately, checked row by row, and its valid
rows are imported in one transaction, each logged as imported by the named PPID of the office
with the file's SHA-256 and the row. The same file again adds nothing.

    manage.py impor_dik daftar.xlsx --oleh ppid [--kantor kab-pinrang] [--periksa]
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from impor import services
from impor.models import Impor
from ppid.errors import ActionRefused
from ppid.models import Kantor


class Command(BaseCommand):
    help = "Import an existing DIK list (.xlsx or .csv) for an office, as its PPID."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--oleh", required=True, help="username of the office's PPID")
        parser.add_argument("--kantor", help="the office's address (slug), e.g. kab-pinrang")
        parser.add_argument(
            "--periksa", action="store_true", help="only check the rows; import nothing"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        by = get_user_model().objects.filter(username=options["oleh"], is_active=True).first()
        if by is None:
            raise CommandError(f"No active user {options['oleh']!r}.")
        kantor = None
        if options["kantor"]:
            kantor = Kantor.objects.filter(slug=options["kantor"]).first()
            if kantor is None:
                raise CommandError(f"No office {options['kantor']!r}.")
        started = time.monotonic()
        try:
            with path.open("rb") as fh:
                impor, created = services.impor_upload(
                    by=by, upload=File(fh, name=path.name), kantor=kantor
                )
            if impor.status == Impor.Status.DONE:
                self.stdout.write(
                    f"Already imported on {impor.imported_at:%Y-%m-%d %H:%M}: "
                    f"{impor.rows_imported} entries; nothing was added."
                )
                return
            preview = services.impor_preview(impor=impor, by=by)
            for problem in preview.problems:
                self.stdout.write(f"file: {problem}")
            for row in preview.invalid:
                for problem in row.problems:
                    self.stdout.write(f"row {row.number}: {problem}")
            self.stdout.write(
                f"{len(preview.valid)} rows valid, {len(preview.invalid)} with problems "
                f"(SHA-256 {impor.sha256})."
            )
            if options["periksa"]:
                return
            impor = services.impor_run(impor_id=impor.pk, by=by)
        except (ActionRefused, ValidationError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Imported {impor.rows_imported} entries, left out {impor.rows_left_out} rows "
            f"in {time.monotonic() - started:.1f} s."
        )
