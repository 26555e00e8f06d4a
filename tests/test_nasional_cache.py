"""The national page (/nasional/) and the feeds, kept per version of the DIK in force
(publikasi.public_rows): a miss reads only what the page shows, in a number of queries that
does not grow with the register, and every change of the DIK shows on the next view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen.models import State
from ppid.models import Kantor, SiteProfile
from publikasi import services
from publikasi.selectors import published_dik_version
from tests.archive_fixtures import archived_entry, pdf_upload
from tests.factories import EntriFactory
from tests.test_informasi_dibuka import published, revoke
from tests.test_keputusan_nasional import archived_in, office, ppid_of

pytestmark = pytest.mark.django_db
SIDRAP = "kab-sidenreng-rappang"
SULSEL = "prov-sulawesi-selatan"


@pytest.fixture(autouse=True)
def profiles(db):
    """The profiles exist in a running site; query counts measure the page alone."""
    SiteProfile.current()


def in_force(kantor: Kantor, title: str) -> None:
    EntriFactory(kantor=kantor, classified=True, state=State.DITETAPKAN, title=title)


def nasional_page(client, query: str = "") -> str:
    response = client.get(reverse("nasional") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("size", [21, 45])
def test_a_miss_reads_a_fixed_number_of_queries_and_no_grounds_nor_decrees(
    client, django_assert_num_queries, size
):
    offices = [office("ri"), Kantor.default(), office(SIDRAP)]
    for n in range(size):
        in_force(offices[n % 3], f"Arsip nasional {n:02}")
    # the header's profile, the DIK's version, the provinces, the count, the page's ids, its
    # rows (with their office and type), the decrees
    with django_assert_num_queries(7), CaptureQueriesContext(connection) as first:
        nasional_page(client)
    shown = " ".join(q["sql"] for q in first.captured_queries)
    assert "legal_grounds" not in shown and "kaitanitem" not in shown  # the page shows neither
    assert "publikasi_keputusan_entries" not in shown
    # another page: the profile, the version, its ids and its rows; the rest is the version's
    with django_assert_num_queries(4):
        nasional_page(client, "?halaman=2")
    with django_assert_num_queries(3):  # seen already: its rows too
        nasional_page(client, "?halaman=2")
    # a province and one of its kab/kota: + its kab/kota (kept), + the count of the choice;
    # its rows are those the other pages kept
    with django_assert_num_queries(5):
        nasional_page(client, f"?provinsi={SULSEL}&kabkota={SIDRAP}")


def test_the_page_shows_what_it_showed(client):
    in_force(office(SIDRAP), "Arsip Sidrap yang berlaku")
    in_force(office("ri"), "Arsip KPU RI yang berlaku")
    html = nasional_page(client)
    assert '<a href="/kab-sidenreng-rappang/">KPU Kabupaten Sidenreng Rappang</a>' in html
    assert "Arsip Sidrap yang berlaku" in html and "Arsip KPU RI yang berlaku" in html
    assert "5 (lima) tahun sejak ditetapkan" in html and "2 informasi berlaku" in html
    assert 'name="kabkota"' not in html  # no province chosen: no kab/kota to choose
    chosen = nasional_page(client, f"?provinsi={SULSEL}&kabkota={SIDRAP}")
    assert f'<option value="{SULSEL}" selected>' in chosen
    assert f'<option value="{SIDRAP}" selected>' in chosen
    assert "Arsip Sidrap yang berlaku" in chosen and "Arsip KPU RI yang berlaku" not in chosen
    # a kab/kota of no province chosen selects nothing and lists nothing
    unknown = nasional_page(client, f"?provinsi={SULSEL}&kabkota=kab-tidak-ada")
    assert " selected>" in unknown.split('name="kabkota"')[0]
    assert " selected>" not in unknown.split('name="kabkota"')[1]
    assert "Arsip Sidrap yang berlaku" not in unknown
    # an unknown province is 404, also once the provinces are kept
    assert client.get(reverse("nasional") + "?provinsi=prov-tidak-ada").status_code == 404


def test_a_publication_and_a_revocation_show_at_once(client, ri_ppid, national):
    keputusan, item = national
    sidrap = office(SIDRAP)
    linked = archived_in(sidrap, "Salinan KTP-el paslon arsip Sidrap")
    services.entri_link_to_item(
        entri_id=linked.pk, item_id=item.pk, by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    )
    in_force(sidrap, "Arsip Sidrap yang berlaku")
    query = f"?provinsi={SULSEL}"
    for page in (
        nasional_page(client),
        nasional_page(client, query),
    ):  # every part kept: a draft shows
        assert "731 Tahun 2025" not in page and linked.title not in page  # nowhere
    assert "731 Tahun 2025" not in client.get(reverse("publikasi:feed")).content.decode()

    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    for page in (nasional_page(client), nasional_page(client, query)):
        assert "731 Tahun 2025" in page and linked.title in page
        assert "2 informasi berlaku" in page
    for feed in (reverse("publikasi:feed"), reverse("kantor_feed", args=[SIDRAP])):
        assert "Keputusan KPU Nomor 731 Tahun 2025" in client.get(feed).content.decode()

    services.keputusan_revoke(
        keputusan_id=keputusan.pk,
        by=ri_ppid,
        data={"number": "805 Tahun 2025", "date": datetime.date(2025, 9, 16), "title": "Cabut"},
        pdf=pdf_upload(),
    )
    page = nasional_page(client)
    assert "decree-dicabut" in page and linked.title not in page
    assert "1 informasi berlaku" in page
    feed = client.get(reverse("kantor_feed", args=[SIDRAP])).content.decode()
    assert "Keputusan KPU Nomor 731 Tahun 2025 (dicabut)" in feed


def test_an_office_edited_in_the_admin_shows_at_once(client):
    in_force(office(SIDRAP), "Arsip Sidrap yang berlaku")
    assert "KPU Kabupaten Sidenreng Rappang" in nasional_page(client, f"?provinsi={SULSEL}")
    before = published_dik_version()
    sidrap = office(SIDRAP)
    sidrap.singkatan = "KPU Sidrap"
    sidrap.nama_wilayah = "Kabupaten Sidrap"
    sidrap.save()  # the admin's edit
    assert published_dik_version() > before
    html = nasional_page(client, f"?provinsi={SULSEL}")
    assert '<a href="/kab-sidenreng-rappang/">KPU Sidrap</a>' in html
    assert ">Kabupaten Sidrap</option>" in html


def test_the_feed_is_rendered_once_per_version(client, ppid, django_assert_num_queries):
    url = reverse("publikasi:feed")
    published(ppid, [archived_entry(title="Salinan dokumen ijazah calon")])
    first = client.get(url)
    with django_assert_num_queries(1):  # the DIK's version
        again = client.get(url)
    assert again.content == first.content and again["Last-Modified"] == first["Last-Modified"]
    assert again["Content-Type"] == first["Content-Type"]
    # its links are absolute: each address has its own
    other = client.get(url, HTTP_HOST="localhost").content.decode()
    assert "http://localhost/keputusan/" in other and "http://testserver/" not in other
    # a decree published after: on the next view
    published(ppid, [archived_entry(title="Salinan akta kelahiran")], number="9 Tahun 2026")
    assert "9 Tahun 2026" in client.get(url).content.decode()


def test_an_unknown_office_has_no_feed_however_often_asked(client):
    for _ in range(2):
        assert client.get(reverse("kantor_feed", args=["kab-tidak-ada"])).status_code == 404
    assert client.get(reverse("kantor_feed", args=[SIDRAP])).status_code == 200


def test_the_revocation_and_what_it_opened_show_in_the_feed_at_once(client, ppid):
    url = reverse("publikasi:feed")
    entri = archived_entry(title="Salinan dokumen ijazah calon presiden")
    keputusan = published(ppid, [entri])
    assert "(dicabut)" not in client.get(url).content.decode()
    revoke(ppid, keputusan)
    feed = client.get(url).content.decode()
    assert "Keputusan KPU Nomor 731 Tahun 2025 (dicabut)" in feed
    assert "Informasi tidak lagi dikecualikan sejak" in feed and entri.title in feed
