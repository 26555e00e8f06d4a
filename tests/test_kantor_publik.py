"""Each office's public page is its own: its logo, and its DIK in force as PDF (on its
letterhead, rendered by the worker) and XLSX, beside its CSV and JSON; not the default
office's."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.tasks import default_task_backend
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dokumen.models import State
from ppid.models import Kantor, SiteProfile
from publikasi.dik_pdf import refresh_public_dik, stored_dik_name
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db
SIDRAP = "kab-sidenreng-rappang"


@pytest.fixture
def offices():
    return Kantor.default(), Kantor.objects.get(slug=SIDRAP)


@pytest.fixture
def in_force(offices):
    pinrang, sidrap = offices
    return (
        EntriFactory(
            kantor=pinrang, classified=True, state=State.DITETAPKAN, title="Arsip Pinrang"
        ),
        EntriFactory(kantor=sidrap, classified=True, state=State.DITETAPKAN, title="Arsip Sidrap"),
    )


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def test_an_office_page_shows_its_own_logo(client, offices):
    pinrang, sidrap = offices
    profile = SiteProfile.for_office(sidrap)
    profile.logo.save("logo-sidrap.png", ContentFile(b"\x89PNG logo Sidrap"), save=True)
    body = client.get(reverse("kantor_dik", args=[SIDRAP])).content.decode()
    assert f'src="/{SIDRAP}/logo"' in body
    response = client.get(f"/{SIDRAP}/logo")
    assert b"".join(response.streaming_content) == b"\x89PNG logo Sidrap"
    # Pinrang has no logo of its own: its page shows the default image, its logo URL is 404
    assert f'src="/{SIDRAP}/logo"' not in client.get("/kab-pinrang/").content.decode()
    assert client.get("/kab-pinrang/logo").status_code == 404
    storages["public"].delete(profile.logo.name)


def test_an_office_xlsx_lists_its_own_dik(client, in_force):
    response = client.get(reverse("kantor_xlsx", args=[SIDRAP]))
    assert response["Content-Disposition"].endswith(f'filename="dik-{SIDRAP}.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Arsip Sidrap" in titles and "Arsip Pinrang" not in titles


def test_an_office_pdf_is_rendered_by_the_worker_on_its_letterhead(client, in_force, queue):
    sidrap = Kantor.objects.get(slug=SIDRAP)
    storages["public"].delete(stored_dik_name(sidrap))
    url = reverse("kantor_dik_pdf", args=[SIDRAP])
    response = client.get(url)
    assert response.status_code == 503
    assert f'href="/{SIDRAP}/data/dik.csv"' in response.content.decode()
    assert [(r.task.name, r.args) for r in queue.results] == [("refresh_public_dik", [SIDRAP])]

    refresh_public_dik.call(SIDRAP)  # the worker
    response = client.get(url)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sidenreng Rappang" in text and "Arsip Sidrap" in text
    assert "Arsip Pinrang" not in text
    # the default office's file is another one
    assert stored_dik_name(sidrap) != stored_dik_name()
    storages["public"].delete(stored_dik_name(sidrap))
    storages["public"].delete(stored_dik_name(sidrap) + ".versi")
