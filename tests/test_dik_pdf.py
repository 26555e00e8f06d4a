"""The public DIK PDF is never rendered in a request: the stored file, or the "being prepared"
page while one queued task renders it; a long DIK is rendered in parts and joined."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.tasks import default_task_backend
from django.urls import reverse
from pypdf import PdfReader

from dokumen.models import Entri, State
from ppid.models import Kantor, SiteProfile
from publikasi import dik_pdf, services
from publikasi.dik_pdf import (
    PUBLIC_DIK_PDF,
    PUBLIC_DIK_VERSION,
    office_dik_version,
    public_dik_changed,
    refresh_public_dik,
    render_public_dik,
    store_public_dik,
    stored_version,
)
from tests.archive_fixtures import pdf_upload
from tests.factories import EntriFactory
from tests.test_keputusan_nasional import archived_in, ppid_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_stored_pdf(db):
    SiteProfile.current()
    for name in (PUBLIC_DIK_PDF, PUBLIC_DIK_VERSION):  # left by another test's publication
        storages["public"].delete(name)
    yield
    for name in (PUBLIC_DIK_PDF, PUBLIC_DIK_VERSION):  # the storage outlives the test
        storages["public"].delete(name)


class Renders:
    """The renders of the PDF queued (the rows of the public lists are queued too)."""

    def __init__(self, backend):
        self.backend = backend

    @property
    def results(self):
        return [r for r in self.backend.results if r.task.name == "refresh_public_dik"]


@pytest.fixture
def queue(settings):
    """Tasks are kept, not run: the worker is elsewhere."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield Renders(default_task_backend)
    default_task_backend.clear()


def in_force(n=1, **kwargs):
    return [EntriFactory(classified=True, state=State.DITETAPKAN, **kwargs) for _ in range(n)]


def status(client) -> int:
    response = client.get(reverse("publikasi:dik_pdf"))
    if response.streaming:  # read to the end: the test client then closes the stored file
        b"".join(response.streaming_content)
    return response.status_code


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_without_a_stored_file_the_visitor_is_told_and_one_render_is_queued(client, queue):
    in_force(title="Surat keterangan kesehatan calon")
    for _ in range(5):
        response = client.get(reverse("publikasi:dik_pdf"))
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert "PDF daftar informasi yang dikecualikan sedang disiapkan" in html
        assert 'href="/data/dik.csv"' in html
    # five visitors, one task
    assert [r.task.name for r in queue.results] == ["refresh_public_dik"]
    assert not storages["public"].exists(PUBLIC_DIK_PDF)  # nothing rendered in the request

    refresh_public_dik.call()  # the worker
    response = client.get(reverse("publikasi:dik_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Surat keterangan kesehatan calon" in pdf_text(b"".join(response.streaming_content))
    assert len(queue.results) == 1


def test_a_stale_file_is_never_served(client, queue):
    in_force(title="Sudah tidak berlaku nanti")
    store_public_dik()
    assert stored_version() == office_dik_version()
    assert status(client) == 200
    # a change committed while (or after) the file was rendered, its removal not yet done
    public_dik_changed()  # committed, its removal (after the commit) not yet done
    response = client.get(reverse("publikasi:dik_pdf"))
    assert response.status_code == 503
    assert len(queue.results) == 1
    refresh_public_dik.call()
    assert stored_version() == office_dik_version()
    assert status(client) == 200


def test_a_file_without_its_version_is_not_served(client, queue):
    storages["public"].save(PUBLIC_DIK_PDF, ContentFile(b"%PDF-1.4 tanpa versi"))
    assert status(client) == 503


def test_a_change_removes_the_file_and_queues_one_render(
    client, queue, django_capture_on_commit_callbacks
):
    in_force()
    store_public_dik()
    with django_capture_on_commit_callbacks(execute=True):
        public_dik_changed()
    assert not storages["public"].exists(PUBLIC_DIK_PDF)
    assert len(queue.results) == 1
    assert status(client) == 503  # a visitor before the worker: no second task
    assert len(queue.results) == 1


def test_a_duplicate_task_renders_nothing(monkeypatch):
    in_force()
    store_public_dik()
    monkeypatch.setattr(dik_pdf, "write_public_dik", lambda *a, **k: pytest.fail("rendered"))
    assert refresh_public_dik.call() == PUBLIC_DIK_PDF


def test_a_long_dik_is_rendered_in_parts_numbered_throughout(monkeypatch):
    monkeypatch.setattr(dik_pdf, "PDF_PART_ROWS", 3)
    for n in range(7):
        in_force(title=f"Informasi nomor {n:02d}")
    out = io.BytesIO()
    assert dik_pdf.write_public_dik(out) == 3
    reader = PdfReader(io.BytesIO(out.getvalue()))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(pages)
    assert text.count("DAFTAR INFORMASI YANG DIKECUALIKAN") == 1  # the letterhead once
    for n in range(7):
        assert f"Informasi nomor {n:02d}" in text
    # one numbering of the rows across the parts: 1 … 7 in order of the titles
    positions = [text.index(f"{n + 1} Informasi nomor {n:02d}") for n in range(7)]
    assert positions == sorted(positions)
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} / {total}" in page


def test_a_short_dik_is_one_document_as_before():
    in_force(title="Satu-satunya")
    text = pdf_text(render_public_dik())
    assert "Satu-satunya" in text and "Halaman 1 / 1" in text


# ---------------------------------------------------------------- one version per office


def office_status(client, slug: str) -> int:
    response = client.get(reverse("kantor_dik_pdf", args=[slug]))
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def sidrap():
    kantor = Kantor.objects.get(slug="kab-sidenreng-rappang")
    names = [dik_pdf.stored_dik_name(kantor), dik_pdf.stored_dik_name(kantor) + ".versi"]
    yield kantor
    for name in names:
        storages["public"].delete(name)


def stored_both(sidrap):
    in_force(title="Berlaku di Pinrang")
    in_force(title="Berlaku di Sidrap", kantor=sidrap)
    store_public_dik()
    store_public_dik(sidrap)
    return office_dik_version(), office_dik_version(sidrap)


def test_a_change_in_one_office_leaves_the_others_pdf_fresh(
    client, queue, sidrap, django_capture_on_commit_callbacks
):
    pinrang_before, sidrap_before = stored_both(sidrap)
    with django_capture_on_commit_callbacks(execute=True):
        public_dik_changed([sidrap.pk])
    # Pinrang's file is untouched, still current and served; no render queued for it
    assert office_dik_version() == pinrang_before
    assert storages["public"].exists(PUBLIC_DIK_PDF) and status(client) == 200
    assert office_status(client, "kab-pinrang") == 200
    assert queue.results == []
    # Sidrap's is stale: never served, one render queued, fresh after it
    assert office_dik_version(sidrap) > sidrap_before
    assert office_status(client, "kab-sidenreng-rappang") == 503
    assert [r.args for r in queue.results] == [[sidrap.slug]]
    refresh_public_dik.call(sidrap.slug)
    assert office_status(client, "kab-sidenreng-rappang") == 200
    # a change of every office (None) makes both stale
    with django_capture_on_commit_callbacks(execute=True):
        public_dik_changed()
    assert office_status(client, "kab-sidenreng-rappang") == 503 and status(client) == 503


def test_the_services_mark_only_the_offices_they_change(sidrap):
    """Sidrap's PPID publishes its own decree and revokes it, its fixed period ends: each
    changes Sidrap's version and leaves Pinrang's, whose stored PDF stays fresh throughout."""
    stored_both(sidrap)
    pinrang = office_dik_version()
    own = archived_in(sidrap, "Arsip Sidrap yang ditetapkan sendiri")
    ppid = ppid_of(sidrap, f"ppid-{sidrap.slug}")
    data = {"number": "7 Tahun 2026", "date": datetime.date(2026, 1, 5), "title": "Sidrap"}
    keputusan = services.keputusan_create(by=ppid, data=data, pdf=pdf_upload(), entries=[own])
    versions = [office_dik_version(sidrap)]
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    versions.append(office_dik_version(sidrap))
    data = {"number": "8 Tahun 2026", "date": datetime.date(2026, 1, 6), "title": "Cabut"}
    services.keputusan_revoke(keputusan_id=keputusan.pk, by=ppid, data=data, pdf=pdf_upload())
    versions.append(office_dik_version(sidrap))
    ending = in_force(title="Masa Sidrap berakhir", kantor=sidrap)[0]
    Entri.objects.filter(pk=ending.pk).update(period_end=datetime.date(2020, 1, 1))
    assert services.entries_expire() == [ending]
    versions.append(office_dik_version(sidrap))
    assert versions == sorted(set(versions))  # grew at every step
    assert office_dik_version() == pinrang == stored_version()
