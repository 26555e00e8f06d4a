"""Thumbnails of stored files: the first page of a PDF, or the image, at most 400 px, as PNG.

make_thumbnail takes only the file's id; `draw_thumbnail` runs it as a background task (queued
by the upload service after commit, so an upload never waits for it). It is safe to run twice
and never raises for a file it cannot draw: the file is flagged instead.
"""

import io
import logging

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from dokumen.inspection import TIFF, TYPES, strict_pillow

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 400


def drawable(berkas) -> bool:
    """A PDF or an image has a picture; office documents show their type badge instead."""
    return berkas.is_pdf or bool(
        berkas.content_type in TYPES and TYPES[berkas.content_type].pillow_format
    )


def thumbnail_pending(berkas) -> bool:
    """Queued and not drawn yet: no thumbnail, no problem that prevents one."""
    return not berkas.thumbnail and not berkas.preview_problem and drawable(berkas)


@task
def draw_thumbnail(berkas_id: int) -> bool:
    return make_thumbnail(berkas_id)


def make_thumbnail(berkas_id: int) -> bool:
    """Draw and store the thumbnail of one file; True when it has one afterwards."""
    from dokumen.models import Berkas

    berkas = Berkas.objects.filter(pk=berkas_id).first()
    if berkas is None:
        return False
    storage = berkas.thumbnail.storage
    if berkas.thumbnail and storage.exists(berkas.thumbnail.name):
        return True
    if not drawable(berkas):
        return False

    try:
        with berkas.file.storage.open(berkas.file.name, "rb") as fh:
            image = _draw_pdf(fh) if berkas.is_pdf else _draw_image(fh, berkas.content_type)
        png = io.BytesIO()
        image.save(png, "PNG", optimize=True)
    except Exception:
        logger.warning("no thumbnail for file %s", berkas_id, exc_info=True)
        if not berkas.preview_problem:
            problem = (
                _("Damaged PDF: its first page cannot be drawn.")
                if berkas.is_pdf
                else _("The image cannot be drawn as a thumbnail.")
            )
            # a flag, not a change of the record: no history row
            Berkas.objects.filter(pk=berkas.pk, preview_problem="").update(preview_problem=problem)
        return False

    name = berkas.thumbnail.field.generate_filename(berkas, "thumbnail.png")
    name = storage.save(name, ContentFile(png.getvalue()), max_length=200)
    # two runs at once: the first one's thumbnail wins, the other removes its own copy
    won = Berkas.objects.filter(pk=berkas.pk, thumbnail=berkas.thumbnail.name or "").update(
        thumbnail=name
    )
    if not won:
        storage.delete(name)
    return True


def _draw_pdf(fh) -> Image.Image:
    pdf = pdfium.PdfDocument(fh)
    try:
        page = pdf[0]
        try:
            width, height = page.get_size()
            scale = THUMBNAIL_PX / max(width, height, 1)
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    return image


def _draw_image(fh, content_type: str) -> Image.Image:
    with strict_pillow(), Image.open(fh, formats=[TYPES[content_type].pillow_format]) as source:
        if content_type != TIFF:
            source.draft("RGB", (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))
        source.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        # phone photos are stored as taken; EXIF says which way is up
        image = ImageOps.exif_transpose(source)
        mode = (
            "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
        )
        if image.mode.startswith("I"):  # 16-bit scans
            image = image.convert("I").point(lambda v: v / 256).convert("L")
        return image.convert(mode)
