"""The approval sheet (lembar persetujuan) as PDF: read back with pypdf."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dokumen import services as dokumen_services
from persetujuan import services
from ppid.roles import Role
from tests.factories import EntriFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, submitted_entry

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_the_sheet_of_an_approved_entry(client, ppid, pembina, tim, atasan):
    entri = submitted_entry(ppid, title="Formulir Model A-KWK tanpa disamarkan")
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.approve(entri_id=entri.pk, by=tim, role=TIM)
    services.approve(entri_id=entri.pk, by=atasan, role=ATASAN)
    putaran = entri.rounds.get()
    client.force_login(ppid)
    text = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    assert "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG" in text  # the letterhead
    assert "LEMBAR PERSETUJUAN DAFTAR INFORMASI PUBLIK YANG DIKECUALIKAN" in text
    assert "Formulir Model A-KWK tanpa disamarkan" in text
    assert "Putaran 1" in text
    for role, user in ((PEMBINA, pembina), (TIM, tim), (ATASAN, atasan)):
        assert role in text
        assert user.get_full_name() in text
    assert text.count("disetujui") >= 3
    # the content hash is printed in full (it may wrap: compare without spaces)
    assert putaran.content_hash in text.replace(" ", "")


def test_the_sheet_shows_a_return_with_its_reason(client, ppid, pembina, tim):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.return_entri(entri_id=entri.pk, by=tim, role=TIM, reason="Pasal belum tepat.")
    client.force_login(pembina)
    text = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    assert "dikembalikan" in text
    assert "Pasal belum tepat." in text
    assert "belum memutus" in text  # Atasan PPID never decided in that round


def test_void_rounds_and_approvals_of_changed_content_are_not_on_the_sheet(client, ppid, pembina):
    entri = submitted_entry(ppid, title="Entri yang diubah")
    approve_as(entri, Role.PEMBINA, Role.TIM, Role.ATASAN)
    dokumen_services.entri_update(entri_id=entri.pk, by=ppid, data={"test_harm": "Diubah."})
    services.entri_submit(entri_id=entri.pk, by=ppid)
    deciders = [d.by.get_full_name() for d in entri.rounds.get(number=1).decisions.all()]
    client.force_login(ppid)
    text = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    assert "Putaran 2" in text
    assert "Putaran 1" not in text
    for name in deciders:
        assert name not in text
    assert "batal" not in text


def test_the_batch_sheet(client, ppid):
    entries = [submitted_entry(ppid, title=f"Dokumen seleksi PPK nomor {n}") for n in range(3)]
    for entri in entries:
        approve_as(entri, Role.PEMBINA, Role.TIM, Role.ATASAN)
    client.force_login(ppid)
    ids = ",".join(str(e.pk) for e in entries)
    text = pdf_text(client.get(reverse("persetujuan:lembar_batch_pdf") + f"?ids={ids}"))
    for n in range(3):
        assert f"Dokumen seleksi PPK nomor {n}" in text
    # the same from the checkboxes of the submit page (?ids=1&ids=2)
    url = reverse("persetujuan:lembar_batch_pdf")
    text = pdf_text(client.get(url, {"ids": [entries[0].pk, entries[2].pk]}))
    assert "nomor 0" in text and "nomor 2" in text and "nomor 1" not in text


def test_the_batch_sheet_refuses_bad_and_forbidden_ids(client, ppid, pembina):
    hidden = EntriFactory()  # collected: approvers do not see it
    shown = submitted_entry(ppid)
    client.force_login(pembina)
    url = reverse("persetujuan:lembar_batch_pdf")
    bad = client.get(url + "?ids=1,dua")
    assert bad.status_code == 400
    assert "misalnya ?ids=1,2,3" in bad.content.decode()
    assert client.get(url).status_code == 400
    assert client.get(url + f"?ids={shown.pk},{hidden.pk}").status_code == 404
    assert client.get(reverse("persetujuan:lembar_pdf", args=[hidden.pk])).status_code == 404
