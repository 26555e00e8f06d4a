"""Redacted public copies of an entry (salinan yang disamarkan): add one, rasterised on ingest.

The PPID gives a copy in which what stays exempted is masked (a PDF, JPEG or PNG). Masking a
PDF with a drawn box leaves the text under it in the file, so nothing the PPID gives is kept
as it came: every page is rendered (pypdfium2), and the images are saved as a new PDF that has
no text layer, no hidden objects and no metadata of the original (Pillow). The copy is stored
privately through the storage API, with its SHA-256, like a file (dokumen.berkas).

Same rules as every write to an entry: lock the row, take the action ADD_REDACTED through the
lifecycle table (its log row names it), change; a refused upload leaves no blob and no row.
"""

import hashlib
import io

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from dokumen import lifecycle
from dokumen.berkas import _delete_blobs, file_storage, sha256_of
from dokumen.delivery import safe_filename
from dokumen.inspection import JPEG, PDF, PNG, FileRefused, inspect_file
from dokumen.models import Action, Berkas, SalinanSamaran, berkas_name
from ppid.errors import ActionRefused

# Rendering resolution of a redacted copy: readable when printed, small enough to publish.
RASTER_DPI = 150
MAX_PAGES = 200  # a copy for the public page, not an archive: a longer one is refused


def require_may_add_redacted(entri, *, by) -> None:
    lifecycle.check(entri, Action.ADD_REDACTED, by)


def _pages_of_pdf(fh) -> list[Image.Image]:
    fh.seek(0)
    document = pdfium.PdfDocument(fh.read())
    try:
        if len(document) > MAX_PAGES:
            raise ActionRefused(
                _("A redacted copy has at most %(max)s pages; this one has %(pages)s.")
                % {"max": MAX_PAGES, "pages": len(document)}
            )
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=RASTER_DPI / 72)
                images.append(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
        return images
    finally:
        document.close()


def _pages_of_image(fh) -> list[Image.Image]:
    fh.seek(0)
    with Image.open(fh) as image:
        image.load()
        return [image.convert("RGB")]


def rasterise(fh, content_type: str) -> tuple[bytes, int]:
    """An image-only PDF of the pages of `fh` (a PDF, JPEG or PNG) and its page count."""
    if content_type == PDF:
        images = _pages_of_pdf(fh)
    elif content_type in (JPEG, PNG):
        images = _pages_of_image(fh)
    else:
        raise ActionRefused(_("A redacted copy is a PDF, JPEG or PNG file."))
    if not images:
        raise ActionRefused(_("The redacted copy has no page."))
    out = io.BytesIO()
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=float(RASTER_DPI)
    )
    for image in images:
        image.close()
    return out.getvalue(), len(images)


def salinan_add(*, entri_id: int, by, upload) -> SalinanSamaran:
    """Add a redacted copy to an entry: checked, rasterised, hashed, stored; or nothing."""
    storage = file_storage()
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
            source_sha256 = sha256_of(upload)
            try:
                content, pages = rasterise(upload, inspection.content_type)
            except ActionRefused:
                raise
            except Exception:  # pdfium and Pillow raise many kinds on a damaged file
                raise ActionRefused(
                    _("“%(name)s” cannot be read to make a redacted copy.") % {"name": name}
                ) from None
            written.append(berkas_name(None, name))
            written[-1] = storage.save(written[-1], ContentFile(content), max_length=200)
            lifecycle.perform(entri, Action.ADD_REDACTED, by=by, note=name[:200])
            salinan = SalinanSamaran(
                entri=entri,
                file=written[-1],
                original_name=name,
                source_content_type=inspection.content_type,
                source_sha256=source_sha256,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                pages=pages,
                made_by=by,
                made_at=timezone.now(),
            )
            salinan._history_user = by
            salinan.save()
    except BaseException:
        _delete_blobs(storage, written)
        raise
    return salinan
