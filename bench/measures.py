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
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
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


def scale(small: int, entries: int, *, requests: int, file_texts: int) -> list[Row]:
    """The pages at `small` entries, then `entries` in all (generated, timed), side by side;
    `file_texts` texts on the searching office's entries at both sizes (spread again over
    that office's entries once the register has grown)."""
    generate(small)
    small_n = Entri.objects.count()
    texts_s = make_file_texts(file_texts)
    at_small = scale_pages.measure(requests)
    seconds = generate(entries - small_n)
    large_n = Entri.objects.count()
    spread_file_texts()
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
        ),
        Row(
            f"{file_texts:,} file texts generated on the entries of {Kantor.default().singkatan}",
            "—",
            f"{texts_s:.1f} s",
            None,
            "—",
            True,
        ),
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
        ),
        *served_misses(server, requests=requests),
    ]


def served_misses(server: Gunicorn, *, requests: int) -> list[Row]:
    """The public DIK on a cache miss as issue 16 measured it: under gunicorn, one client,
    against the bare view in the same run. After a change of the office's DIK (a new version
    of its rows): pages asked for before the worker has rendered its rows (every row rendered
    in the request: the window of a change), the worker's render of them, then pages never
    asked for (the rows the worker rendered) and a page number written anew ("02", "002": a
    key not cached, as a new search or filter showing rows seen before)."""
    from django.db import transaction

    from bench.server import load
    from publikasi.dik_pdf import public_dik_changed
    from publikasi.public_rows import PAGE_SIZE, warm_public_rows

    def one(path: str) -> float:
        return load(server.port, path, requests=1, concurrency=1)[0] * 1000

    office = Kantor.default()
    pages = list(range(3, published_dik_of(office).count() // PAGE_SIZE + 1))
    half = min(len(pages) // 2, requests)
    with transaction.atomic():  # the worker's task of this change is queued, not run (yet)
        public_dik_changed([office.pk])
    one("/bench/bare/")
    one("/?halaman=2")
    bare = statistics.median(one("/bench/bare/") for _ in range(requests))
    cold = statistics.median(one(f"/?halaman={n}") for n in pages[:half] or [3])
    started = time.perf_counter()
    rendered = warm_public_rows.call([office.pk])  # what the worker runs after the change
    warm_s = time.perf_counter() - started
    new = statistics.median(one(f"/?halaman={n}") for n in pages[half : 2 * half] or [4])
    seen = statistics.median(one(f"/?halaman={'0' * n}2") for n in range(1, requests + 1))
    rows = [
        Row(
            f"public DIK cache miss under gunicorn, before the worker rendered the rows of a "
            f"change (every row rendered in the request): p50 of {half} pages",
            f"{bare:.2f} ms bare view",
            f"{cold:.1f} ms",
            cold / bare,
            "— (until the worker is done)",
            True,
        ),
        Row(
            "worker: the office's public rows rendered after a change, every language"
            + (
                "" if settings.PUBLIC_ROWS_BY_WORKER else " (no REDIS_URL: not in gunicorn's cache)"
            ),
            "—",
            f"{rendered:,} rows in {warm_s:.1f} s",
            None,
            "—",
            True,
        ),
    ]
    for label, value in (
        (f"pages never asked for (rows from the worker): p50 of {half}", new),
        (f"rows rendered before: p50 of {requests}", seen),
    ):
        rows.append(
            Row(
                f"public DIK cache miss under gunicorn, {label}",
                f"{bare:.2f} ms bare view",
                f"{value:.1f} ms",
                value / bare,
                f"≤ {scale_pages.MISS_RATIO}× bare",
                value <= scale_pages.MISS_RATIO * bare,
            )
        )
    return rows


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


# ---------------------------------------------------------------- text of scans (OCR)

OCR_LINES = [
    "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG",
    "BERITA ACARA RAPAT PLENO TERTUTUP",
    "Pada hari ini telah dilaksanakan rapat pleno tentang penetapan",
    "daftar pemilih tetap. Dokumen ini memuat nomor induk",
    "kependudukan dan nomor kartu keluarga yang dikecualikan",
    "berdasarkan Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008.",
] * 3  # a page of 18 typed lines


def _scan_page(number: int, round_: int):
    """An A4 page at 300 dpi with 12 pt text, turned 1.3°, as a scanner gives it."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    dpi = 300
    page = Image.new("L", (2481, 3507), 244)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=50)
    draw.text((300, 250), f"Halaman {number} (putaran {round_})", font=font, fill=25)
    for i, line in enumerate(OCR_LINES):
        draw.text((300, 400 + i * 110), line, font=font, fill=25)
    page = page.rotate(1.3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=244)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    page.info["dpi"] = (dpi, dpi)
    return page


def _bare_tesseract(png: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # as the worker runs it (dokumen/file_text)
    return _timed(
        subprocess.run,
        ["tesseract", str(png), "stdout", "-l", "ind", "--dpi", "300"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env=env,
    )


OCR_ROUNDS = 3


def _ocr_round(pages: int, round_: int, tmp: Path, entri, desk) -> dict[str, float]:
    """Bare tesseract over the pages, then the same pages as an image-only PDF and the first
    as a JPEG through the upload service and the worker; seconds per page of each."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dokumen.berkas import berkas_add
    from dokumen.models import TeksBerkas

    images = [_scan_page(n, round_) for n in range(1, pages + 1)]
    bare = []
    for n, image in enumerate(images):
        png = tmp / f"bench-ocr-{n}.png"
        image.save(png, dpi=(300, 300))
        bare.append(_bare_tesseract(png))
        png.unlink()
    pdf, jpeg = io.BytesIO(), io.BytesIO()
    rgb = [image.convert("RGB") for image in images]
    rgb[0].save(pdf, "PDF", save_all=True, append_images=rgb[1:], resolution=300)
    images[0].save(jpeg, "JPEG", quality=80, dpi=(300, 300))
    files = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind=Berkas.Kind.SCAN,
        files=[
            SimpleUploadedFile(f"bench-pindaian-{round_}.pdf", pdf.getvalue()),
            SimpleUploadedFile(f"bench-pindaian-{round_}.jpg", jpeg.getvalue()),
        ],
    )
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    seconds = {"bare": sum(bare) / pages, "bare first page": bare[0]}
    for teks in TeksBerkas.objects.filter(berkas__in=files).select_related("berkas"):
        kind = "pdf" if teks.berkas.content_type == "application/pdf" else "jpeg"
        count = pages if kind == "pdf" else 1
        if teks.status != TeksBerkas.Status.DONE or teks.pages_ocr != count:
            raise RuntimeError(f"{teks.berkas.original_name}: {teks.status} {teks.last_error}")
        if "pemilih tetap" not in teks.text or "kependudukan" not in teks.text:
            raise RuntimeError(f"the words were not read: {teks.text[:200]!r}")
        seconds[kind] = teks.seconds / count
    return seconds


def ocr(pages: int, tmp: Path) -> list[Row]:
    """Scans uploaded through the upload service and read by the real worker (`db_worker
    --batch`): seconds per page as the worker records them, against bare `tesseract` on the
    same pages as PNG files; best of three rounds, alternating (the machine is shared)."""
    entri = (
        Entri.objects.filter(state=State.DIKUMPULKAN, kantor=Kantor.default())
        .order_by("pk")
        .first()
    )
    desk = _user("bench-desk")
    rounds = [_ocr_round(pages, r, tmp, entri, desk) for r in range(1, OCR_ROUNDS + 1)]

    def best(key):
        return min(r[key] for r in rounds)

    rows = []
    for key, base, label in (
        ("pdf", "bare", f"image-only PDF of {pages} pages"),
        ("jpeg", "bare first page", "JPEG scan of 1 page"),
    ):
        rows.append(
            Row(
                f"OCR in the worker, {label}: seconds per page",
                f"{best(base):.2f} s bare tesseract",
                f"{best(key):.2f} s",
                best(key) / best(base),
                "≤ 1.5×",
                best(key) <= 1.5 * best(base),
            )
        )
    return rows


# ---------------------------------------------------------------- staff search in file texts

SENTENCES = [
    "Rapat pleno terbuka rekapitulasi hasil penghitungan suara tingkat kabupaten.",
    "Daftar peserta tetap memuat nomor induk kependudukan dan nomor kartu keluarga.",
    "Berita acara serah terima dokumen kepada Desk Layanan Informasi.",
    "Surat keterangan kesehatan jasmani dan rohani bakal calon anggota dewan.",
    "Formulir pendaftaran pasangan calon beserta lampiran riwayat hidup.",
    "Keputusan tentang penetapan anggota panitia pemungutan kecamatan.",
    "Laporan dana kampanye peserta pemilu tahun anggaran berjalan.",
    "Salinan ijazah dan transkrip nilai yang telah dilegalisasi.",
    "Notulen rapat koordinasi pengamanan logistik pemungutan suara.",
    "Hasil pemeriksaan rumah sakit pemerintah yang ditunjuk.",
    "Rekapitulasi daftar peserta tambahan per desa dan kelurahan.",
    "Dokumen ini dikecualikan berdasarkan Pasal 17 huruf h undang-undang.",
]
RARE_WORD = scale_pages.RARE_WORD  # in one text of every 1,000
COMMON_WORD = scale_pages.COMMON_WORD  # in every second text


def _file_text(rng, i: int) -> str:
    words = [rng.choice(SENTENCES) for _ in range(24)]  # about 1,700 characters, a page
    if i % 2 == 0:
        words.insert(rng.randrange(len(words)), "Daftar pemilih tetap per desa.")
    if i % 1000 == 0:
        words.insert(rng.randrange(len(words)), f"Kata sandi arsip {RARE_WORD}.")
    return " ".join(words)


def _office_entries(office: Kantor | None) -> list[int]:
    office = office or Kantor.default()
    return list(Entri.objects.filter(kantor=office).order_by("pk").values_list("pk", flat=True))


def make_file_texts(count: int, office: Kantor | None = None) -> float:
    """`count` files with their text read, spread over the entries of `office` (the default
    office, whose PPID searches, where not given; stored rows only: no blob is read), the vectors computed as the worker computes them. On
    PostgreSQL the texts are put together and indexed by the database, the GIN index built
    again after the load (as bench_data does with its indexes)."""
    import random

    from django.contrib.postgres.search import SearchVector
    from django.db.models.functions import Left

    from dokumen.file_text import INDEX_CHARS, SEARCH_CONFIG
    from dokumen.models import TeksBerkas

    started = time.perf_counter()
    entries = _office_entries(office)
    desk = _user("bench-desk")
    batch = 10_000
    first_id = None
    for start in range(0, count, batch):
        files = Berkas.objects.bulk_create(
            [
                Berkas(
                    entri_id=entries[i % len(entries)],
                    kind=Berkas.Kind.SCAN,
                    file=f"bench-teks/{i}",
                    original_name=f"pindaian-{i}.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                    uploaded_by=desk,
                )
                for i in range(start, min(start + batch, count))
            ]
        )
        first_id = first_id or files[0].pk
        if connection.vendor != "postgresql":
            rng = random.Random(start)
            TeksBerkas.objects.bulk_create(
                [
                    TeksBerkas(
                        berkas=berkas,
                        status=TeksBerkas.Status.DONE,
                        text=_file_text(rng, start + n),
                        pages_read=1,
                        pages_ocr=1,
                    )
                    for n, berkas in enumerate(files)
                ]
            )
    if connection.vendor != "postgresql":
        TeksBerkas.objects.filter(search_vector__isnull=True).update(
            search_vector=SearchVector(Left("text", INDEX_CHARS), config=SEARCH_CONFIG)
        )
        return time.perf_counter() - started
    with connection.cursor() as cursor:
        # the index built again after the load as its migrations define it (its options too)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'dokumen_teksberkas_search_gin'"
        )
        [(index_definition,)] = cursor.fetchall()
        cursor.execute("DROP INDEX dokumen_teksberkas_search_gin")
        # i = the file's number from 0: the same texts as _file_text's rule (every second one
        # holds the common word, one in 1,000 the rare one), sentences drawn by the database
        cursor.execute(
            """
            INSERT INTO dokumen_teksberkas (berkas_id, status, source, text, pages_read,
                pages_ocr, seconds, read_at, attempts, last_error, next_attempt_at,
                search_vector)
            SELECT id, 'selesai', 'ocr', text, 1, 1, 1.0, now(), 1, '', now(),
                to_tsvector(%s::regconfig, left(text, %s))
            FROM (
                SELECT b.id, (
                    SELECT string_agg((%s::text[])[1 + floor(random() * %s)::int], ' ')
                    FROM generate_series(1, 24) g WHERE b.id > 0
                ) || CASE WHEN (b.id - %s) %% 2 = 0 THEN ' Daftar pemilih tetap per desa.'
                          ELSE '' END
                  || CASE WHEN (b.id - %s) %% 1000 = 0 THEN %s ELSE '' END AS text
                FROM dokumen_berkas b
                WHERE b.id >= %s AND b.file LIKE 'bench-teks/%%'
            ) AS generated
            """,
            [
                SEARCH_CONFIG,
                INDEX_CHARS,
                SENTENCES,
                len(SENTENCES),
                first_id,
                first_id,
                f" Kata sandi arsip {RARE_WORD}.",
                first_id,
            ],
        )
        cursor.execute(index_definition)
        cursor.execute("ANALYZE dokumen_teksberkas")
        cursor.execute("ANALYZE dokumen_berkas")
    _entry_words_again()
    return time.perf_counter() - started


def _entry_words_again() -> None:
    """Each entry's row of words (TeksEntri) made again from its files, as reading a text or
    removing a file does for one entry."""
    from dokumen.file_text import refresh_entry_words

    refresh_entry_words(None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dokumen_teksentri")


def spread_file_texts(office: Kantor | None = None) -> None:
    """The files of make_file_texts spread again over the entries `office` has now (the
    register has grown): file i on entry i modulo their number, as make_file_texts does."""
    entries = _office_entries(office)
    files = Berkas.objects.filter(file__startswith="bench-teks/")
    if connection.vendor != "postgresql":
        moved = [
            Berkas(pk=pk, entri_id=entries[n % len(entries)])
            for n, pk in enumerate(files.order_by("pk").values_list("pk", flat=True))
        ]
        Berkas.objects.bulk_update(moved, ["entri_id"], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE dokumen_berkas b SET entri_id = (%s::bigint[])[1 + (b.id - f.first) %% %s]
            FROM (SELECT min(id) AS first FROM dokumen_berkas WHERE file LIKE 'bench-teks/%%') f
            WHERE b.file LIKE 'bench-teks/%%'
            """,
            [entries, len(entries)],
        )
        cursor.execute("ANALYZE dokumen_berkas")
    _entry_words_again()


def drop_file_texts() -> None:
    """The files of make_file_texts removed (they have no blob: fixity would miss them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM dokumen_teksberkas WHERE berkas_id IN "
            "(SELECT id FROM dokumen_berkas WHERE file LIKE 'bench-teks/%%')"
        )
        cursor.execute("DELETE FROM dokumen_berkas WHERE file LIKE 'bench-teks/%%'")
    _entry_words_again()


def file_text_search(*, requests: int) -> list[Row]:
    """The staff entry list searched by a rare and by a common word that are in the files'
    text, against the same list without a search (Django's test client in this process,
    alternating rounds), as the PPID of the default office, with the file texts that
    scale() made (on that office's entries, at the large register)."""
    from dokumen.models import TeksBerkas

    total = TeksBerkas.objects.count()
    entries = Entri.objects.count()
    client = Client()
    client.force_login(_user("bench-ppid"))
    paths = {
        "list": "/meja/entri/",
        "rare": f"/meja/entri/?q={RARE_WORD}",
        "common": f"/meja/entri/?q={COMMON_WORD}",
    }
    for path in paths.values():  # warm-up, and the search must find what it should
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    if RARE_WORD not in client.get(paths["rare"]).content.decode().lower():
        raise RuntimeError("the rare word was not found in the visible files")
    times = {name: [] for name in paths}
    rounds = 5
    for _ in range(rounds):
        for name, path in paths.items():
            for _ in range(max(requests // rounds, 1)):
                times[name].append(_timed(client.get, path))
    base = percentile(times["list"], 50)
    rows = []
    for name, label in (("rare", "a rare word"), ("common", "a word in half the files")):
        p50 = percentile(times[name], 50)
        rows.append(
            Row(
                f"staff list searched for {label} in {total:,} file texts "
                f"({entries:,} entries): p50",
                f"{base * 1000:.0f} ms the list without a search",
                f"{p50 * 1000:.0f} ms",
                p50 / base,
                "≤ 2×",
                p50 <= 2 * base,
            )
        )
    return rows
