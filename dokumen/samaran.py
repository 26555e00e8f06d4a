"""Redacted public copies of an entry (salinan yang disamarkan): add one, rasterised on ingest.

The PPID gives a copy in which what stays exempted is masked (a PDF, JPEG or PNG). Masking a
PDF with a drawn box leaves the text under it in the file, so nothing the PPID gives is kept
as it came: every page is rendered (pypdfium2; boxes drawn in the app are burned in with
Pillow), and each page image goes as a JPEG into a new PDF (pypdfium2) that has no text layer,
no hidden objects and no metadata of the original, one page at a time. The copy is stored
privately through the storage API, with its SHA-256, like a file (dokumen.berkas).

Same rules as every write to an entry: lock the row, take the action ADD_REDACTED through the
lifecycle table (its log row names it), change; a refused upload leaves no blob and no row.
"""

import hashlib
import io
import json
import math
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from dokumen import lifecycle
from dokumen.berkas import _delete_blobs, file_storage, sha256_of
from dokumen.delivery import safe_filename
from dokumen.inspection import JPEG, PDF, PNG, FileRefused, inspect_file
from dokumen.models import Action, Berkas, SalinanSamaran, berkas_name
from dokumen.services import after_content_change
from ppid.errors import ActionRefused

# Sent inside the transaction when a copy is approved (salinan, entri): the public pages that
# show it are stale (publikasi listens, so dokumen does not know it).
approved = Signal()

# Rendering resolution of a redacted copy: readable when printed, small enough to publish.
RASTER_DPI = 150
MAX_PAGES = 200  # a copy for the public page, not an archive: a longer one is refused
MAX_BOXES = 2000
EDITOR_DPI = 96  # the page images the editor draws on (the boxes are kept as fractions)
EDITOR_MAX_PX = 2000
JPEG_QUALITY = 85  # each page of a copy; the black of a box stays black


def require_may_add_redacted(entri, *, by) -> None:
    lifecycle.check(entri, Action.ADD_REDACTED, by)


def _pages_of_pdf(data: bytes):
    """The pages rendered one after the other: one page's pixels in memory at a time."""
    document = pdfium.PdfDocument(data)
    try:
        if len(document) > MAX_PAGES:
            raise ActionRefused(
                _("A redacted copy has at most %(max)s pages; this one has %(pages)s.")
                % {"max": MAX_PAGES, "pages": len(document)}
            )
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=RASTER_DPI / 72)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                page.close()
            yield image
    finally:
        document.close()


def _pages_of_image(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        yield image.convert("RGB")


def rasterise(fh, content_type: str):
    """The pages of `fh` (a PDF, JPEG or PNG) as RGB images, one at a time (an iterator)."""
    fh.seek(0)
    data = fh.read()
    if content_type == PDF:
        return _pages_of_pdf(data)
    if content_type in (JPEG, PNG):
        return _pages_of_image(data)
    raise ActionRefused(_("A redacted copy is a PDF, JPEG or PNG file."))


def image_pdf(pages) -> tuple[bytes, int]:
    """An image-only PDF of the pages, nothing but their pixels (each a JPEG), and the number
    of pages. Written page by page: each image is closed once it is in the PDF."""
    document = pdfium.PdfDocument.new()
    count = 0
    try:
        for image in pages:
            jpeg = io.BytesIO()
            image.save(jpeg, "JPEG", quality=JPEG_QUALITY)
            width, height = (size * 72 / RASTER_DPI for size in image.size)
            image.close()
            jpeg.seek(0)
            page = document.new_page(width, height)
            try:
                picture = pdfium.PdfImage.new(document)
                picture.load_jpeg(jpeg, inline=True)
                picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
                page.insert_obj(picture)
                page.gen_content()
            finally:
                page.close()
            count += 1
        if not count:
            raise ActionRefused(_("The redacted copy has no page."))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue(), count
    finally:
        document.close()


def _readable(fh, *, name: str, content_type: str):
    """The pages of the file (read now, rendered as they are used); a file pdfium or Pillow
    cannot read is refused in the user's words."""
    try:
        pages = rasterise(fh, content_type)
    except ActionRefused:
        raise
    except Exception:
        raise ActionRefused(_unreadable(name)) from None
    return _reading(pages, name)


def _unreadable(name: str) -> str:
    return _("“%(name)s” cannot be read to make a redacted copy.") % {"name": name}


def _reading(pages, name: str):
    try:
        yield from pages
    except ActionRefused:
        raise
    except Exception:  # pdfium and Pillow raise many kinds on a damaged file
        raise ActionRefused(_unreadable(name)) from None


def _keep(entri, *, by, name, images, source_content_type, source_sha256, written, note):
    """Inside the service's transaction, with the entry locked: store the image PDF of the
    pages (named in `written`, so a failure removes it), take the action, record the copy."""
    old_hash = entri.content_hash()
    content, pages = image_pdf(images)
    written.append(berkas_name(None, name))
    written[-1] = file_storage().save(written[-1], ContentFile(content), max_length=200)
    lifecycle.perform(entri, Action.ADD_REDACTED, by=by, note=note[:200])
    salinan = SalinanSamaran(
        entri=entri,
        file=written[-1],
        original_name=name,
        source_content_type=source_content_type,
        source_sha256=source_sha256,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        made_by=by,
        made_at=timezone.now(),
    )
    salinan._history_user = by
    salinan.save()
    if entri.content_hash() != old_hash:
        # a copy is part of what an approval round covers: one under way is void
        after_content_change(entri, by=by)
    return salinan


def salinan_add(*, entri_id: int, by, upload) -> SalinanSamaran:
    """Add a redacted copy the PPID uploads: checked, rasterised, hashed, stored; or nothing."""
    written: list[str] = []
    try:
        with transaction.atomic():
            entri = lifecycle.lock(entri_id, by=by)
            require_may_add_redacted(entri, by=by)
            name = safe_filename(upload.name, max_length=255)
            try:
                inspection = inspect_file(
                    upload, name=name, size=upload.size, kind=Berkas.Kind.SCAN
                )
            except FileRefused as refused:
                raise ActionRefused(refused.message) from None
            if inspection.content_type not in (PDF, JPEG, PNG):
                raise ActionRefused(_("A redacted copy is a PDF, JPEG or PNG file."))
            if inspection.preview_problem:
                raise ActionRefused(
                    _("“%(name)s” cannot be read to make a redacted copy: %(problem)s")
                    % {"name": name, "problem": inspection.preview_problem}
                )
            images = _readable(upload, name=name, content_type=inspection.content_type)
            return _keep(
                entri,
                by=by,
                name=name,
                images=images,
                source_content_type=inspection.content_type,
                source_sha256=sha256_of(upload),
                written=written,
                note=name,
            )
    except BaseException:
        _delete_blobs(file_storage(), written)
        raise


@dataclass(frozen=True)
class Box:
    """A box drawn over a page, in fractions of the page's width and height (0–1), so the
    page image the editor showed and the rendering burned in need not be the same size."""

    page: int  # from 0
    x: float
    y: float
    w: float
    h: float


def parse_boxes(raw) -> list[Box]:
    """The editor's boxes (a JSON list of {page, x, y, w, h}); anything else is refused."""
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else raw
        boxes = []
        for item in data:
            page = int(item["page"])
            x, y, w, h = (float(item[k]) for k in ("x", "y", "w", "h"))
            if page < 0 or not all(math.isfinite(v) for v in (x, y, w, h)):
                raise ValueError
            x0, y0 = max(0.0, min(x, x + w)), max(0.0, min(y, y + h))
            x1, y1 = min(1.0, max(x, x + w)), min(1.0, max(y, y + h))
            if x1 > x0 and y1 > y0:
                boxes.append(Box(page, x0, y0, x1 - x0, y1 - y0))
    except (TypeError, ValueError, KeyError, json.JSONDecodeError):
        raise ActionRefused(_("The boxes drawn on the pages could not be read.")) from None
    if not boxes:
        raise ActionRefused(_("Draw at least one box over what must stay exempted."))
    if len(boxes) > MAX_BOXES:
        raise ActionRefused(_("Too many boxes: at most %(max)s.") % {"max": MAX_BOXES})
    return boxes


def burn_in(pages, boxes: list[Box]):
    """The pages with black boxes drawn into their pixels, one after the other (a box on a
    page the file does not have is refused)."""
    count = 0
    for index, image in enumerate(pages):
        count += 1
        width, height = image.size
        draw = ImageDraw.Draw(image)
        for box in boxes:
            if box.page != index:
                continue
            # outward to whole pixels: a box never leaves a sliver of what it covers
            left, top = math.floor(box.x * width), math.floor(box.y * height)
            right = math.ceil((box.x + box.w) * width)
            bottom = math.ceil((box.y + box.h) * height)
            draw.rectangle((left, top, right - 1, bottom - 1), fill=(0, 0, 0))
        yield image
    beyond = [box.page for box in boxes if box.page >= count]
    if beyond:
        raise ActionRefused(
            _("A box was drawn on page %(page)s, which the file does not have.")
            % {"page": min(beyond) + 1}
        )


def page_count(berkas: Berkas) -> int:
    if berkas.content_type == PDF:
        return berkas.pages or 0
    return 1 if berkas.content_type in (JPEG, PNG) else 0


def redactable(berkas: Berkas) -> bool:
    """The editor draws on PDFs, JPEGs and PNGs that could be read on upload."""
    return berkas.content_type in (PDF, JPEG, PNG) and not berkas.preview_problem


def page_png(berkas: Berkas, index: int, *, dpi: int = EDITOR_DPI) -> bytes:
    """One page of a file as a PNG, for the editor to draw on."""
    with berkas.file.open("rb") as fh:
        if berkas.content_type == PDF:
            document = pdfium.PdfDocument(fh.read())
            try:
                if not 0 <= index < len(document):
                    raise ActionRefused(_("The file has no such page."))
                page = document[index]
                try:
                    image = page.render(scale=dpi / 72).to_pil().convert("RGB")
                finally:
                    page.close()
            finally:
                document.close()
        elif berkas.content_type in (JPEG, PNG) and index == 0:
            with Image.open(fh) as opened:
                image = opened.convert("RGB")
                image.thumbnail((EDITOR_MAX_PX, EDITOR_MAX_PX))
        else:
            raise ActionRefused(_("The file has no such page."))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    image.close()
    return out.getvalue()


def salinan_from_boxes(*, berkas_id: int, by, boxes) -> SalinanSamaran:
    """A redacted copy made in the app: the PPID drew boxes over the pages of one of the
    entry's files; they are burned in black and the pages saved as an image-only PDF."""
    boxes = parse_boxes(boxes)
    written: list[str] = []
    try:
        with transaction.atomic():
            entri_id = Berkas.objects.values_list("entri_id", flat=True).filter(pk=berkas_id)
            entri = lifecycle.lock(entri_id.first() or 0, by=by)
            require_may_add_redacted(entri, by=by)
            berkas = entri.files.active().filter(pk=berkas_id).first()
            if berkas is None or not redactable(berkas):
                raise ActionRefused(_("This file cannot be redacted in the app."))
            with berkas.file.open("rb") as fh:
                images = _readable(fh, name=berkas.original_name, content_type=berkas.content_type)
            stem = berkas.original_name.rsplit(".", 1)[0]
            return _keep(
                entri,
                by=by,
                name=safe_filename(f"{stem}-disamarkan.pdf", max_length=255),
                images=burn_in(images, boxes),
                source_content_type=berkas.content_type,
                source_sha256=berkas.sha256,
                written=written,
                note=berkas.original_name,
            )
    except BaseException:
        _delete_blobs(file_storage(), written)
        raise


@transaction.atomic
def salinan_approve(*, salinan_id: int, by) -> SalinanSamaran:
    """Approve a redacted copy for the public page (the action APPROVE_REDACTED, logged): it is
    shown there while its entry is in force (publikasi.selectors.public_redacted_copies)."""
    entri_id = SalinanSamaran.objects.filter(pk=salinan_id).values_list("entri_id", flat=True)
    entri = lifecycle.lock(entri_id.first() or 0, by=by)
    salinan = entri.redacted_copies.select_for_update().filter(pk=salinan_id).first()
    if salinan is None:
        raise ActionRefused(_("This entry does not exist or is not available to you."))
    if salinan.approved_at is not None:
        raise ActionRefused(
            _("The redacted copy “%(name)s” was already approved.")
            % {"name": salinan.original_name}
        )
    lifecycle.perform(entri, Action.APPROVE_REDACTED, by=by, note=salinan.original_name[:200])
    salinan.approved_at = timezone.now()
    salinan.approved_by = by
    salinan._history_user = by
    salinan.save(update_fields=["approved_at", "approved_by"])
    approved.send(sender=SalinanSamaran, salinan=salinan, entri=entri)
    return salinan
