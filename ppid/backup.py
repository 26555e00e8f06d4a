"""Backup and restore of one instance: the database, every stored file, a manifest of checksums.

A backup is one directory:
    manifest.json           what is in it: row count per table, SHA-256 and size of every file
    database.pgdump         pg_dump custom format (PostgreSQL), or
    database.sqlite3        a copy made with SQLite's online backup API
    files/private/<name>    every file of storages["private"], read through the storage API
    files/public/<name>     every file of storages["public"]

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported snapshot that
pg_dump imports; SQLite: counted in the copy), so they describe exactly what was dumped. Files
are copied after the dump: a file added meanwhile is extra, never a row without its file.
A restore goes into an empty instance (or, with force, replaces one), then checks every row
count and every file checksum against the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MANIFEST = "manifest.json"
FORMAT = 1
STORAGE_NAMES = ("private", "public")
CHUNK = 1024 * 1024
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


# --- what is stored ----------------------------------------------------------------------------


def stored_names(storage, path: str = "") -> Iterator[str]:
    """Every file name in a storage, through the storage API (disk and S3 alike)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from stored_names(storage, f"{path}/{directory}" if path else directory)


def stored_checksum(storage, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Rows per table of the current database, through Django's connection."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _backup_path(root: Path, storage_name: str, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(_("Unsafe file name in storage: %(name)s") % {"name": name})
    return root / "files" / storage_name / Path(*relative.parts)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_environ() -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore/psycopg from the Django database settings."""
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = s["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )


def _pg_dump(target: Path) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    env = _pg_environ()
    pg_names = {
        "PGHOST": "host",
        "PGPORT": "port",
        "PGUSER": "user",
        "PGPASSWORD": "password",
        "PGSSLMODE": "sslmode",
    }
    params = {pg_names[k]: v for k, v in env.items() if k in pg_names}
    with psycopg.connect(dbname=env["PGDATABASE"], **params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
            # same visibility rule as Django's introspection: tables on the search path
            cursor.execute(
                "SELECT c.relname FROM pg_catalog.pg_class c"
                " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'pg_toast')"
                " AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY c.relname"
            )
            counts = {}
            for (table,) in cursor.fetchall():
                cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
    return counts


def _pg_restore(dump: Path, *, replace: bool) -> None:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={connection.settings_dict['NAME']}"]
    if replace:
        command += ["--clean", "--if-exists"]
    connection.close()
    _run([*command, str(dump)], _pg_environ())


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_dump(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
    finally:
        copy.close()


def _sqlite_restore(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# --- backup --------------------------------------------------------------------------------------


def default_destination(root: Path) -> Path:
    return root / timezone.localtime().strftime("dik-%Y%m%d-%H%M%S")


def backup(destination: Path, *, log=None) -> dict:
    """Write a backup directory at `destination` (which must not exist); returns the manifest."""
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(
            _("Backup supports PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor}
        )
    if destination.exists():
        raise BackupError(
            _("The backup destination already exists: %(path)s") % {"path": destination}
        )
    # written under a temporary name: a half-written backup is never mistaken for a good one
    work = destination.with_name(destination.name + ".partial")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    dump = work / DUMP_FILES[vendor]
    counts = _pg_dump(dump) if vendor == "postgresql" else _sqlite_dump(dump)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": {
            "vendor": vendor,
            "file": dump.name,
            "sha256": file_checksum(dump),
            "tables": counts,
        },
        "files": {},
    }
    for storage_name in STORAGE_NAMES:
        storage = storages[storage_name]
        entries = []
        for name in stored_names(storage):
            path = _backup_path(work, storage_name, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            size = 0
            with storage.open(name, "rb") as source, path.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            entries.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        manifest["files"][storage_name] = entries
        if log:
            log(
                ngettext(
                    "%(count)d file from the %(storage)s storage",
                    "%(count)d files from the %(storage)s storage",
                    len(entries),
                )
                % {"count": len(entries), "storage": storage_name}
            )
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    work.rename(destination)
    return manifest


# --- restore -------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(path)s is not a backup: manifest.json is missing.") % {"path": source}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Unknown backup format: %(format)s") % {"format": manifest.get("format")}
        )
    return manifest


def check_backup(source: Path, manifest: dict) -> list[str]:
    """Problems of the backup itself: a missing or changed file in the backup directory."""
    problems = []
    database = manifest["database"]
    dump = source / database["file"]
    if not dump.exists() or file_checksum(dump) != database["sha256"]:
        problems.append(
            _("The database dump is missing or damaged: %(file)s") % {"file": dump.name}
        )
    for storage_name, entries in manifest["files"].items():
        for entry in entries:
            path = _backup_path(source, storage_name, entry["name"])
            if not path.exists() or file_checksum(path) != entry["sha256"]:
                problems.append(
                    _("File missing or damaged in the backup: %(storage)s/%(name)s")
                    % {"storage": storage_name, "name": entry["name"]}
                )
    return problems


def instance_contents() -> tuple[list[str], dict[str, list[str]]]:
    """Tables of the database and file names per storage of the running instance."""
    tables = connection.introspection.table_names()
    files = {name: list(stored_names(storages[name])) for name in STORAGE_NAMES}
    return tables, files


def verify(manifest: dict) -> RestoreReport:
    """Compare the running instance with a manifest: every row count and every file checksum."""
    report = RestoreReport()
    expected = manifest["database"]["tables"]
    actual = table_counts()
    report.tables = len(actual)
    report.rows = sum(actual.values())
    for table, count in sorted(expected.items()):
        if actual.get(table) != count:
            report.problems.append(
                _("Table %(table)s has %(actual)s rows, the backup %(expected)s.")
                % {"table": table, "actual": actual.get(table, "—"), "expected": count}
            )
    for storage_name, entries in manifest["files"].items():
        storage = storages[storage_name]
        wanted = {entry["name"]: entry for entry in entries}
        present = set(stored_names(storage))
        for name in sorted(present - set(wanted)):
            report.problems.append(
                _("File not in the backup: %(storage)s/%(name)s")
                % {"storage": storage_name, "name": name}
            )
        for name, entry in sorted(wanted.items()):
            if name not in present:
                report.problems.append(
                    _("File missing after restore: %(storage)s/%(name)s")
                    % {"storage": storage_name, "name": name}
                )
                continue
            digest, size = stored_checksum(storage, name)
            if (digest, size) != (entry["sha256"], entry["size"]):
                report.problems.append(
                    _("File differs from the backup: %(storage)s/%(name)s")
                    % {"storage": storage_name, "name": name}
                )
            report.files += 1
    return report


def restore(source: Path, *, force: bool = False, log=None) -> RestoreReport:
    """Restore a backup into this (empty) instance, then verify it against the manifest."""
    manifest = read_manifest(source)
    problems = check_backup(source, manifest)
    if problems:
        raise BackupError(
            _("The backup is damaged; nothing was restored.") + "\n" + "\n".join(problems)
        )
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; this instance uses %(here)s.")
            % {"backup": vendor, "here": connection.vendor}
        )
    tables, files = instance_contents()
    file_count = sum(len(names) for names in files.values())
    if (tables or file_count) and not force:
        raise BackupError(
            _(
                "This instance is not empty (%(tables)d tables, %(files)d files). Restore into "
                "an empty database and empty storage, or use --force to replace everything."
            )
            % {"tables": len(tables), "files": file_count}
        )
    if force:
        for storage_name, names in files.items():
            for name in names:
                storages[storage_name].delete(name)

    dump = source / manifest["database"]["file"]
    if vendor == "postgresql":
        _pg_restore(dump, replace=bool(tables))
    else:
        _sqlite_restore(dump)
    if log:
        log(_("Database restored."))

    for storage_name, entries in manifest["files"].items():
        storage = storages[storage_name]
        for entry in entries:
            with _backup_path(source, storage_name, entry["name"]).open("rb") as fh:
                saved = storage.save(entry["name"], File(fh, name=entry["name"]))
            if saved != entry["name"]:
                raise BackupError(
                    _("The storage stored %(name)s as %(saved)s.")
                    % {"name": entry["name"], "saved": saved}
                )
        if log:
            log(
                ngettext(
                    "%(count)d file restored to the %(storage)s storage",
                    "%(count)d files restored to the %(storage)s storage",
                    len(entries),
                )
                % {"count": len(entries), "storage": storage_name}
            )
    return verify(manifest)
