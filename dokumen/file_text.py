"""The text of stored files, for staff search: read by the background worker.

A born-digital PDF gives its text layer directly (pypdfium2); a scan — JPEG, PNG, TIFF, or a PDF
page without text — is read by tesseract with the Indonesian language data (`ind`, Debian's
tesseract-ocr-ind, installed by the Makefile) at 300 dpi. The upload service creates a waiting
`TeksBerkas` row for every readable file in its own transaction and queues `read_file_text`
after the commit, so "teks sedang dibaca" shows from the upload on.

Reading holds the text row's lock (like the outbox): a second task for the same file skips it,
a worker killed mid-page leaves the row waiting and its re-queued task reads it. A failure is
recorded on the row and tried again after DIK_OCR_RETRY_MINUTES; after the last retry the row is
failed, shown on the entry page, and `manage.py file_texts --again` queues it once more. A file
that cannot be decoded at all (damaged, encrypted) fails at once: retrying cannot help.
"""

import dataclasses
import datetime
import logging
import math
import os
import re
import time

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytesseract
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models.functions import Left
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from dokumen.inspection import JPEG, PDF, PNG, TIFF, TYPES, strict_pillow
from dokumen.models import Berkas, TeksBerkas
from dokumen.selectors import SEARCH_CONFIG  # the vector is made as the search reads it

logger = logging.getLogger(__name__)

READABLE_TYPES = (PDF, JPEG, PNG, TIFF)
OCR_DPI = 300
# a PDF page with less text than this in its text layer, and a picture on it, is a scan
TEXT_LAYER_MIN_CHARS = 20
# what goes into the search vector (a tsvector holds at most 1 MB); the text is kept whole
INDEX_CHARS = 1_000_000
ERROR_CHARS = 500
# a waiting text whose task was lost (enqueue failed after commit, a restore) is queued again
LOST_AFTER = datetime.timedelta(minutes=10)
# control characters (but tab and newline) never reach the database: PostgreSQL refuses NUL,
# and \x01/\x02 mark the search snippets' highlights (dokumen.selectors.file_text_snippets)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# one core per page: a worker reads one file at a time, more workers read more (tesseract's
# OpenMP threads only fight each other on a shared machine)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class Unreadable(Exception):
    """The file itself cannot be decoded: no retry."""


@dataclasses.dataclass
class Extracted:
    text: str
    source: str
    pages: int
    pages_ocr: int


def readable(berkas: Berkas) -> bool:
    return berkas.content_type in READABLE_TYPES


def retry_delays() -> list[datetime.timedelta]:
    return [datetime.timedelta(minutes=m) for m in settings.DIK_OCR_RETRY_MINUTES]


def expect_texts(files: list[Berkas]) -> None:
    """Inside the upload's transaction: a waiting text row for each readable file, and its
    reading queued once the upload committed."""
    rows = TeksBerkas.objects.bulk_create(
        [TeksBerkas(berkas=b) for b in files if readable(b)], ignore_conflicts=True
    )
    ids = [row.berkas_id for row in rows]
    if ids:
        # robust: a queue that is down never undoes the upload; the worker's sweep queues it
        transaction.on_commit(lambda: _enqueue_all(ids), robust=True)


def _enqueue_all(ids) -> None:
    for berkas_id in ids:
        read_file_text.enqueue(berkas_id)


# below mail and thumbnails: a long scan must not hold up a notification
@task(priority=-10)
def read_file_text(berkas_id: int) -> str:
    return read_text(berkas_id)


def read_text(berkas_id: int) -> str:
    """One attempt at reading a waiting file that is due; says what happened."""
    with transaction.atomic():
        row = (
            TeksBerkas.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("berkas")
            .filter(pk=berkas_id, status=TeksBerkas.Status.WAITING)
            .first()
        )
        if row is None:
            return "nothing to read"  # read, failed, gone, or being read by another task
        if row.next_attempt_at > timezone.now():
            return "not due"  # its own task is queued for next_attempt_at
        row.attempts += 1
        started = time.monotonic()
        try:
            extracted = extract(row.berkas)
        except Exception as exc:
            _record_failure(row, exc)
            return "failed" if row.status == TeksBerkas.Status.FAILED else "retry later"
        row.text = _CONTROL.sub(" ", extracted.text).strip()
        row.source = extracted.source
        row.pages_read = extracted.pages
        row.pages_ocr = extracted.pages_ocr
        row.seconds = round(time.monotonic() - started, 3)
        row.read_at = timezone.now()
        row.status = TeksBerkas.Status.DONE
        row.last_error = ""
        row.save()
        if connection.vendor == "postgresql":
            TeksBerkas.objects.filter(pk=row.pk).update(
                search_vector=SearchVector(Left("text", INDEX_CHARS), config=SEARCH_CONFIG)
            )
        refresh_entry_words([row.berkas.entri_id])
    return "read"


# the words of an entry's files (TeksEntri): its active files' vectors, read texts only, put
# together in file order by `dik_tsvector_agg` (migration dokumen/0017: where one tsvector
# cannot hold them all, 1 MB, the words of the files before stay and the rest is left out)
_ENTRY_WORDS_SQL = """
    INSERT INTO dokumen_teksentri (entri_id, search_vector)
    SELECT b.entri_id, dik_tsvector_agg(t.search_vector ORDER BY t.berkas_id)
    FROM dokumen_teksberkas t JOIN dokumen_berkas b ON b.id = t.berkas_id
    WHERE {entries} AND b.removed_at IS NULL AND t.status = %s AND t.search_vector IS NOT NULL
    GROUP BY b.entri_id
"""


def refresh_entry_words(entri_ids: list[int] | None) -> None:
    """Make the entries' TeksEntri again from their files' texts (every entry's with `None`),
    inside the caller's transaction: a text read, a file removed. PostgreSQL only (the search
    elsewhere reads the file texts plainly).

    The entries' rows are locked first, so two workers reading two files of one entry write
    one after the other, the second seeing the first's text."""
    if connection.vendor != "postgresql" or entri_ids == []:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if entri_ids is None:
            cursor.execute("DELETE FROM dokumen_teksentri")
            cursor.execute(_ENTRY_WORDS_SQL.format(entries="TRUE"), [TeksBerkas.Status.DONE])
            return
        ids = sorted(set(entri_ids))
        cursor.execute(
            "SELECT 1 FROM dokumen_entri WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [ids]
        )
        cursor.execute("DELETE FROM dokumen_teksentri WHERE entri_id = ANY(%s)", [ids])
        cursor.execute(
            _ENTRY_WORDS_SQL.format(entries="b.entri_id = ANY(%s)"), [ids, TeksBerkas.Status.DONE]
        )


def _record_failure(row: TeksBerkas, exc: Exception) -> None:
    now = timezone.now()
    row.last_error = _failure_message(exc)[:ERROR_CHARS]
    delays = retry_delays()
    retries_done = row.attempts - 1
    if not isinstance(exc, Unreadable) and retries_done < len(delays):
        row.next_attempt_at = now + delays[retries_done]
        row.save()
        if read_file_text.get_backend().supports_defer:
            # queued in the transaction that records the failure: both or neither
            read_file_text.using(run_after=row.next_attempt_at).enqueue(row.pk)
        logger.warning(
            "text of file %s not read (attempt %s), next attempt at %s",
            row.pk,
            row.attempts,
            row.next_attempt_at.isoformat(),
            exc_info=exc,
        )
        return
    row.status = TeksBerkas.Status.FAILED
    row.save()
    logger.error("text of file %s not read after %s attempts", row.pk, row.attempts, exc_info=exc)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, Unreadable):
        return str(exc)
    if isinstance(exc, pytesseract.TesseractNotFoundError):
        return _("The OCR program (tesseract) is not installed on the server.")
    if isinstance(exc, RuntimeError) and "timeout" in str(exc).lower():
        return _("Reading a page took longer than %(s)s seconds.") % {
            "s": settings.DIK_OCR_PAGE_SECONDS
        }
    return _("The text could not be read (%(error)s).") % {"error": type(exc).__name__}


# ---------------------------------------------------------------- reading


def extract(berkas: Berkas) -> Extracted:
    with berkas.file.storage.open(berkas.file.name, "rb") as fh:
        if berkas.content_type == PDF:
            return _read_pdf(fh)
        return _read_image(fh, berkas.content_type)


def ocr(image: Image.Image) -> str:
    """Indonesian text of one page picture (tesseract, automatic page segmentation)."""
    # handed to tesseract as an uncompressed TIFF: compressing a 300 dpi page into a PNG
    # first costs more than writing its bytes
    image.format = "TIFF"
    return pytesseract.image_to_string(
        image,
        lang=settings.DIK_OCR_LANGUAGE,
        config=f"--dpi {OCR_DPI}",
        timeout=settings.DIK_OCR_PAGE_SECONDS,
    )


def _read_pdf(fh) -> Extracted:
    try:
        pdf = pdfium.PdfDocument(fh)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (
            pdfium_raw.FPDF_ERR_PASSWORD,
            pdfium_raw.FPDF_ERR_SECURITY,
        ):
            raise Unreadable(_("Encrypted PDF: its text cannot be read.")) from exc
        raise Unreadable(_("Damaged PDF: its text cannot be read.")) from exc
    texts, pages_ocr, layer = [], 0, False
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
                if len(text.strip()) < TEXT_LAYER_MIN_CHARS and _has_picture(page):
                    bitmap = page.render(scale=_render_scale(page), grayscale=True)
                    text = ocr(bitmap.to_pil())
                    pages_ocr += 1
                elif text.strip():
                    layer = True
                texts.append(text)
            finally:
                page.close()
        pages = len(pdf)
    finally:
        pdf.close()
    source = (
        TeksBerkas.Source.MIXED
        if layer and pages_ocr
        else TeksBerkas.Source.OCR
        if pages_ocr
        else TeksBerkas.Source.TEXT_LAYER
    )
    return Extracted("\n\n".join(texts), source, pages, pages_ocr)


def _render_scale(page) -> float:
    """300 dpi, but never more pixels than Pillow's limit (a poster-sized page)."""
    width, height = page.get_size()  # points: 1/72 inch
    scale = OCR_DPI / 72
    limit = Image.MAX_IMAGE_PIXELS or 0
    if limit and width * height * scale * scale > limit:
        scale = math.sqrt(limit / (width * height))
    return scale


def _has_picture(page) -> bool:
    return any(True for _obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))


def _read_image(fh, content_type: str) -> Extracted:
    texts, index, frames = [], 0, 1
    while index < frames:  # a TIFF holds one page per frame
        texts.append(ocr(_decode_frame(fh, content_type, index)))
        index += 1
        if index == 1:
            frames = _frames(fh, content_type)
    return Extracted("\n\n".join(texts), TeksBerkas.Source.OCR, frames, frames)


def _open_image(fh, content_type: str):
    fh.seek(0)
    return Image.open(fh, formats=[TYPES[content_type].pillow_format])


def _frames(fh, content_type: str) -> int:
    with strict_pillow(), _open_image(fh, content_type) as source:
        return getattr(source, "n_frames", 1)


def _decode_frame(fh, content_type: str, index: int) -> Image.Image:
    """One page as a grey picture, upright; one page at a time in memory."""
    try:
        with strict_pillow(), _open_image(fh, content_type) as source:
            source.seek(index)
            page = ImageOps.exif_transpose(source)  # phone photos are stored as taken
            if page.mode.startswith("I"):  # 16-bit scans
                page = page.convert("I").point(lambda v: v / 256)
            return page.convert("L")
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise Unreadable(_("The image cannot be decoded: its text cannot be read.")) from exc


# ---------------------------------------------------------------- what is lost or failed


def queued_ids() -> set[int] | None:
    """Files whose reading waits in the database queue or runs now; None when the queue is
    not django-tasks-db (nothing to look at)."""
    if not read_file_text.get_backend().supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        task_path=read_file_text.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in pending if args.get("args")}


def queue_lost_texts(*, now=None, lost_after=LOST_AFTER) -> int:
    """Queue the reading of the waiting files that are due and have no task (it was lost)."""
    now = now or timezone.now()
    due = TeksBerkas.objects.filter(
        status=TeksBerkas.Status.WAITING,
        next_attempt_at__lte=now - lost_after,
        berkas__removed_at__isnull=True,
    ).values_list("pk", flat=True)
    queued = queued_ids() or set()
    ids = [pk for pk in due.iterator() if pk not in queued]
    _enqueue_all(ids)
    return len(ids)


def failed_wait_again() -> int:
    """Failed texts wait again, with fresh attempts, after the cause was fixed; how many.
    (Queued by queue_lost_texts, like every waiting text without a task.)"""
    return TeksBerkas.objects.filter(
        status=TeksBerkas.Status.FAILED, berkas__removed_at__isnull=True
    ).update(status=TeksBerkas.Status.WAITING, attempts=0, next_attempt_at=timezone.now())


# ---------------------------------------------------------------- what the entry page shows


@dataclasses.dataclass
class TextState:
    """The reading of one file's text as the entry page tells it."""

    status: str  # a TeksBerkas.Status value
    retrying: bool = False
    error: str = ""
    next_attempt_at: datetime.datetime | None = None
    attempts: int = 0
    pages_read: int = 0
    pages_ocr: int = 0

    @property
    def waiting(self) -> bool:
        return self.status == TeksBerkas.Status.WAITING

    @property
    def done(self) -> bool:
        return self.status == TeksBerkas.Status.DONE

    @property
    def failed(self) -> bool:
        return self.status == TeksBerkas.Status.FAILED


def text_state(berkas: Berkas) -> TextState | None:
    """None for a file that has no text to read (an office document); the caller
    select_related("teks")."""
    try:
        row = berkas.teks
    except TeksBerkas.DoesNotExist:
        return None
    return text_state_of(row)


def text_state_of(row: TeksBerkas | None) -> TextState | None:
    if row is None:
        return None
    return TextState(
        status=row.status,
        retrying=row.status == TeksBerkas.Status.WAITING and row.attempts > 0,
        error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        attempts=row.attempts,
        pages_read=row.pages_read,
        pages_ocr=row.pages_ocr,
    )
