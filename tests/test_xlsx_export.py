"""The DIK and the staff list as Excel workbooks: what the CSV and the list hold, nothing more."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dokumen.models import Entri, State
from ppid.models import SiteProfile
from publikasi import open_data
from publikasi.models import Keputusan
from tests.archive_fixtures import pdf_bytes
from tests.factories import EntriFactory, UserFactory, make_ordner

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def site_profile(db):
    return SiteProfile.current()


def workbook_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    # a read-only sheet gives a row up to its last written cell: empty cells at the end are None
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]


def published(title: str, **kwargs) -> Entri:
    entri = EntriFactory(classified=True, state=State.DITETAPKAN, title=title, **kwargs)
    keputusan = Keputusan.objects.create(
        number="731 Tahun 2025",
        date=datetime.date(2025, 8, 21),
        title="Penetapan informasi yang dikecualikan",
        status=Keputusan.Status.PUBLISHED,
        published_at=timezone.now(),
        recorded_by=UserFactory(username="pencatat", first_name="Nurul", last_name="Hidayah"),
    )
    keputusan.pdf.save("k.pdf", ContentFile(pdf_bytes()))
    keputusan.entries.set([entri])
    return entri


def test_public_xlsx_has_the_csv_columns_under_indonesian_headings(client):
    entri = published("Salinan ijazah bakal calon", grounds=["17h", "17h2"])
    EntriFactory(classified=True, state=State.DISETUJUI, title="Belum ditetapkan")

    rows = workbook_rows(client.get(reverse("publikasi:dik_xlsx")))
    heading, *data = rows
    assert heading[:3] == ["Nomor register", "Informasi yang dikecualikan", "Jenis dokumen"]
    assert len(heading) == len(open_data.FIELD_NAMES)
    assert len(data) == 1
    row = dict(zip(open_data.FIELD_NAMES, data[0], strict=True))
    assert row["id"] == entri.pk
    assert row["judul"] == "Salinan ijazah bakal calon"
    assert row["dasar_hukum_kode"] == "17h | 17h2"
    assert row["jangka_waktu_tahun"] == 5
    # dates are Excel dates, not text
    assert row["mulai"] == datetime.datetime.combine(entri.period_start, datetime.time())
    assert row["keputusan_tanggal"] == datetime.datetime(2025, 8, 21)
    assert row["keputusan_nomor"] == "731 Tahun 2025"


def test_public_xlsx_holds_exactly_what_the_public_csv_holds(client):
    ordner = make_ordner("Ordner DIK 2026")
    entri = published("Hasil pemeriksaan kesehatan", ordner=ordner, archive_number=7)
    EntriFactory(classified=True, state=State.DIARSIPKAN, title="Masih diarsipkan")

    text = b"".join(client.get(reverse("publikasi:dik_csv")).streaming_content).decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    xlsx_rows = workbook_rows(client.get(reverse("publikasi:dik_xlsx")))
    assert len(xlsx_rows) == len(csv_rows) == 2

    def as_text(value):
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        return "" if value is None else str(value)

    assert [as_text(v) for v in xlsx_rows[1]] == csv_rows[1]
    flat = " ".join(as_text(v) for row in xlsx_rows for v in row)
    for secret in ("Ordner DIK 2026", "00007", "Nurul", "Hidayah", "Masih diarsipkan", "k.pdf"):
        assert secret not in flat
    assert entri.collected_by.username not in flat


def test_a_formula_in_a_title_stays_text(client):
    published('=HYPERLINK("http://contoh.test","klik")')
    body = b"".join(client.get(reverse("publikasi:dik_xlsx")).streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_staff_xlsx_is_the_lists_selection(client, ppid):
    kept = EntriFactory(
        classified=True, title="Data pemilih disabilitas", collected_on=datetime.date(2026, 3, 14)
    )
    EntriFactory(title="Surat lain", summary="tidak dicari")
    client.force_login(ppid)
    url = reverse("meja:entri_xlsx") + "?q=disabilitas"

    heading, *data = workbook_rows(client.get(url))
    assert heading[:5] == [
        "Nomor entri",
        "Judul informasi",
        "Ringkasan",
        "Unit penguasa informasi",
        "Tahap",
    ]
    assert [row[1] for row in data] == ["Data pemilih disabilitas"]
    assert data[0][0] == kept.pk
    assert data[0][4] == "dikumpulkan"
    assert data[0][5] == datetime.datetime(2026, 3, 14)
    # the list shows the same selection
    html = client.get(reverse("meja:entri_list") + "?q=disabilitas").content.decode()
    assert "1 entri ditemukan" in html
    assert f'href="{url}"' in html


def test_staff_xlsx_follows_the_lists_sort_and_every_entry_without_a_filter(client, desk):
    titles = ["Bravo", "Alfa", "Charlie"]
    for title in titles:
        EntriFactory(title=title)
    client.force_login(desk)
    _heading, *data = workbook_rows(client.get(reverse("meja:entri_xlsx") + "?sort=title"))
    assert [row[1] for row in data] == sorted(titles)


def test_staff_xlsx_is_refused_like_the_list(client, no_role, pembina):
    EntriFactory(title="Rahasia")
    url = reverse("meja:entri_xlsx")
    assert client.get(url).status_code == 302  # to the login page
    for user in (no_role, pembina):
        client.force_login(user)
        assert client.get(reverse("meja:entri_list")).status_code == 403
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_xlsx_query_counts_do_not_depend_on_size(client, ppid, django_assert_num_queries, size):
    published("Informasi 0")
    for n in range(1, size):
        EntriFactory(classified=True, state=State.DITETAPKAN, title=f"Informasi {n}")
    # the default office, entries, their grounds, decrees, the information no longer exempted
    with django_assert_num_queries(5):
        rows = workbook_rows(client.get(reverse("publikasi:dik_xlsx")))
    assert len(rows) == size + 1
    client.force_login(ppid)
    # session, user, roles, filter years, entries, grounds, the decrees that fixed them
    with django_assert_num_queries(7):
        rows = workbook_rows(client.get(reverse("meja:entri_xlsx")))
    assert len(rows) == size + 1
