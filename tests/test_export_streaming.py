"""The public exports are sent as they are read: the same bytes as a document built whole, a
streaming response, and a number of queries that grows with chunks of rows, never with rows."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dokumen.models import State
from ppid.models import SiteProfile
from ppid.xlsx import xlsx_pieces
from publikasi import open_data, views
from publikasi.models import Keputusan
from publikasi.selectors import published_dik
from tests.archive_fixtures import pdf_bytes
from tests.factories import EntriFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_profile(db):
    return SiteProfile.current()


def register(n: int) -> list:
    entries = [
        EntriFactory(
            classified=True,
            state=State.DITETAPKAN,
            title=f'Dokumen "calon" nomor {i}, dengan koma\nbaris baru dan ü',
            grounds=["17h", "17h2"] if i % 2 else ["17h"],
        )
        for i in range(n)
    ]
    keputusan = Keputusan.objects.create(
        number="731 Tahun 2025",
        date=datetime.date(2025, 8, 21),
        title="Penetapan",
        status=Keputusan.Status.PUBLISHED,
        published_at=timezone.now(),
        recorded_by=UserFactory(username="pencatat"),
    )
    keputusan.pdf.save("k.pdf", ContentFile(pdf_bytes()))
    keputusan.entries.set(entries)
    EntriFactory(classified=True, state=State.DISETUJUI, title="Belum ditetapkan")
    return entries


def _whole_records():
    request = RequestFactory().get("/")
    return [open_data.record(e, request.build_absolute_uri) for e in published_dik()]


def whole_csv() -> bytes:
    """The CSV as it was built before it streamed: every row in one response."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(open_data.FIELD_NAMES)
    for row in _whole_records():
        writer.writerow(open_data.csv_row(row))
    return out.getvalue().encode()


def whole_json(generated: str) -> bytes:
    records = _whole_records()
    payload = {
        "judul": "Daftar Informasi Publik yang Dikecualikan",
        "penerbit": SiteProfile.current().office_name,
        "dihasilkan": generated,
        "dokumentasi": "http://testserver/data/",
        "jumlah": len(records),
        "data": records,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode()


@pytest.mark.parametrize("size", [0, 1, 7])
def test_csv_is_the_same_bytes_as_the_whole_document(client, size):
    register(size)
    response = client.get(reverse("publikasi:dik_csv"))
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body == whole_csv()
    assert body.startswith("\ufeff".encode()) and b"\r\n" in body  # BOM, RFC 4180 line ends
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == size + 1


@pytest.mark.parametrize("size", [0, 1, 7])
def test_json_is_the_same_bytes_as_the_whole_document(client, size):
    register(size)
    response = client.get(reverse("publikasi:dik_json"))
    assert response.streaming
    body = b"".join(response.streaming_content)
    generated = json.loads(body)["dihasilkan"]
    assert body == whole_json(generated)
    assert json.loads(body)["jumlah"] == size == len(json.loads(body)["data"])


def test_csv_rows_are_sent_in_pieces(client, monkeypatch):
    monkeypatch.setattr(views, "CSV_ROWS_PER_WRITE", 2)
    register(5)
    pieces = list(client.get(reverse("publikasi:dik_csv")).streaming_content)
    assert len(pieces) == 4  # the heading, rows 1–2, 3–4, 5
    assert pieces[0] == ("\ufeff" + ",".join(open_data.FIELD_NAMES) + "\r\n").encode()
    assert b"".join(pieces) == whole_csv()


def test_xlsx_is_streamed_as_its_rows_are_read(client):
    register(3)
    response = client.get(reverse("publikasi:dik_xlsx"))
    assert response.streaming and not isinstance(response, FileResponse)  # no temporary file
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_xlsx_bytes_leave_before_the_rows_are_read_and_the_file_opens():
    """The zip's first bytes come before any row is read, the sheet goes out in pieces while
    rows are still being read, and openpyxl reads every row back."""
    read = []

    def rows():
        for i in range(30_000):
            read.append(i)
            yield [f"Dokumen nomor {i}", datetime.date(2024, 1, 1) + datetime.timedelta(i % 9), i]

    pieces = iter(xlsx_pieces(title="DIK", headings=["Judul", "Tanggal", "No"], rows=rows()))
    first = next(pieces)
    assert first.startswith(b"PK") and not read
    body, read_when_sent = [first], []
    for piece in pieces:
        body.append(piece)
        read_when_sent.append(len(read))
    assert min(read_when_sent) < 30_000 / 2  # pieces leave while rows are still coming
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(body)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 30_001
    assert values[-1] == ("Dokumen nomor 29999", datetime.datetime(2024, 1, 3), 29999)


@pytest.mark.parametrize("url", ["publikasi:dik_csv", "publikasi:dik_json", "publikasi:dik_xlsx"])
def test_queries_grow_with_chunks_not_with_rows(
    client, monkeypatch, django_assert_num_queries, url
):
    """The default office, one query of its entries (read by chunks from one cursor), and per
    chunk of rows two: their grounds and their decrees; plus the JSON's office name and count.
    25 rows in chunks of 10 are 8 queries, as 21 rows are; 1 row in one chunk is 4."""
    monkeypatch.setattr(views, "EXPORT_CHUNK", 10)
    # + the information no longer exempted (none here: one query); the JSON counts it too
    extra = 5 if url == "publikasi:dik_json" else 2
    entries = register(25)
    with django_assert_num_queries(7 + extra):
        b"".join(client.get(reverse(url)).streaming_content)
    for entri in entries[21:]:
        entri.delete()
    with django_assert_num_queries(7 + extra):
        b"".join(client.get(reverse(url)).streaming_content)
    for entri in entries[1:21]:
        entri.delete()
    with django_assert_num_queries(3 + extra):
        b"".join(client.get(reverse(url)).streaming_content)
