"""`make bench` at a tiny size, so that the benchmarks never rot: every row is produced.

The ratios mean nothing at this size and are not checked; the full run is `make bench`.
Runs the real runner (bench/run.py) in a process of its own, against a database of its own
(recreated and dropped) and gunicorn on a free port.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "public DIK, first page",
    "public DIK, search 'persyaratan'",
    "public DIK, filter by type",
    "public DIK, filter by ground",
    "public DIK, page 50",
    "national page",
    "national page, page 50",
    "feed",
    "staff list",
    "staff list, search 'persyaratan'",
    "staff list, search in file texts, rare word 'zirkonia'",
    "staff list, search in file texts, common word 'pemilih'",
    "review queue",
    "entry page",
]
PUBLIC_PAGES, STAFF_PAGES = PAGES[:8], PAGES[8:]  # kept in the cache / never cached
EXPORT_ROWS = [
    f"{kind} export of {what}"
    for kind in ("CSV", "JSON", "XLSX")
    for what in ("KPU", "6 rows: peak RSS")  # first byte (named by office), memory
]
MEASURES = [
    "generate 30 entries",
    "50 file texts generated on the entries of",
    *[f"{page}: p50 at" for page in PAGES],
    *[f"{page}: cache miss under gunicorn at" for page in PUBLIC_PAGES],
    *[f"{page}: SQL queries at" for page in STAFF_PAGES],
    "staff list searched for a rare word",
    "staff list searched for a word in half the files",
    *EXPORT_ROWS,
    "DIK PDF of",
    "DIK PDF of one office (30 rows) rendered by the worker",
    *EXPORT_ROWS,
    "fixity of 20 files",
    "OCR in the worker, image-only PDF",
    "OCR in the worker, JPEG scan",
    "public DIK page (",
    "public DIK cache miss under gunicorn, before the worker rendered the rows of a change",
    "worker: the office's public rows rendered after a change",
    "public DIK cache miss under gunicorn, pages never asked for (rows from the worker)",
    "public DIK cache miss under gunicorn, rows rendered before",
    "upload of 2 MB",
    "upload: peak RSS growth",
]


def _bench_database_url(tmp_path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = parts.path.rsplit("/", 1)[-1] + f"_bench_smoke_{os.getpid()}"
        return urlunsplit(parts._replace(path="/" + name))
    return f"sqlite:///{tmp_path / 'bench_smoke.sqlite3'}"


def test_every_benchmark_produces_its_row(tmp_path):
    report = tmp_path / "bench.json"
    env = {**os.environ, "DATABASE_URL": _bench_database_url(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--fresh-db",
            "--drop-db",
            "--no-fail",
            "--small=30",
            "--entries=60",
            "--office-rows=30",
            "--page-requests=2",
            "--upload-mb=2",
            "--fixity-files=20",
            "--fixity-kb=64",
            "--pdf-rows=20",
            "--ocr-pages=1",
            "--file-texts=50",
            "--requests=20",
            f"--json={report}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(report.read_text())
    measures = [row["measure"] for row in rows]
    for expected in MEASURES:
        assert any(m.startswith(expected) or expected in m for m in measures), (expected, measures)
    assert len(rows) == len(MEASURES)
    for row in rows:
        assert row["result"] and row["baseline"] and row["target"]
        assert "; 0 queries" not in row["result"] + row["baseline"]  # every page was counted
        assert row["ratio"] is None or row["ratio"] >= 0
    # the table printed for a person has the same rows
    assert result.stdout.count("\n| ") == len(MEASURES) + 1


def test_the_runner_refuses_a_database_not_named_bench(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--fresh-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "must contain 'bench'" in result.stdout
    assert not (tmp_path / "dev.sqlite3").exists()


@pytest.mark.parametrize("size_mb", [1, 3])
def test_the_upload_file_is_a_pdf_of_the_size_asked(tmp_path, size_mb):
    import pypdfium2

    from bench.measures import MB, make_pdf

    path = tmp_path / "big.pdf"
    make_pdf(path, size_mb * MB)
    assert abs(path.stat().st_size - size_mb * MB) < 4096
    assert len(pypdfium2.PdfDocument(str(path))) == 1
