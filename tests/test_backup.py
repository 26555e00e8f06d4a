"""`manage.py backup` / `manage.py restore`: a round trip keeps every row and every file byte."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import CommandError, call_command
from django.db import connection

from dokumen.models import Berkas
from ppid.backup import stored_names
from ppid.models import SiteProfile
from tests.factories import EntriFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# committed rows, so that pg_dump / the server process see them; needs no seeded reference data
# (an earlier transactional test may have flushed it)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_storages():
    """The test settings share one storage directory per run: start from an empty one, so the
    instance holds exactly the files this test made (earlier tests leave orphans behind)."""
    for name in ("private", "public"):
        location = Path(storages[name].location)
        shutil.rmtree(location, ignore_errors=True)
        location.mkdir(parents=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_instance_with_data():
    """Users, entries with files in the private storage, a logo in the public storage."""
    desk = UserFactory(username="desk")
    for n in range(3):
        entri = EntriFactory(collected_by=desk)
        for kind in (Berkas.Kind.SOFTCOPY, Berkas.Kind.SCAN):
            content = os.urandom(3000 + n) + f"berkas {n} {kind}".encode()
            berkas = Berkas(
                entri=entri,
                kind=kind,
                original_name=f"dokumen-{n}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=sha256(content),
                uploaded_by=desk,
            )
            berkas.file.save("x.pdf", ContentFile(content), save=False)
            berkas.save()
    profile = SiteProfile.current()
    profile.logo.save("logo.png", ContentFile(b"\x89PNG\r\n" + os.urandom(500)), save=True)


def row_counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def checksums(storage) -> dict[str, str]:
    result = {}
    for name in stored_names(storage):
        with storage.open(name, "rb") as fh:
            result[name] = sha256(fh.read())
    return result


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "ppid.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def target(tmp_path):
    """An empty second instance: its own database and its own storage directories."""
    var = tmp_path / "target"
    var.mkdir()
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        name = f"{s['NAME']}_restore"
        params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
        if s["PASSWORD"]:
            params["password"] = s["PASSWORD"]
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        url = f"postgres://{auth}@{params['host']}:{params['port']}/{name}"

        def counts():
            with psycopg.connect(dbname=name, **params) as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                return {
                    t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in tables
                }

        yield {"VAR_DIR": str(var), "DATABASE_URL": url}, counts, var
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        db = var / "db.sqlite3"

        def counts():
            with sqlite3.connect(db) as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {
                    t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in tables
                }

        yield {"VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{db}"}, counts, var


def test_round_trip_keeps_every_row_and_every_file(tmp_path, target):
    make_instance_with_data()
    source_counts = row_counts_here()
    source_files = {name: checksums(storages[name]) for name in ("private", "public")}
    assert len(source_files["private"]) == 6
    assert len(source_files["public"]) == 1
    assert source_counts["dokumen_berkas"] == 6

    out = io.StringIO()
    call_command("backup", output=tmp_path / "cadangan", stdout=out)
    assert "Cadangan ditulis" in out.getvalue()
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert manifest["database"]["tables"] == source_counts
    assert {e["name"]: e["sha256"] for e in manifest["files"]["private"]} == source_files["private"]

    env, target_counts, var = target
    result = manage("restore", str(tmp_path / "cadangan"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Dipulihkan dan diperiksa" in result.stdout

    # every row count and every file checksum, checked here rather than by the command
    assert target_counts() == source_counts
    for name in ("private", "public"):
        assert checksums(FileSystemStorage(location=var / name)) == source_files[name]

    # a second restore into the now filled instance is refused; --force replaces it
    again = manage("restore", str(tmp_path / "cadangan"), env=env)
    assert again.returncode != 0
    assert "Instans ini tidak kosong" in again.stderr
    forced = manage("restore", str(tmp_path / "cadangan"), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert target_counts() == source_counts


def test_damaged_backup_is_refused_before_anything_changes(tmp_path):
    make_instance_with_data()
    call_command("backup", output=tmp_path / "cadangan", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    damaged = tmp_path / "cadangan" / "files" / "private" / manifest["files"]["private"][0]["name"]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    counts = row_counts_here()
    with pytest.raises(CommandError, match="Cadangan rusak") as exc:
        call_command("restore", str(tmp_path / "cadangan"), "--force", stdout=io.StringIO())
    assert manifest["files"]["private"][0]["name"] in str(exc.value)
    assert row_counts_here() == counts


def test_backup_refuses_an_existing_destination(tmp_path):
    (tmp_path / "ada").mkdir()
    with pytest.raises(CommandError, match="Tujuan cadangan sudah ada"):
        call_command("backup", output=tmp_path / "ada", stdout=io.StringIO())


def test_restore_refuses_a_directory_that_is_no_backup(tmp_path):
    with pytest.raises(CommandError, match="bukan cadangan"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_round_trip_reads_and_writes_files_through_the_bucket(tmp_path, target, s3_storages):
    make_instance_with_data()  # the model fields now store in the bucket
    source_files = {name: checksums(storages[name]) for name in ("private", "public")}
    assert len(source_files["private"]) == 6
    call_command("backup", output=tmp_path / "cadangan", stdout=io.StringIO())

    env, target_counts, _var = target
    bucket = f"{s3_storages.bucket}-pulih"
    s3_storages.client.create_bucket(Bucket=bucket)
    env = {**env, **s3_storages.server.environ(bucket)}
    result = manage("restore", str(tmp_path / "cadangan"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr

    restored = {"private": {}, "public": {}}
    listing = s3_storages.client.list_objects_v2(Bucket=bucket)["Contents"]
    for obj in listing:
        prefix, name = obj["Key"].split("/", 1)
        body = s3_storages.client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        restored[prefix][name] = sha256(body)
    assert restored == source_files
