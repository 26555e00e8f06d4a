"""The Pengumuman Perubahan Klasifikasi Informasi as a PDF on the office's letterhead: rendered
by the worker after the opening is committed, stored in public storage, served from there (a
request never renders it; before the worker is done the visitor is told it is being prepared).
"""

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from ppid.pdf import render_pdf_bytes
from publikasi.models import Pengumuman
from publikasi.selectors import announcement_contents, announcement_to_render

QUEUED_SECONDS = 5 * 60
logger = logging.getLogger(__name__)


def render_announcement(pengumuman: Pengumuman) -> bytes:
    return render_pdf_bytes(
        "pdf/pengumuman.html",
        {"pengumuman": pengumuman, **announcement_contents(pengumuman)},
        kantor=pengumuman.kantor,
    )


@task
def store_announcement(pengumuman_id: int) -> str:
    """Render the announcement with what it lists now and publish it (the older file goes)."""
    cache.delete(_queued_key(pengumuman_id))
    pengumuman = announcement_to_render(pengumuman_id)
    if pengumuman is None:
        return ""
    data = render_announcement(pengumuman)
    old = pengumuman.pdf.name
    pengumuman.pdf.save("pengumuman.pdf", ContentFile(data), save=False)
    with transaction.atomic():
        Pengumuman.objects.filter(pk=pengumuman.pk).update(pdf=pengumuman.pdf.name)
    if old and old != pengumuman.pdf.name:
        pengumuman.pdf.storage.delete(old)
    logger.info("Announcement %s rendered (%d bytes)", pengumuman.slug, len(data))
    return pengumuman.pdf.name


def _queued_key(pengumuman_id: int) -> str:
    return f"publikasi:pengumuman:queued:{pengumuman_id}"


def queue_announcement(pengumuman_id: int) -> bool:
    """Queue one render (the announcement changed, or its PDF is missing); False when one is
    waiting already."""
    if not cache.add(_queued_key(pengumuman_id), True, QUEUED_SECONDS):
        return False
    store_announcement.enqueue(pengumuman_id)
    return True
