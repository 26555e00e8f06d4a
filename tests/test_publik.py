"""The public PPID pages: the DIK in force, provisions, decrees, open data, feed and PDF."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dokumen.models import DasarHukum, JenisDokumen, State
from ppid.models import SiteProfile
from publikasi.dik_pdf import (
    PUBLIC_DIK_PDF,
    PUBLIC_DIK_VERSION,
    public_dik_changed,
    store_public_dik,
)
from publikasi.models import Keputusan
from tests.archive_fixtures import pdf_bytes
from tests.factories import EntriFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_profile(db):
    """The office profile exists in a running site; query counts measure the page alone."""
    return SiteProfile.current()


def decree(number, status=Keputusan.Status.PUBLISHED, entries=(), **kwargs):
    keputusan = Keputusan.objects.create(
        number=number,
        date=kwargs.pop("date", datetime.date(2025, 8, 21)),
        title=kwargs.pop("title", f"Penetapan informasi yang dikecualikan {number}"),
        status=status,
        published_at=None if status == Keputusan.Status.DRAFT else timezone.now(),
        recorded_by=UserFactory(username="pencatat"),
        **kwargs,
    )
    keputusan.pdf.save("k.pdf", ContentFile(pdf_bytes()))
    if status != Keputusan.Status.DRAFT:  # what publishing does: a public copy
        keputusan.public_pdf.save("k.pdf", ContentFile(pdf_bytes()))
    keputusan.entries.set(entries)
    return keputusan


def in_force(n=1, **kwargs):
    return [EntriFactory(classified=True, state=State.DITETAPKAN, **kwargs) for _ in range(n)]


def test_the_dik_shows_what_is_in_force_with_its_decree(client):
    entri = in_force(title="Salinan KTP-el bakal calon", grounds=["17h2"])[0]
    keputusan = decree("731 Tahun 2025", entries=[entri])
    hidden = EntriFactory(classified=True, state=State.DIARSIPKAN, title="Masih diarsipkan")
    html = client.get(reverse("publikasi:dik")).content.decode()
    assert "Salinan KTP-el bakal calon" in html
    assert "Data pemilih" in html  # document type
    assert 'href="/dasar-hukum/#17h2"' in html and "Pasal 17 huruf h angka 2" in html
    assert entri.test_harm in html and "dikecualikan" in html
    assert entri.period_wording in html
    assert reverse("publikasi:keputusan_detail", args=[keputusan.slug]) in html
    assert hidden.title not in html
    assert "1 informasi berlaku" in html


def test_search_and_filters_count_only_what_the_public_sees(client):
    pemilih = JenisDokumen.objects.get(code="data-pemilih")
    pegawai = JenisDokumen.objects.get(code="kepegawaian")
    in_force(title="Daftar pemilih dengan NIK", document_type=pemilih, grounds=["17h"])
    in_force(title="Berkas pribadi anggota PPK", document_type=pegawai, grounds=["17h2"])
    # not public: neither listed nor counted in a filter choice
    EntriFactory(classified=True, state=State.DIARSIPKAN, document_type=pegawai, grounds=["17g"])
    EntriFactory(classified=True, state=State.TIDAK_BERLAKU, document_type=pegawai)

    html = client.get(reverse("publikasi:dik")).content.decode()
    assert "Dokumen kepegawaian dan badan ad hoc (1)" in html
    assert "Data pemilih (1)" in html
    assert "(1)</option>" in html and "17 huruf g" not in html

    html = client.get(reverse("publikasi:dik"), {"jenis": "kepegawaian"}).content.decode()
    assert "Berkas pribadi anggota PPK" in html and "Daftar pemilih dengan NIK" not in html
    html = client.get(reverse("publikasi:dik"), {"dasar": "17h"}).content.decode()
    assert "Daftar pemilih dengan NIK" in html and "Berkas pribadi anggota PPK" not in html
    html = client.get(reverse("publikasi:dik"), {"q": "ppk"}).content.decode()
    assert "Berkas pribadi anggota PPK" in html and "Daftar pemilih dengan NIK" not in html
    html = client.get(reverse("publikasi:dik"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada informasi berlaku yang cocok dengan pencarian." in html


def test_the_dik_is_paginated(client):
    in_force(25)
    html = client.get(reverse("publikasi:dik")).content.decode()
    assert "25 informasi berlaku" in html and "Halaman 1 dari 2" in html
    html = client.get(reverse("publikasi:dik"), {"halaman": 2}).content.decode()
    assert html.count("<tr>") == 1 + 5  # header row and the five left


@pytest.mark.parametrize("size", [3, 30])
def test_dik_query_count_does_not_depend_on_size(client, django_assert_num_queries, size):
    entries = in_force(size)
    decree("1 Tahun 2026", entries=entries)
    # the default office with the DIK's versions, site profile, count, the page's ids, its
    # rows, grounds, decrees and approved redacted copies (publikasi.public_rows), the items of
    # decrees reaching the office (and their grounds), type and ground choices, the information
    # no longer exempted (count; its page only when there is some), the items of revoked decrees
    with django_assert_num_queries(13):
        response = client.get(reverse("publikasi:dik"))
    assert response.status_code == 200
    # another list with the same rows (the same page, written otherwise): the office with the
    # versions, the page's ids; the rows, the sections and the page around (for a visitor
    # without cookies) are the version's
    with django_assert_num_queries(2):
        client.get(reverse("publikasi:dik"), {"halaman": "01"})
    # again, without a cookie: the whole page from the cache, after the office's versions
    with django_assert_num_queries(1):
        again = client.get(reverse("publikasi:dik"))
    assert again.content == response.content


def test_the_cached_page_follows_every_change_of_the_dik_in_force(client):
    url = reverse("publikasi:dik")
    first = in_force(title="Pertama berlaku")[0]
    decree("1 Tahun 2026", entries=[first])
    assert "Pertama berlaku" in client.get(url).content.decode()
    in_force(title="Kedua berlaku")
    public_dik_changed()  # what every service that changes the DIK in force calls
    assert "Kedua berlaku" in client.get(url).content.decode()
    first.state = State.TIDAK_BERLAKU
    first.save()
    public_dik_changed()
    html = client.get(url).content.decode()
    assert "Pertama berlaku" not in html and "Kedua berlaku" in html
    # each search has its own list; what else the request holds never reaches the cached list
    assert "Kedua berlaku" not in client.get(url, {"q": "tidak ada"}).content.decode()
    in_force(21)
    public_dik_changed()
    html = client.get(url, {"q": "", "umpan": "x"}).content.decode()
    assert "umpan" not in html and "halaman=2" in html


def test_a_signed_in_visitor_gets_the_cached_list_in_their_own_page(client, django_user_model):
    in_force(title="Berlaku untuk semua")
    url = reverse("publikasi:dik")
    anonymous = client.get(url).content.decode()
    assert "Berlaku untuk semua" in anonymous and 'action="/akun/logout/"' not in anonymous
    client.force_login(UserFactory(username="staf"))
    html = client.get(url).content.decode()
    assert "Berlaku untuk semua" in html and "Keluar" in html


@pytest.mark.parametrize("size", [3, 30])
def test_open_data_query_count_does_not_depend_on_size(client, django_assert_num_queries, size):
    decree("1 Tahun 2026", entries=in_force(size))
    # the rows are read while the response is sent: its queries run as it is consumed
    # the default office, entries, grounds, decrees, the information no longer exempted
    with django_assert_num_queries(5):
        b"".join(client.get(reverse("publikasi:dik_csv")).streaming_content)
    # profile, office, "jumlah" (in force + no longer exempted), entries, grounds, decrees, the
    # information no longer exempted
    with django_assert_num_queries(8):
        b"".join(client.get(reverse("publikasi:dik_json")).streaming_content)


@pytest.mark.parametrize("size", [3, 30])
def test_decree_list_query_count_does_not_depend_on_size(client, django_assert_num_queries, size):
    for n in range(size):
        decree(f"{n} Tahun 2025", entries=in_force(1))
    # the site profile, the default office, the decrees reaching it, the decrees they revoke
    with django_assert_num_queries(4):
        response = client.get(reverse("publikasi:keputusan_list"))
    assert response.content.decode().count("Keputusan KPU Nomor") == size


def test_legal_provisions_page_has_the_anchors(client):
    html = client.get(reverse("publikasi:dasar_hukum")).content.decode()
    for provision in DasarHukum.objects.filter(active=True):
        assert f'id="{provision.code}"' in html
    assert "Pasal 17 huruf h angka 2 UU 14/2008" in html


def test_decree_pages_show_published_and_revoked_never_drafts(client):
    entri = in_force(title="Dokumen yang berlaku")[0]
    revoker = decree("805 Tahun 2025", title="Pencabutan Keputusan KPU Nomor 731 Tahun 2025")
    revoked = decree(
        "731 Tahun 2025",
        status=Keputusan.Status.REVOKED,
        revoked_by=revoker,
        revoked_at=timezone.now(),
    )
    kept = decree("900 Tahun 2025", entries=[entri])
    draft = decree("999 Tahun 2025", status=Keputusan.Status.DRAFT, title="Rancangan rahasia")

    html = client.get(reverse("publikasi:keputusan_list")).content.decode()
    assert "731 Tahun 2025" in html and "805 Tahun 2025" in html and "900 Tahun 2025" in html
    assert "999 Tahun 2025" not in html and "Rancangan rahasia" not in html
    assert "dicabut" in html
    assert reverse("publikasi:keputusan_detail", args=[revoker.slug]) in html

    html = client.get(reverse("publikasi:keputusan_detail", args=[revoked.slug])).content.decode()
    assert "Keputusan ini dicabut pada" in html and "805 Tahun 2025" in html
    html = client.get(reverse("publikasi:keputusan_detail", args=[revoker.slug])).content.decode()
    assert "Mencabut" in html and "731 Tahun 2025" in html
    html = client.get(reverse("publikasi:keputusan_detail", args=[kept.slug])).content.decode()
    assert "Dokumen yang berlaku" in html

    assert client.get(reverse("publikasi:keputusan_detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("publikasi:keputusan_pdf", args=[draft.slug])).status_code == 404
    response = client.get(reverse("publikasi:keputusan_pdf", args=[kept.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_csv_and_json_hold_the_documented_fields(client):
    entri = in_force(title="Salinan ijazah bakal calon", grounds=["17h", "17h2"])[0]
    keputusan = decree("731 Tahun 2025", entries=[entri])
    EntriFactory(classified=True, state=State.DISETUJUI, title="Belum ditetapkan")

    response = client.get(reverse("publikasi:dik_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["judul"] == "Salinan ijazah bakal calon"
    assert row["dasar_hukum_kode"] == "17h | 17h2"
    assert row["kesimpulan"] == "dikecualikan"
    assert row["jangka_waktu_tahun"] == "5"
    assert row["keputusan_nomor"] == "731 Tahun 2025"
    assert row["keputusan_url"] == f"http://testserver/keputusan/{keputusan.slug}/"
    from publikasi.open_data import FIELD_NAMES

    assert list(row) == FIELD_NAMES

    data = json.loads(b"".join(client.get(reverse("publikasi:dik_json")).streaming_content))
    assert data["jumlah"] == 1 and data["penerbit"] == "Komisi Pemilihan Umum Kabupaten Pinrang"
    record = data["data"][0]
    assert list(record) == FIELD_NAMES
    assert record["dasar_hukum"] == [
        "Pasal 17 huruf h UU 14/2008",
        "Pasal 17 huruf h angka 2 UU 14/2008",
    ]
    assert record["keputusan_tanggal"] == ["2025-08-21"]
    assert record["mulai"] == entri.period_start.isoformat()


def test_data_page_documents_every_field(client):
    from publikasi.open_data import FIELD_NAMES

    html = client.get(reverse("publikasi:data")).content.decode()
    for name in FIELD_NAMES:
        assert f"<code>{name}</code>" in html


def test_feed_lists_published_and_revoked_decrees(client):
    revoker = decree("805 Tahun 2025")
    decree("731 Tahun 2025", status=Keputusan.Status.REVOKED, revoked_by=revoker)
    decree("999 Tahun 2025", status=Keputusan.Status.DRAFT)
    response = client.get(reverse("publikasi:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Keputusan KPU Nomor 731 Tahun 2025 (dicabut)" in xml
    assert "Dicabut dengan Keputusan KPU Nomor 805 Tahun 2025" in xml
    assert "805 Tahun 2025" in xml and "999 Tahun 2025" not in xml


def test_dik_pdf_is_served_from_storage_once_rendered(client):
    decree("731 Tahun 2025", entries=in_force(title="Surat keterangan kesehatan calon"))
    store_public_dik()  # what the worker does after the publication's commit
    response = client.get(reverse("publikasi:dik_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "DAFTAR INFORMASI YANG DIKECUALIKAN" in text
    assert "Surat keterangan kesehatan calon" in text
    assert "Keputusan KPU Nomor 731 Tahun 2025" in text

    # a stored file is served as it is, not rendered again
    storages["public"].delete(PUBLIC_DIK_PDF)
    storages["public"].save(PUBLIC_DIK_PDF, ContentFile(b"%PDF-1.4 tersimpan"))
    response = client.get(reverse("publikasi:dik_pdf"))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tersimpan"
    storages["public"].delete(PUBLIC_DIK_PDF)  # the storage outlives the test: no fake left
    storages["public"].delete(PUBLIC_DIK_VERSION)
