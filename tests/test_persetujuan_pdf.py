"""The approval sheet (lembar persetujuan) as PDF: read back with pypdf."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from dokumen import services as dokumen_services
from persetujuan import services
from ppid.models import SiteProfile
from ppid.roles import Role
from tests.factories import EntriFactory, UserFactory
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


# ---------------------------------------------------------------- fit to sign (text per page)


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def signatures_of(text: str) -> str:
    """The signature block: everything after its heading."""
    assert text.count("Tanda tangan") == 1
    return text[text.index("Tanda tangan") :]


@pytest.fixture
def officer():
    profile = SiteProfile.current()
    profile.ppid_officer = "Andi Baso Rahman"
    profile.city = "Pinrang"
    profile.save()
    return profile


def test_the_sheet_has_a_place_to_sign_for_the_ppid_and_every_required_role(
    client, ppid, pembina, tim, officer
):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.approve(entri_id=entri.pk, by=tim, role=TIM)
    client.force_login(ppid)
    text = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    block = signatures_of(text)
    assert "PPID KPU Kabupaten Pinrang" in block and "Andi Baso Rahman" in block
    for role in (PEMBINA, TIM, ATASAN):
        assert role in block
    approved_on = date_format(timezone.localdate())
    assert f"{PEMBINA} Tanggal: {approved_on} {pembina.get_full_name()}" in block
    assert f"{TIM} Tanggal: {approved_on} {tim.get_full_name()}" in block
    # Atasan PPID has not decided: a blank date and a blank name to fill in by hand
    assert f"{ATASAN} Tanggal: …………………… (……………………………)" in block


def test_the_places_to_sign_follow_the_roles_the_round_requires(client, ppid, settings, officer):
    settings.DIK_REQUIRED_APPROVER_ROLES = [PEMBINA, ATASAN]
    entri = submitted_entry(ppid)
    client.force_login(ppid)
    block = signatures_of(pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk]))))
    assert PEMBINA in block and ATASAN in block
    assert TIM not in block


def test_the_sheet_lists_an_earlier_returned_round_with_its_reason(client, ppid, pembina, tim):
    first_pembina = UserFactory(roles=[Role.PEMBINA], first_name="Hasanuddin", last_name="Lapatau")
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=first_pembina, role=PEMBINA)
    services.return_entri(
        entri_id=entri.pk, by=tim, role=TIM, reason="Pasal 17 huruf j belum disebut."
    )
    dokumen_services.entri_update(
        entri_id=entri.pk, by=ppid, data={"test_law": "UU 14/2008 Pasal 17 huruf h dan j."}
    )
    services.entri_submit(entri_id=entri.pk, by=ppid)
    client.force_login(ppid)
    text = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    assert "Putaran 2" in text
    assert "Putaran terdahulu yang dikembalikan" in text
    assert f"Putaran 1, diajukan oleh {ppid.get_full_name()}" in text
    assert f"dikembalikan oleh {TIM} ({tim.get_full_name()})" in text
    assert "Alasan: Pasal 17 huruf j belum disebut." in text
    # an approval of the content before the edit is never shown
    assert "Hasanuddin Lapatau" not in text
    assert "putaran terdahulu" not in text  # nothing hidden: the one earlier round is listed


def test_in_a_batch_sheet_each_title_is_on_the_page_where_its_table_starts(client, ppid):
    reason = " ".join(["Uraian pertimbangan yang harus dibaca seluruhnya oleh Tim."] * 6)
    entries = []
    for n in range(1, 7):
        entri = submitted_entry(
            ppid,
            title=f"Dokumen seleksi anggota PPK kecamatan nomor {n}",
            holding_unit=f"Subbagian Teknis seksi {n}",
        )
        services.return_entri(
            entri_id=entri.pk, by=UserFactory(roles=[Role.TIM]), role=TIM, reason=reason
        )
        entries.append(entri)
    client.force_login(ppid)
    ids = ",".join(str(e.pk) for e in entries)
    pages = pdf_pages(client.get(reverse("persetujuan:lembar_batch_pdf") + f"?ids={ids}"))
    assert len(pages) >= 3
    flat = [page.replace(" ", "") for page in pages]

    def page_of(phrase: str) -> int:
        found = [n for n, page in enumerate(flat) if phrase.replace(" ", "") in page]
        assert len(found) == 1, (phrase, found)
        return found[0]

    for n, entri in enumerate(entries, start=1):
        title = page_of(f"{n}. Dokumen seleksi anggota PPK kecamatan nomor {n}")
        assert page_of(f"Subbagian Teknis seksi {n}") == title  # the facts table
        putaran = entri.rounds.get()
        assert page_of(putaran.content_hash) == title  # the round's table starts below its hash
