"""Printed forms: the Formulir DIK (whole list and one entry) and the lembar pengujian konsekuensi."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from dokumen.models import JenisDokumen, State
from ppid.models import SiteProfile
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db


def pdf_of(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())  # lines wrapped in a cell read as one phrase


def pages_of(response) -> list[str]:
    """The text of each page, lines joined (a phrase wrapped in a cell reads as one)."""
    reader, _ = pdf_of(response)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def page_with(pages: list[str], phrase: str) -> int:
    found = [n for n, text in enumerate(pages) if phrase in text]
    assert len(found) == 1, (phrase, found)
    return found[0]


# the six parts in the words of PKPU 22/2023 Article 25(3), as every page and print labels them
SIX_PARTS = [
    "a. Materi, sifat, dan lingkup informasi",
    "b. Potensi konsekuensi bahaya akibat dibukanya informasi",
    "c. Undang-undang yang menjadi dasar hukum",
    "d. Kepentingan publik",
    "e. Penyeimbangan antara potensi konsekuensi bahaya dengan kepentingan publik",
    "f. Kesimpulan hasil pengujian konsekuensi",
]


@pytest.fixture
def office():
    profile = SiteProfile.current()
    profile.ppid_officer = "Andi Baso Rahman"
    profile.city = "Pinrang"
    profile.save()
    return profile


@pytest.fixture
def entries():
    classified = EntriFactory(
        classified=True,
        state=State.DIKLASIFIKASI,
        title="Formulir Model A-KWK dengan NIK tidak disamarkan",
        summary="Daftar pemilih per desa.",
        holding_unit="Subbagian Perencanaan, Data dan Informasi",
        grounds=["17h", "17j"],
        other_law="UU 27/2022 tentang Pelindungan Data Pribadi",
        test_harm="Membuka data kependudukan pemilih.",
        period_wording="5 (lima) tahun sejak ditetapkan",
        period_start=datetime.date(2026, 1, 2),
    )
    collected = EntriFactory(
        title="Surat keterangan kesehatan bakal calon",
        holding_unit="Subbagian Teknis",
        document_type=JenisDokumen.objects.get(code="kepegawaian"),
    )
    return classified, collected


def test_the_formulir_prints_the_office_entries_with_a_signature_block(
    client, desk, office, entries
):
    classified, collected = entries
    client.force_login(desk)
    reader, text = pdf_of(client.get(reverse("meja:formulir_pdf")))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG" in text  # the letterhead
    assert "FORMULIR DAFTAR INFORMASI PUBLIK YANG DIKECUALIKAN" in text
    for column in (
        "No.",
        "Informasi yang dikecualikan",
        "Jenis dokumen",
        "Dasar pengecualian",
        "Konsekuensi",
        "Jangka waktu pengecualian",
        "Unit penguasa informasi",
    ):
        assert column in text
    assert classified.title in text and collected.title in text
    assert "Pasal 17 huruf h UU 14/2008" in text and "Pasal 17 huruf j UU 14/2008" in text
    # the other law under its own label, not as one more Pasal 17 ground
    assert "Dasar hukum lain: UU 27/2022 tentang Pelindungan Data Pribadi" in text
    assert "Membuka data kependudukan pemilih. Kesimpulan: dikecualikan" in text
    assert "5 (lima) tahun sejak ditetapkan sejak 2 Januari 2026" in text
    assert "Subbagian Perencanaan, Data dan Informasi" in text
    assert f"Pinrang, {date_format(timezone.localdate())}" in text
    assert "Pejabat Pengelola Informasi dan Dokumentasi" in text
    assert "Andi Baso Rahman" in text
    assert text.index("Andi Baso Rahman") > text.index(collected.title)


def test_the_formulir_prints_what_the_list_shows(client, desk, office, entries):
    classified, collected = entries
    client.force_login(desk)
    list_page = client.get(reverse("meja:entri_list"), {"state": "diklasifikasi"}).content.decode()
    assert f"{reverse('meja:formulir_pdf')}?state=diklasifikasi" in list_page
    _, text = pdf_of(client.get(reverse("meja:formulir_pdf"), {"state": "diklasifikasi"}))
    assert classified.title in text
    assert collected.title not in text
    assert "Pilihan : Tahap: diklasifikasi" in text
    _, text = pdf_of(client.get(reverse("meja:formulir_pdf"), {"q": "kesehatan"}))
    assert collected.title in text and classified.title not in text
    _, text = pdf_of(client.get(reverse("meja:formulir_pdf"), {"q": "tidak ada"}))
    assert "Tidak ada entri pada pilihan ini." in text


def test_the_formulir_of_one_entry(client, ppid, office, entries):
    classified, collected = entries
    client.force_login(ppid)
    reader, text = pdf_of(client.get(reverse("meja:entri_formulir_pdf", args=[classified.pk])))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    assert "FORMULIR DAFTAR INFORMASI PUBLIK YANG DIKECUALIKAN" in text
    assert classified.title in text
    assert collected.title not in text
    assert "Andi Baso Rahman" in text


def test_the_consequence_test_sheet_has_the_six_parts(client, desk, office, entries):
    classified, _ = entries
    client.force_login(desk)
    reader, text = pdf_of(client.get(reverse("meja:entri_uji_pdf", args=[classified.pk])))
    assert reader.pages[0].mediabox.height > reader.pages[0].mediabox.width  # portrait
    assert "LEMBAR PENGUJIAN KONSEKUENSI" in text
    assert classified.title in text
    assert "Pasal 17 huruf h UU 14/2008 — mengungkap rahasia pribadi" in text
    contents = [
        classified.test_material,
        classified.test_harm,
        classified.test_law,
        classified.test_public_interest,
        classified.test_weighing,
        "DIKECUALIKAN",
    ]
    parts = list(zip(SIX_PARTS, contents, strict=True))
    positions = []
    for label, content in parts:
        assert f"{label} {content}" in text, label
        positions.append(text.index(label))
    assert positions == sorted(positions)  # printed in the order of Article 25(3)
    assert "Jangka waktu tetap: 5 (lima) tahun sejak ditetapkan; sejak 2 Januari 2026" in text
    assert "Andi Baso Rahman" in text


def test_an_unclassified_entry_prints_empty_parts_as_dashes(client, desk, office, entries):
    _, collected = entries
    client.force_login(desk)
    _, text = pdf_of(client.get(reverse("meja:entri_uji_pdf", args=[collected.pk])))
    assert f"{SIX_PARTS[1]} —" in text
    assert f"{SIX_PARTS[5]} —" in text


def test_without_an_officer_name_the_signature_line_is_left_blank(client, desk, entries):
    client.force_login(desk)
    _, text = pdf_of(client.get(reverse("meja:formulir_pdf")))
    assert "(....................................)" in text


def test_the_formulir_shows_each_entrys_step(client, desk, office, entries):
    client.force_login(desk)
    _, text = pdf_of(client.get(reverse("meja:formulir_pdf")))
    assert "Unit penguasa informasi Tahap" in text  # the column
    # each row ends with the unit and then the step
    assert "Subbagian Perencanaan, Data dan Informasi diklasifikasi" in text
    assert "Subbagian Teknis dikumpulkan" in text


def test_the_consequence_test_sheet_names_the_other_law_on_its_own_line(
    client, desk, office, entries
):
    classified, _ = entries
    client.force_login(desk)
    _, text = pdf_of(client.get(reverse("meja:entri_uji_pdf", args=[classified.pk])))
    assert "Dasar hukum lain : UU 27/2022 tentang Pelindungan Data Pribadi" in text
    assert "; UU 27/2022 tentang" not in text
    # the reference text of Pasal 17 huruf j is Indonesian too
    assert "(misalnya UU 23/2006 Adminduk untuk NIK/KK; UU 27/2022 PDP)" in text
    assert "e.g." not in text


def test_a_short_consequence_test_sheet_fits_on_one_page(client, desk, office, entries):
    classified, _ = entries
    client.force_login(desk)
    pages = pages_of(client.get(reverse("meja:entri_uji_pdf", args=[classified.pk])))
    assert len(pages) == 1
    assert SIX_PARTS[5] in pages[0] and "Andi Baso Rahman" in pages[0]


@pytest.mark.parametrize(
    ("weighing_sentences", "others_long"),
    [(6, False), (18, False), (27, False), (33, False), (45, False), (0, True)],
)
def test_with_long_texts_the_conclusion_stays_with_the_signature(
    client, desk, office, weighing_sentences, others_long
):
    """Lengths that once left the signature alone on page 2 (18–33 sentences of weighing),
    and long texts in every part."""
    sentence = "Uraian yang panjang tentang isi, sifat, dan akibat informasi ini."
    long = " ".join([sentence] * 22) if others_long else "Singkat."
    entri = EntriFactory(
        classified=True,
        state=State.DIKLASIFIKASI,
        test_material=long,
        test_harm=long,
        test_law=long,
        test_public_interest=long,
        test_weighing=" ".join([sentence] * weighing_sentences) or long,
        period_wording="5 (lima) tahun sejak ditetapkan",
    )
    client.force_login(desk)
    pages = pages_of(client.get(reverse("meja:entri_uji_pdf", args=[entri.pk])))
    conclusion = page_with(pages, SIX_PARTS[5])
    assert page_with(pages, "Andi Baso Rahman") == conclusion
    assert page_with(pages, "Pejabat Pengelola Informasi dan Dokumentasi") == conclusion
    assert page_with(pages, "5 (lima) tahun sejak ditetapkan") == conclusion
    assert "DIKECUALIKAN" in pages[conclusion]
