"""`manage.py backup [--output DIR]`: database dump + every stored file + manifest (ppid/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ppid.backup import BackupError, backup, default_destination


class Command(BaseCommand):
    # runs from cron and against empty instances: no system check stands in its way
    requires_system_checks = []
    help = (
        "Back up the database and every stored file into one directory, with a manifest of "
        "row counts and SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Directory to create (default: a new dated directory under BACKUP_DIR).",
        )

    def handle(self, *args, output=None, **options):
        destination = output or default_destination(settings.BACKUP_DIR)
        try:
            manifest = backup(destination, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["database"]["tables"]
        files = sum(len(entries) for entries in manifest["files"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
                % {
                    "path": destination,
                    "tables": len(tables),
                    "rows": sum(tables.values()),
                    "files": files,
                }
            )
        )
