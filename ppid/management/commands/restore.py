"""`manage.py restore DIR [--force]`: restore a backup into an empty instance, then verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ppid.backup import BackupError, restore


class Command(BaseCommand):
    # runs from cron and against empty instances: no system check stands in its way
    requires_system_checks = []
    help = (
        "Restore a backup made by `manage.py backup` into an empty instance, then check every "
        "row count and every file checksum against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup directory.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database and files of an instance that is not empty.",
        )

    def handle(self, *args, source, force, **options):
        try:
            report = restore(source, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.problems:
            raise CommandError(
                _("The restored instance differs from the backup:")
                + "\n"
                + "\n".join(report.problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and verified: %(tables)d tables, %(rows)d rows, %(files)d files "
                    "match the manifest."
                )
                % {"tables": report.tables, "rows": report.rows, "files": report.files}
            )
        )
