"""The measures of `bench/run.py`. Imported after Django is set up with bench.settings.

Each measure returns rows of the table (`Row`): its result and the baseline measured in the
same run on the same machine, their ratio and the figure it must reach.
"""

import hashlib
import html
import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from weasyprint import HTML

from bench import scale as scale_pages
from bench.server import HOST, Gunicorn, compare_latency, memory_kb, percentile, reset_peak
from dokumen.berkas import file_storage
from dokumen.models import Berkas, Entri, State
from ppid.models import Kantor
from publikasi.dik_pdf import render_public_dik
from publikasi.selectors import published_dik, published_dik_of

MB = 1024 * 1024
SMALL = 10  # entries of the query-count baseline
MAX_QUERIES = 10
# the review queue is paginated and filtered: its count, and the filter's two choice lists
MAX_QUERIES_OF = {"review queue": 14}


@dataclass
class Row:
    measure: str
    baseline: str
    result: str
    ratio: float | None
    target: str
    ok: bool

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _timed(fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - started


# ---------------------------------------------------------------- the same pages, two sizes

GENERATE_S_PER_MILLION = 180  # bench_data: 1M entries in under 3 minutes


def generate(entries: int, **options) -> float:
    return _timed(call_command, "bench_data", entries=entries, stdout=io.StringIO(), **options)


def scale(small: int, entries: int, *, requests: int) -> list[Row]:
    """The pages at `small` entries, then `entries` in all (generated, timed), side by side."""
    generate(small)
    small_n = Entri.objects.count()
    at_small = scale_pages.measure(requests)
    seconds = generate(entries - small_n)
    large_n = Entri.objects.count()
    at_large = scale_pages.measure(requests)
    budget = GENERATE_S_PER_MILLION * (large_n - small_n) / 1_000_000
    rows = [
        Row(
            f"generate {large_n - small_n:,} entries (bench_data)",
            "—",
            f"{seconds:.1f} s",
            seconds / budget,
            f"< {budget:.0f} s",
            seconds < budget,
        )
    ]
    return rows + scale_pages.rows(Row, small_n, at_small, large_n, at_large)


# ---------------------------------------------------------------- exports

EXPORTS = [("CSV", "/data/dik.csv"), ("JSON", "/data/dik.json"), ("XLSX", "/data/dik.xlsx")]
FIRST_BYTE_S = 1.0
EXPORT_GROWTH_MB = 64


def _probe(url: str, *, module="bench.export_probe", office: str | None = None) -> dict:
    """The export served by a process of its own (bench/export_probe.py), as the page of
    `office` (the default office where not given)."""
    env = {**os.environ, **({"DIK_DEFAULT_OFFICE": office} if office else {})}
    result = subprocess.run(
        [sys.executable, "-m", module, url],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{url}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def exports(office: Kantor | None = None) -> list[Row]:
    """Each public export of an office's DIK in force (the default office's, where not given):
    time to the first byte, peak memory growth of the process serving it (the figures of a
    gunicorn worker, without gunicorn)."""
    office = office or Kantor.default()
    in_force = published_dik_of(office).count()
    rows = []
    for label, url in EXPORTS:
        probe = _probe(url, office=office.slug)
        size = f"{probe['bytes'] / MB:,.1f} MB in {probe['total_s']:.1f} s"
        rows.append(
            Row(
                f"{label} export of {office.singkatan} ({in_force:,} rows): first byte",
                size,
                f"{probe['first_byte_s']:.2f} s",
                probe["first_byte_s"] / FIRST_BYTE_S,
                f"< {FIRST_BYTE_S:g} s",
                probe["first_byte_s"] < FIRST_BYTE_S,
            )
        )
        rows.append(
            Row(
                f"{label} export of {in_force:,} rows: peak RSS growth of the serving process",
                "RSS before the request",
                f"{probe['growth_mb']:.1f} MB",
                probe["growth_mb"] / EXPORT_GROWTH_MB,
                f"< {EXPORT_GROWTH_MB} MB",
                probe["growth_mb"] < EXPORT_GROWTH_MB,
            )
        )
    return rows


# ---------------------------------------------------------------- DIK PDF


def _bare_table(entries) -> str:
    """The cells of the public DIK PDF, as text, in a table with no style at all."""
    cells = []
    for number, e in enumerate(entries, start=1):
        row = (
            str(number),
            e.title,
            str(e.document_type),
            "; ".join(g.citation for g in e.legal_grounds.all()),
            f"{e.test_harm} ({e.get_test_conclusion_display()})",
            f"{e.period_wording} ({e.period_end})",
            "; ".join(f"{k} ({k.date})" for k in e.decrees),
        )
        cells.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
    return "<html><body><table>" + "".join(cells) + "</table></body></html>"


def dik_pdf(rows: int) -> list[Row]:
    """The public DIK PDF of `rows` entries against bare WeasyPrint on a plain table of them."""
    entries = list(published_dik()[:rows])
    bare_html = _bare_table(entries)
    real, bare = [], []
    for _ in range(3):  # best of three, alternating: the machine is shared
        bare.append(_timed(lambda: HTML(string=bare_html).write_pdf()))
        real.append(_timed(lambda: render_public_dik(published_dik()[:rows])))
    real_s, bare_s = min(real), min(bare)
    return [
        Row(
            f"DIK PDF of {len(entries):,} rows",
            f"{bare_s:.2f} s bare WeasyPrint",
            f"{real_s:.2f} s",
            real_s / bare_s,
            "≤ 1.3×",
            real_s <= 1.3 * bare_s,
        )
    ]


BIG_OFFICE = "kab-sidenreng-rappang"
PDF_BUDGET_S = 600  # the worker renders one office's DIK in under ten minutes


def office_of(rows: int) -> list[Row]:
    """One office with `rows` more entries in force: its DIK PDF rendered as the worker does
    (in parts, in a process of its own: time and peak memory), and its exports."""
    generate(rows, office=BIG_OFFICE)
    office = Kantor.objects.get(slug=BIG_OFFICE)
    in_force = published_dik_of(office).count()
    probe = _probe("-", module="bench.pdf_probe", office=BIG_OFFICE)
    result = [
        Row(
            f"DIK PDF of one office ({in_force:,} rows) rendered by the worker",
            f"{probe['parts']} parts, {probe['bytes'] / MB:.1f} MB",
            f"{probe['total_s']:.0f} s, +{probe['growth_mb']:.0f} MB peak RSS",
            probe["total_s"] / PDF_BUDGET_S,
            f"< {PDF_BUDGET_S} s, < {EXPORT_GROWTH_MB * 4} MB",
            probe["total_s"] < PDF_BUDGET_S and probe["growth_mb"] < EXPORT_GROWTH_MB * 4,
        )
    ]
    return result + exports(office)


# ---------------------------------------------------------------- fixity


def fixity(files: int, file_kb: int) -> list[Row]:
    """`manage.py fixity` over `files` stored files against `sha256sum` over the same files."""
    storage = file_storage()
    folder = f"bench-fixity-{uuid.uuid4().hex[:8]}"
    root = Path(storage.path(folder))
    root.mkdir(parents=True)
    entri = Entri.objects.order_by("pk").first()
    desk = _user("bench-desk")
    block = bytearray(os.urandom(file_kb * 1024))
    rows, paths = [], []
    try:
        for i in range(files):
            block[:8] = i.to_bytes(8, "big")  # every file different
            name = f"{folder}/{i:05d}.bin"
            path = root / f"{i:05d}.bin"
            path.write_bytes(block)
            paths.append(str(path))
            rows.append(
                Berkas(
                    entri=entri,
                    kind=Berkas.Kind.SOFTCOPY,
                    file=name,
                    original_name=f"{i:05d}.bin",
                    content_type="application/octet-stream",
                    size=len(block),
                    sha256=hashlib.sha256(block).hexdigest(),
                    uploaded_by=desk,
                )
            )
        Berkas.objects.bulk_create(rows, batch_size=2000)
        os.sync()  # no write-back of the new files during the measures
        listing = "\0".join(paths).encode()

        def baseline():
            subprocess.run(
                ["xargs", "-0", "sha256sum"],
                input=listing,
                stdout=subprocess.DEVNULL,
                check=True,
            )

        # one read first, so that both measures find the files in the page cache alike
        subprocess.run(["xargs", "-0", "cat"], input=listing, stdout=subprocess.DEVNULL, check=True)
        baseline_s = _timed(baseline)
        fixity_s = _timed(call_command, "fixity", stdout=io.StringIO(), verbosity=0)
        checked = Berkas.objects.filter(pk__in=[r.pk for r in rows], last_verified_at__isnull=False)
        if checked.count() != files:
            raise RuntimeError("fixity did not record the check of every file")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return [
        Row(
            f"fixity of {files:,} files of {file_kb / 1024:g} MB",
            f"{baseline_s:.1f} s sha256sum",
            f"{fixity_s:.1f} s",
            fixity_s / baseline_s,
            "≤ 1.5×",
            fixity_s <= 1.5 * baseline_s,
        )
    ]


# ---------------------------------------------------------------- served: latency and upload


def latency(server: Gunicorn, *, requests: int, concurrency: int) -> list[Row]:
    paths = {"bare": "/bench/bare/", "dik": "/"}
    times = compare_latency(server.port, paths, requests=requests, concurrency=concurrency)
    bare, dik = times["bare"], times["dik"]

    def ms(values, p):
        return percentile(values, p) * 1000

    total = published_dik().count()
    return [
        Row(
            f"public DIK page ({total:,} in force), gunicorn {server.workers} workers, "
            f"{concurrency} clients, {len(dik)} requests: p50 / p95",
            f"{ms(bare, 50):.1f} / {ms(bare, 95):.1f} ms bare view",
            f"{ms(dik, 50):.1f} / {ms(dik, 95):.1f} ms",
            ms(dik, 95) / ms(bare, 95),
            "p95 ≤ 3×",
            ms(dik, 95) <= 3 * ms(bare, 95),
        )
    ]


def make_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF of `size` bytes: the bulk is an unreferenced stream of random bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        offsets.append(fh.tell())
        head = b"4 0 obj\n<< /Length %d >>\nstream\n"
        tail_size = 1024  # the closing of the stream, the xref and the trailer fit in it
        length = max(size - fh.tell() - len(head % 0) - 8 - tail_size, 0)
        fh.write(head % length)
        chunk = os.urandom(MB)
        left = length
        while left > 0:
            fh.write(chunk[: min(left, MB)])
            left -= MB
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            fh.write(b"%010d 00000 n \n" % offset)
        fh.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def _post_file(port: int, url: str, path: Path, *, session: str) -> tuple[int, dict]:
    """POST one file as multipart/form-data, streamed from disk, as the upload page's script does."""
    boundary = uuid.uuid4().hex
    csrf = uuid.uuid4().hex  # a 32-character secret, as a cookie and as the header
    preamble = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsoftcopy\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{path.name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    epilogue = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    conn.putrequest("POST", url)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(preamble) + size + len(epilogue)))
    conn.putheader("Cookie", f"sessionid={session}; csrftoken={csrf}")
    conn.putheader("X-CSRFToken", csrf)
    conn.putheader("X-Requested-With", "XMLHttpRequest")
    conn.endheaders()
    conn.send(preamble)
    with open(path, "rb") as fh:
        conn.sock.sendfile(fh)
    conn.send(epilogue)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    try:
        return response.status, json.loads(body)
    except ValueError:
        return response.status, {"body": body[:500].decode(errors="replace")}


def upload(server: Gunicorn, *, megabytes: int, tmp: Path) -> list[Row]:
    """The upload view under gunicorn against `sha256sum` of the same file; RSS of the workers."""
    path = tmp / "bench-upload.pdf"
    make_pdf(path, megabytes * MB)
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(4 * MB):
            digest.update(chunk)
    expected = digest.hexdigest()
    baseline_s = _timed(
        subprocess.run, ["sha256sum", str(path)], stdout=subprocess.DEVNULL, check=True
    )

    entri = (
        Entri.objects.filter(state=State.DIKUMPULKAN, kantor=Kantor.default())
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(_user("bench-desk"))
    session = client.cookies["sessionid"].value
    workers = server.worker_pids()
    peaks_reset = all(reset_peak(pid) for pid in workers)
    before = {pid: memory_kb(pid) for pid in workers}
    started = time.perf_counter()
    status, answer = _post_file(
        server.port, f"/meja/entri/{entri.pk}/berkas/", path, session=session
    )
    upload_s = time.perf_counter() - started
    after = {pid: memory_kb(pid) for pid in workers}
    path.unlink()
    if status != 201:
        raise RuntimeError(f"upload answered {status}: {answer}")
    berkas = Berkas.objects.get(pk=answer["files"][0]["id"])
    if (berkas.size, berkas.sha256) != (size, expected):
        raise RuntimeError("the stored size or SHA-256 differs from the file sent")
    start_kb = {
        pid: before[pid]["VmRSS"] if peaks_reset else before[pid]["VmHWM"] for pid in workers
    }
    growth_mb = max(after[pid]["VmHWM"] - start_kb[pid] for pid in workers) / 1024
    baseline_rate = size / MB / baseline_s
    rate = size / MB / upload_s
    return [
        Row(
            f"upload of {size / MB:,.0f} MB through the upload view (gunicorn), throughput",
            f"{baseline_rate:.0f} MB/s sha256sum",
            f"{rate:.0f} MB/s",
            rate / baseline_rate,
            "≥ 0.5×",
            rate >= 0.5 * baseline_rate,
        ),
        Row(
            "upload: peak RSS growth of the server worker",
            "RSS before the upload",
            f"{growth_mb:.1f} MB",
            growth_mb / 64,
            "< 64 MB",
            growth_mb < 64,
        ),
    ]
