"""Builders for archive and publication tests: stored files, archived entries, decree PDFs."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from dokumen import services
from dokumen.models import Berkas, State, berkas_name
from tests.factories import EntriFactory, UserFactory, make_ordner


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "keputusan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def add_file(entri, kind: str, content: bytes = b"%PDF-1.4 contoh", by=None, **extra) -> Berkas:
    """A Berkas whose bytes are stored through the private storage, as an upload would be."""
    name = storages["private"].save(berkas_name(None, "x"), ContentFile(content))
    return Berkas.objects.create(
        entri=entri,
        kind=kind,
        file=name,
        original_name=extra.pop("original_name", f"{kind}-{entri.pk}.pdf"),
        content_type=extra.pop("content_type", "application/pdf"),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by or entri.collected_by,
        **extra,
    )


def add_redacted_copy(entri, content: bytes = b"%PDF-1.4 disamarkan", by=None, **extra):
    """A redacted copy stored through the private storage, as dokumen.samaran would store it."""
    from dokumen.models import SalinanSamaran

    name = storages["private"].save(berkas_name(None, "x"), ContentFile(content))
    return SalinanSamaran.objects.create(
        entri=entri,
        file=name,
        original_name=extra.pop("original_name", f"salinan-{entri.pk}.pdf"),
        source_content_type="application/pdf",
        source_sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        pages=1,
        made_by=by or entri.collected_by,
        **extra,
    )


def ready_entry(ordner=None, **kwargs):
    """An approved entry with a softcopy, a scan and a binder: everything archiving needs."""
    entri = EntriFactory(classified=True, state=State.DISETUJUI, **kwargs)
    add_file(entri, Berkas.Kind.SOFTCOPY)
    add_file(entri, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    return place(entri, ordner or make_ordner())


def place(entri, ordner):
    """Put the hardcopy in a binder through the service: it takes the next archive number."""
    desk = UserFactory(roles=["Petugas Desk Layanan Informasi"], username="desk-penempat")
    return services.entri_place(entri_id=entri.pk, by=desk, ordner_id=ordner.pk)


def archived_entry(ordner=None, **kwargs):
    """An approved entry archived through the service."""
    from dokumen.archive import entri_archive

    entri = ready_entry(ordner, **kwargs)
    return entri_archive(entri_id=entri.pk, by=ppid_user())


def ppid_user():
    return UserFactory(roles=["PPID"], username="ppid-uji")


def seed_reference_data():
    """Re-seed roles and reference data after a transactional test flushed them (the seeds are
    get_or_create, so this is harmless when they are there)."""
    import importlib

    from django.apps import apps

    importlib.import_module("ppid.migrations.0002_roles").create_roles(apps, None)
    importlib.import_module("dokumen.migrations.0002_reference_data").seed(apps, None)
