"""Run every benchmark and print one table; exit 1 when a ratio misses its figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dik_bench_data \\
        .venv/bin/python -m bench.run --fresh-db

Every figure is a ratio against a baseline measured in the same run on the same machine.
The database's name must contain "bench"; --fresh-db drops and creates it, then migrates.
Files go to a temporary VAR_DIR, removed at the end. Sizes are flags, so that the smoke test
(tests/test_bench_smoke.py) runs every measure at a tiny size.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dik_bench_data"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="entries of the small register")
    parser.add_argument(
        "--entries", type=int, default=1_000_000, help="entries of the large register (in all)"
    )
    parser.add_argument(
        "--office-rows",
        type=int,
        default=10_000,
        help="entries in force of one more office: its DIK PDF and its exports",
    )
    parser.add_argument("--upload-mb", type=int, default=500, help="size of the uploaded file")
    parser.add_argument("--fixity-files", type=int, default=10_000)
    parser.add_argument("--fixity-kb", type=int, default=1024, help="size of each fixity file")
    parser.add_argument("--pdf-rows", type=int, default=1_000)
    parser.add_argument("--ocr-pages", type=int, default=5, help="pages of the scanned PDF")
    parser.add_argument(
        "--file-texts",
        type=int,
        default=100_000,
        help="file texts on the searching office's entries, at both sizes",
    )
    parser.add_argument("--requests", type=int, default=500, help="requests per URL (latency)")
    parser.add_argument(
        "--page-requests", type=int, default=30, help="requests per page and size (scale)"
    )
    parser.add_argument("--concurrency", type=int, default=2, help="clients of the load generator")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--fresh-db", action="store_true", help="drop, create and migrate the db")
    parser.add_argument("--drop-db", action="store_true", help="drop the database at the end")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument(
        "--no-fail", action="store_true", help="exit 0 even when a figure is missed (smoke run)"
    )
    return parser.parse_args(argv)


def database_name(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def recreate_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    name = database_name(url)
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def table(rows) -> str:
    head = ("measure", "baseline (same run)", "result", "ratio", "target", "")
    lines = [
        (
            r.measure,
            r.baseline,
            r.result,
            "—" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            "pass" if r.ok else "MISS",
        )
        for r in rows
    ]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if "bench" not in database_name(url):
        print(f"Refusing to run on {database_name(url)!r}: its name must contain 'bench'.")
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="dik-bench-"))
    (var_dir / "static").mkdir()
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        STORAGE_BACKEND="local",
        CONN_MAX_AGE="60",  # persistent connections, as the README advises for gunicorn
        LOG_LEVEL="WARNING",
        TASKS_LOG_LEVEL="WARNING",
        # with REDIS_URL: keys of this run's own (the runner's and gunicorn's), never another's
        CACHE_KEY_PREFIX=f"dik-bench-{os.getpid()}",
    )
    if args.fresh_db:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import measures
    from bench.server import Gunicorn

    started = time.perf_counter()
    rows = []
    try:
        if args.fresh_db:
            call_command("migrate", verbosity=0)
        print(f"Machine: {machine()}", flush=True)
        rows += measures.scale(
            args.small, args.entries, requests=args.page_requests, file_texts=args.file_texts
        )
        rows += measures.file_text_search(requests=args.requests)
        measures.drop_file_texts()
        rows += measures.exports()
        rows += measures.dik_pdf(args.pdf_rows)
        rows += measures.office_of(args.office_rows)
        rows += measures.fixity(args.fixity_files, args.fixity_kb)
        rows += measures.ocr(args.ocr_pages, var_dir)
        with Gunicorn(workers=args.workers, log_path=var_dir / "gunicorn.log") as server:
            rows += measures.latency(server, requests=args.requests, concurrency=args.concurrency)
            rows += measures.upload(server, megabytes=args.upload_mb, tmp=var_dir)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)
        if args.drop_db:
            drop_database(url)
    print(table(rows))
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
    missed = [r for r in rows if not r.ok]
    return 0 if args.no_fail or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
