"""What was opened, when and why: an entry whose decree is revoked or whose period ended is
listed permanently as "Informasi yang sudah tidak dikecualikan" (page, revoked decree's page,
CSV, JSON, feed), and its office's announcement is published as a PDF on the letterhead."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from dokumen.models import State
from publikasi import services
from publikasi.models import InformasiDibuka, Pengumuman
from tests.archive_fixtures import archived_entry, pdf_upload
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

DATA = {"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"}
REVOKING = {
    "number": "805 Tahun 2025",
    "date": datetime.date(2025, 9, 16),
    "title": "Pencabutan Keputusan KPU Nomor 731 Tahun 2025",
}


def published(by, entries, **data):
    keputusan = services.keputusan_create(
        by=by, data={**DATA, **data}, pdf=pdf_upload(), entries=entries
    )
    return services.keputusan_publish(keputusan_id=keputusan.pk, by=by)


def revoke(by, keputusan, **data):
    return services.keputusan_revoke(
        keputusan_id=keputusan.pk, by=by, data={**REVOKING, **data}, pdf=pdf_upload()
    )


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # a title wrapped in its table cell reads as one line


@pytest.fixture
def revoked(ppid, django_capture_on_commit_callbacks):
    entri = archived_entry(title="Salinan dokumen ijazah calon presiden")
    keputusan = published(ppid, [entri])
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders after commit
        revoker = revoke(ppid, keputusan)
    keputusan.refresh_from_db()
    entri.refresh_from_db()
    return entri, keputusan, revoker


def test_a_revocation_records_what_opened_when_and_by_which_decree(revoked):
    entri, keputusan, revoker = revoked
    assert entri.state == State.TIDAK_BERLAKU
    opening = InformasiDibuka.objects.get(entri=entri)
    assert opening.kantor_id == entri.kantor_id
    assert opening.opened_at == keputusan.revoked_at
    pengumuman = opening.pengumuman
    assert pengumuman.reason == Pengumuman.Reason.REVOKED
    assert (pengumuman.keputusan, pengumuman.revoking) == (keputusan, revoker)
    assert pengumuman.date == timezone.localdate(keputusan.revoked_at)


def test_the_announcement_is_a_pdf_on_the_letterhead_in_public_storage(client, revoked):
    entri, keputusan, revoker = revoked
    pengumuman = Pengumuman.objects.get(keputusan=keputusan)
    assert pengumuman.pdf and storages["public"].exists(pengumuman.pdf.name)
    response = client.get(f"/pengumuman/{pengumuman.slug}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))  # read whole: the file is closed
    assert "PENGUMUMAN PERUBAHAN KLASIFIKASI INFORMASI" in text.upper()
    assert "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG" in text.upper()  # the letterhead
    assert entri.title in text
    assert "805 Tahun 2025" in text and "731 Tahun 2025" in text
    assert "Meja Layanan Informasi KPU Kabupaten Pinrang" in text  # where to ask for it now


def test_an_announcement_not_rendered_yet_is_being_prepared_then_served(client, revoked):
    _entri, keputusan, _revoker = revoked
    pengumuman = Pengumuman.objects.get(keputusan=keputusan)
    storages["public"].delete(pengumuman.pdf.name)
    Pengumuman.objects.filter(pk=pengumuman.pk).update(pdf="")
    response = client.get(f"/pengumuman/{pengumuman.slug}.pdf")
    assert response.status_code == 503 and response["Retry-After"]
    assert "sedang disiapkan" in response.content.decode()
    # the render was queued (inline in tests): the next request gets the file
    response = client.get(f"/pengumuman/{pengumuman.slug}.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get("/pengumuman/tidak-ada.pdf").status_code == 404


@pytest.mark.parametrize("url", ["/", "/kab-pinrang/"])
def test_the_public_page_lists_the_information_no_longer_exempted(client, revoked, url):
    entri, keputusan, revoker = revoked
    page = client.get(url).content.decode()
    section = page[page.index('id="dibuka"') :]
    assert "Informasi yang sudah tidak dikecualikan" in page
    assert entri.title in section
    assert "Keputusan KPU Nomor 731 Tahun 2025" in section
    assert "Keputusan KPU Nomor 805 Tahun 2025" in section
    pengumuman = Pengumuman.objects.get(keputusan=keputusan)
    assert f"/pengumuman/{pengumuman.slug}.pdf" in section


def test_the_list_is_kept_and_another_office_does_not_show_it(client, revoked):
    entri, *_rest = revoked
    assert entri.title not in client.get("/kab-sidenreng-rappang/").content.decode()


def test_the_revoked_decrees_page_lists_what_it_covered_when_and_by_which_decree(client, revoked):
    entri, keputusan, revoker = revoked
    page = client.get(f"/keputusan/{keputusan.slug}/").content.decode()
    section = page[page.index('id="dibuka"') :]
    assert entri.title in section
    assert "805 Tahun 2025" in section
    assert f"/keputusan/{revoker.slug}/" in section
    when = timezone.localtime(keputusan.revoked_at)
    assert f"{when.day} " in section and str(when.year) in section
    assert "/pengumuman/" in section


def test_a_revoking_decree_is_not_listed_as_in_force_with_no_information(client, revoked):
    _entri, keputusan, revoker = revoked
    for url in ("/keputusan/", "/kab-pinrang/keputusan/"):
        page = client.get(url).content.decode()
        row = page[page.index(f"/keputusan/{revoker.slug}/") :]
        row = row[: row.index("</tr>")]
        assert "mencabut" in row.lower(), url
        assert "berlaku</span>" not in row, url
        assert "731 Tahun 2025" in row, url


def test_an_entry_another_decree_still_covers_is_not_opened(ppid):
    entri = archived_entry()
    first = published(ppid, [entri])
    published(ppid, [entri], number="732 Tahun 2025")
    revoke(ppid, first)
    entri.refresh_from_db()
    assert entri.state == State.DITETAPKAN
    assert not InformasiDibuka.objects.exists()


def test_csv_and_json_carry_the_opened_information(client, revoked):
    entri, keputusan, revoker = revoked
    in_force = archived_entry(title="Data pemilih yang memuat NIK lengkap")
    published(ppid_of(revoker), [in_force], number="900 Tahun 2025")
    rows = list(csv.DictReader(io.StringIO(body(client.get("/data/dik.csv")).lstrip("\ufeff"))))
    by_title = {r["judul"]: r for r in rows}
    assert by_title[in_force.title]["status"] == "dikecualikan"
    opened = by_title[entri.title]
    assert opened["status"] == "tidak_dikecualikan"
    assert opened["alasan_dibuka"] == "dicabut"
    assert opened["keputusan_pencabut_nomor"] == "805 Tahun 2025"
    assert opened["tidak_dikecualikan_sejak"] == str(timezone.localdate(keputusan.revoked_at))
    assert opened["pengumuman_url"].endswith(".pdf")
    data = json.loads(body(client.get("/data/dik.json")))
    assert data["jumlah"] == len(data["data"]) == 2
    statuses = {r["judul"]: r["status"] for r in data["data"]}
    assert statuses == {in_force.title: "dikecualikan", entri.title: "tidak_dikecualikan"}
    office = json.loads(client.get("/kab-pinrang/data/dik.json").content)
    assert any(r["status"] == "tidak_dikecualikan" for r in office["data"])
    office_csv = client.get("/kab-pinrang/data/dik.csv").content.decode()
    assert "tidak_dikecualikan" in office_csv


def ppid_of(keputusan):
    return keputusan.recorded_by


@pytest.mark.parametrize("url", ["/feed/", "/kab-pinrang/feed/"])
def test_the_feed_has_an_entry_when_information_opens(client, revoked, url):
    entri, keputusan, _revoker = revoked
    feed = client.get(url).content.decode()
    pengumuman = Pengumuman.objects.get(keputusan=keputusan)
    assert "Informasi tidak lagi dikecualikan sejak" in feed
    assert f"/pengumuman/{pengumuman.slug}.pdf" in feed
    assert entri.title in feed


def in_force_until_yesterday(**kwargs):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=6 * 365)
    return EntriFactory(
        classified=True,
        state=State.DITETAPKAN,
        period_start=start,
        period_years=5,
        period_end=today - datetime.timedelta(days=1),
        **kwargs,
    )


def test_an_ended_period_is_listed_with_its_end_and_announced(client):
    first = in_force_until_yesterday(title="Rekaman rapat pleno tertutup")
    second = in_force_until_yesterday(title="Nota dinas pengamanan logistik")
    call_command("dik_kedaluwarsa", stdout=io.StringIO())
    openings = InformasiDibuka.objects.filter(entri__in=[first, second])
    assert openings.count() == 2
    pengumuman = Pengumuman.objects.get()  # one per office and day, both entries in it
    assert pengumuman.reason == Pengumuman.Reason.ENDED and not pengumuman.keputusan
    with storages["public"].open(pengumuman.pdf.name) as fh:
        text = pdf_text(fh.read())
    assert first.title in text and second.title in text
    page = client.get("/kab-pinrang/").content.decode()
    section = page[page.index('id="dibuka"') :]
    assert first.title in section
    assert "Jangka waktu pengecualian berakhir" in section
    rows = list(csv.DictReader(io.StringIO(body(client.get("/data/dik.csv")).lstrip("\ufeff"))))
    assert {r["alasan_dibuka"] for r in rows} == {"berakhir"}


@pytest.mark.parametrize("size", [1, 6])
def test_the_opened_list_query_count_does_not_depend_on_size(
    client, ppid, django_assert_num_queries, size
):
    entries = [archived_entry(title=f"Informasi yang dibuka nomor {n}") for n in range(size)]
    revoke(ppid, published(ppid, entries))
    client.get("/kab-pinrang/")  # the office's profile exists now
    cache.clear()  # what the version's first view reads
    # header profile, office with the DIK's versions, its profile, the version's facets (types,
    # grounds, count in force, count opened), items, the page of the opened information and
    # revoked decrees' items
    with django_assert_num_queries(10):
        page = client.get("/kab-pinrang/").content.decode()
    assert page.count("Informasi yang dibuka nomor") == size
    # again: office with the versions, the profiles; the sections are the version's
    # (public_rows)
    with django_assert_num_queries(3):
        assert client.get("/kab-pinrang/").content.decode() == page
    # office, items, entries in force, profile, revoked decrees' items, the opened rows (+their
    # grounds, +their decrees)
    with django_assert_num_queries(8):
        client.get("/kab-pinrang/data/dik.json")
