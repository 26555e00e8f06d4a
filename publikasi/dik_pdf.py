"""The published DIK as a PDF: rendered when the DIK changes, kept in public storage, served.

A large DIK takes seconds to render (STACK.md), so a page view never waits for it unless the
file is missing. After each change is committed the stale file is removed at once (the public
never gets an entry that left the DIK) and a task renders the new one.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ppid.models import Kantor
from ppid.pdf import render_pdf_bytes
from publikasi.models import DikVersion
from publikasi.selectors import published_dik_of

PUBLIC_DIK_PDF = "dik/daftar-informasi-dikecualikan.pdf"
logger = logging.getLogger(__name__)


def render_public_dik(entries=None) -> bytes:
    """The PDF of the DIK in force (or of `entries`, a part of it: the benchmark's rows)."""
    return render_pdf_bytes(
        "pdf/dik_publik.html",
        {
            "entries": published_dik_of(Kantor.default()) if entries is None else entries,
            "rendered_at": timezone.localtime(),
        },
    )


def store_public_dik() -> str:
    """Render and store under the fixed name; returns the name stored."""
    storage = storages["public"]
    content = render_public_dik()
    storage.delete(PUBLIC_DIK_PDF)
    name = storage.save(PUBLIC_DIK_PDF, ContentFile(content))
    if name != PUBLIC_DIK_PDF:  # another render got there first: keep one file, the fixed one
        storage.delete(name)
    return PUBLIC_DIK_PDF


@task
def refresh_public_dik() -> str:
    return store_public_dik()


def _invalidate_and_refresh() -> None:
    storages["public"].delete(PUBLIC_DIK_PDF)
    refresh_public_dik.enqueue()


def public_dik_changed() -> None:
    """Call inside the transaction that changed the published DIK."""
    DikVersion.bump()  # the public page's cached rendering is stale once this commits
    transaction.on_commit(_invalidate_and_refresh)
