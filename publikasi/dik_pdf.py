"""The published DIK as a PDF: rendered by the worker when the DIK changes, kept in public
storage, served from there. A request never renders it.

After each change is committed the stale file is removed at once (the public never gets an
entry that left the DIK) and a task renders the new one; a visitor who comes before it is done
gets the "being prepared" page (publikasi.views.dik_pdf). Next to the file a small marker
holds the version of the DIK it shows (publikasi.models.DikVersion): a file rendered from an
older version (a change committed during the render) is stale and never served.

A long DIK is rendered in parts of PDF_PART_ROWS rows, each its own WeasyPrint document, joined
with pypdf: WeasyPrint's memory grows with the rows of one document, so it stays bounded.
"""

import io
import itertools
import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from ppid.models import Kantor
from ppid.pdf import render_pdf_bytes
from publikasi.models import DikVersion
from publikasi.selectors import published_dik_of

PUBLIC_DIK_PDF = "dik/daftar-informasi-dikecualikan.pdf"
PUBLIC_DIK_VERSION = PUBLIC_DIK_PDF + ".versi"  # the DikVersion the stored file shows
PDF_PART_ROWS = 1000  # rows per WeasyPrint document: ~20 pages
QUEUED_SECONDS = 15 * 60  # a render is queued once per version in this time, however many ask
logger = logging.getLogger(__name__)


def _render_part(entries, *, first_number: int, continued: bool, parts: bool, at) -> bytes:
    return render_pdf_bytes(
        "pdf/dik_publik.html",
        {
            "entries": entries,
            "rendered_at": at,
            "first_number": first_number,
            "continued": continued,
            "parts": parts,
        },
    )


def _page_numbers(pages: int) -> PdfReader:
    """Empty pages with only "Halaman n / N", to lay over the joined parts."""
    html = render_to_string("pdf/dik_halaman.html", {"pages": pages, "page_range": range(pages)})
    return PdfReader(io.BytesIO(HTML(string=html).write_pdf()))


def write_public_dik(out, entries=None) -> int:
    """Write the PDF of the DIK in force (or of `entries`, a queryset: the benchmark's rows) to
    `out`; the number of parts rendered."""
    entries = published_dik_of(Kantor.default()) if entries is None else entries
    at = timezone.localtime()
    chunks = itertools.batched(entries.iterator(chunk_size=PDF_PART_ROWS), PDF_PART_ROWS)
    first = next(chunks, ())
    second = next(chunks, None)
    if second is None:  # one document, as it always was
        out.write(_render_part(first, first_number=0, continued=False, parts=False, at=at))
        return 1
    writer = PdfWriter()
    number, count = 0, 0
    for chunk in itertools.chain([first, second], chunks):
        part = _render_part(chunk, first_number=number, continued=count > 0, parts=True, at=at)
        writer.append(PdfReader(io.BytesIO(part)))
        number += len(chunk)
        count += 1
    numbers = _page_numbers(len(writer.pages))
    for page, overlay in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(overlay)
    writer.write(out)
    return count


def render_public_dik(entries=None) -> bytes:
    out = io.BytesIO()
    write_public_dik(out, entries)
    return out.getvalue()


def stored_version() -> int | None:
    """The version of the DIK the stored PDF shows; None when there is none."""
    try:
        with storages["public"].open(PUBLIC_DIK_VERSION, "rb") as fh:
            return int(fh.read().decode().strip())
    except (FileNotFoundError, ValueError):
        return None


def store_public_dik() -> str:
    """Render and store under the fixed name, with the version it shows; the name stored."""
    storage = storages["public"]
    version = DikVersion.current()  # before reading the rows: a later change makes it stale
    out = io.BytesIO()
    write_public_dik(out)
    _remove_stored()
    name = storage.save(PUBLIC_DIK_PDF, ContentFile(out.getvalue()))
    if name != PUBLIC_DIK_PDF:  # another render got there first: keep one file, the fixed one
        storage.delete(name)
    marker = storage.save(PUBLIC_DIK_VERSION, ContentFile(str(version).encode()))
    if marker != PUBLIC_DIK_VERSION:
        storage.delete(marker)
    return PUBLIC_DIK_PDF


def _remove_stored() -> None:
    storage = storages["public"]
    storage.delete(PUBLIC_DIK_VERSION)  # first: a file without its marker is never served
    storage.delete(PUBLIC_DIK_PDF)


def _queued_key(version: int) -> str:
    return f"publikasi:dik_pdf:queued:{version}"


@task
def refresh_public_dik() -> str:
    version = DikVersion.current()
    if stored_version() == version:  # a duplicate, or queued before another render finished
        return PUBLIC_DIK_PDF
    name = store_public_dik()
    cache.delete(_queued_key(version))
    return name


def queue_refresh(version: int | None = None) -> bool:
    """Queue one render of this version of the DIK; False when one is queued already (in the
    shared cache: one for every app server with Redis)."""
    version = DikVersion.current() if version is None else version
    if not cache.add(_queued_key(version), True, QUEUED_SECONDS):
        return False
    refresh_public_dik.enqueue()
    return True


def _invalidate_and_refresh() -> None:
    _remove_stored()
    queue_refresh()


def public_dik_changed() -> None:
    """Call inside the transaction that changed the published DIK."""
    DikVersion.bump()  # the public page's cached rendering is stale once this commits
    transaction.on_commit(_invalidate_and_refresh)
