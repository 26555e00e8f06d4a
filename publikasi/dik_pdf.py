"""The published DIK as a PDF: rendered by the worker when the DIK changes, kept in public
storage, served from there. A request never renders it.

After each change is committed the stale file is removed at once (the public never gets an
entry that left the DIK) and a task renders the new one; a visitor who comes before it is done
gets the "being prepared" page (publikasi.views.dik_pdf). Next to the file a small marker
holds the version of the DIK it shows (publikasi.models.DikVersion): a file rendered from an
older version (a change committed during the render) is stale and never served.

Each office has its own file (`/<office>/dik.pdf`, on its letterhead, its own entries in force);
the default office's keeps the fixed name of a single-office deployment. Every change of the
DIK bumps the one version and marks the offices it changed with it (DikVersionKantor): an
office's file shows its own version and goes stale only when that office's DIK changed; it is
then rendered again (the default office's at once, the others' on their next visit).

A long DIK is rendered in parts of PDF_PART_ROWS rows, each its own WeasyPrint document, joined
with pypdf: WeasyPrint's memory grows with the rows of one document, so it stays bounded.
"""

import io
import itertools
import logging

from django.conf import settings
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
from publikasi.models import DikVersion, DikVersionKantor
from publikasi.public_rows import warm_public_rows
from publikasi.selectors import office_dik_version, published_dik_of

PUBLIC_DIK_PDF = "dik/daftar-informasi-dikecualikan.pdf"
PUBLIC_DIK_VERSION = PUBLIC_DIK_PDF + ".versi"  # the DikVersion the stored file shows
PDF_PART_ROWS = 1000  # rows per WeasyPrint document: ~20 pages
QUEUED_SECONDS = 15 * 60  # a render is queued once per version in this time, however many ask
logger = logging.getLogger(__name__)


def _stored_names(kantor: Kantor | None) -> tuple[str, str]:
    """(PDF, version marker) of an office's stored DIK; the default office's fixed ones."""
    if kantor is None or kantor.slug == Kantor.default().slug:
        return PUBLIC_DIK_PDF, PUBLIC_DIK_VERSION
    name = f"dik/{kantor.slug}/daftar-informasi-dikecualikan.pdf"
    return name, name + ".versi"


def _render_part(
    entries, *, first_number: int, continued: bool, parts: bool, at, kantor=None
) -> bytes:
    return render_pdf_bytes(
        "pdf/dik_publik.html",
        {
            "entries": entries,
            "rendered_at": at,
            "first_number": first_number,
            "continued": continued,
            "parts": parts,
        },
        kantor=kantor,
    )


def _page_numbers(pages: int) -> PdfReader:
    """Empty pages with only "Halaman n / N", to lay over the joined parts."""
    html = render_to_string("pdf/dik_halaman.html", {"pages": pages, "page_range": range(pages)})
    return PdfReader(io.BytesIO(HTML(string=html).write_pdf()))


def write_public_dik(out, entries=None, kantor: Kantor | None = None) -> int:
    """Write the PDF of the DIK in force of `kantor` (the default office without one; or of
    `entries`, a queryset: the benchmark's rows) to `out`; the number of parts rendered."""
    entries = published_dik_of(kantor or Kantor.default()) if entries is None else entries
    at = timezone.localtime()
    chunks = itertools.batched(entries.iterator(chunk_size=PDF_PART_ROWS), PDF_PART_ROWS)
    first = next(chunks, ())
    second = next(chunks, None)
    if second is None:  # one document, as it always was
        out.write(
            _render_part(first, first_number=0, continued=False, parts=False, at=at, kantor=kantor)
        )
        return 1
    writer = PdfWriter()
    number, count = 0, 0
    for chunk in itertools.chain([first, second], chunks):
        part = _render_part(
            chunk, first_number=number, continued=count > 0, parts=True, at=at, kantor=kantor
        )
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


def stored_version(kantor: Kantor | None = None) -> int | None:
    """The version of the DIK the stored PDF shows; None when there is none."""
    try:
        with storages["public"].open(_stored_names(kantor)[1], "rb") as fh:
            return int(fh.read().decode().strip())
    except (FileNotFoundError, ValueError):
        return None


def stored_dik_name(kantor: Kantor | None = None) -> str:
    return _stored_names(kantor)[0]


def store_public_dik(kantor: Kantor | None = None) -> str:
    """Render and store under the fixed name, with the version it shows; the name stored."""
    storage = storages["public"]
    pdf_name, marker_name = _stored_names(kantor)
    version = office_dik_version(kantor)  # before reading the rows: a later change: stale
    out = io.BytesIO()
    write_public_dik(out, kantor=kantor)
    _remove_stored(kantor)
    name = storage.save(pdf_name, ContentFile(out.getvalue()))
    if name != pdf_name:  # another render got there first: keep one file, the fixed one
        storage.delete(name)
    marker = storage.save(marker_name, ContentFile(str(version).encode()))
    if marker != marker_name:
        storage.delete(marker)
    return pdf_name


def _remove_stored(kantor: Kantor | None = None) -> None:
    storage = storages["public"]
    pdf_name, marker_name = _stored_names(kantor)
    storage.delete(marker_name)  # first: a file without its marker is never served
    storage.delete(pdf_name)


def _queued_key(version: int, kantor: Kantor | None = None) -> str:
    suffix = "" if _stored_names(kantor)[0] == PUBLIC_DIK_PDF else f":{kantor.slug}"
    return f"publikasi:dik_pdf:queued:{version}{suffix}"


@task
def refresh_public_dik(kantor_slug: str | None = None) -> str:
    kantor = Kantor.objects.get(slug=kantor_slug) if kantor_slug else None
    version = office_dik_version(kantor)
    if stored_version(kantor) == version:  # a duplicate, or queued before another finished
        return stored_dik_name(kantor)
    name = store_public_dik(kantor)
    cache.delete(_queued_key(version, kantor))
    return name


def queue_refresh(version: int | None = None, kantor: Kantor | None = None) -> bool:
    """Queue one render of this version of the (office's) DIK; False when one is queued
    already (in the shared cache: one for every app server with Redis)."""
    version = office_dik_version(kantor) if version is None else version
    if not cache.add(_queued_key(version, kantor), True, QUEUED_SECONDS):
        return False
    if _stored_names(kantor)[0] == PUBLIC_DIK_PDF:
        refresh_public_dik.enqueue()
    else:
        refresh_public_dik.enqueue(kantor.slug)
    return True


def _invalidate_and_refresh(kantor_ids: set[int]) -> None:
    if Kantor.default().pk in kantor_ids:  # another office's stale file is never served
        _remove_stored()
        queue_refresh()
    if settings.PUBLIC_ROWS_BY_WORKER and kantor_ids:
        warm_public_rows.enqueue(sorted(kantor_ids))


def public_dik_changed(kantor_ids=None) -> None:
    """Call inside the transaction that changed the published DIK, with the offices whose DIK
    in force changed (their entries in force, or the decrees those follow); None: every one."""
    number = DikVersion.bump()  # the public page's cached rendering is stale once this commits
    if kantor_ids is None:
        kantor_ids = Kantor.objects.values_list("pk", flat=True)
    kantor_ids = set(kantor_ids)
    DikVersionKantor.mark(kantor_ids, number)
    transaction.on_commit(lambda: _invalidate_and_refresh(kantor_ids))
