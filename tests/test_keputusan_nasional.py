"""A decree recorded once by the deciding office (KPU RI) with the information it designates,
reaching every office under it: the offices link their own entries to its items, publishing
puts it on every reached office's page and establishes the linked entries, and the revocation
takes it off everywhere at once."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from dokumen import services as dokumen_services
from dokumen.archive import entri_archive
from dokumen.models import Berkas, Entri, State, TransitionLog
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role
from publikasi import services
from publikasi.models import KaitanItem, Keputusan
from tests.archive_fixtures import add_file, pdf_upload
from tests.factories import EntriFactory, UserFactory, make_ordner

pytestmark = pytest.mark.django_db

ITEM = "Fotokopi KTP-el bakal pasangan calon Presiden dan Wakil Presiden"


def office(slug: str) -> Kantor:
    return Kantor.objects.get(slug=slug)


def ppid_of(kantor: Kantor, username: str):
    return UserFactory(username=username, roles=[Role.PPID], roles__kantor=kantor)


def archived_in(kantor: Kantor, title: str) -> Entri:
    """An approved entry of `kantor` with its files, placed in its binder and archived by its
    own staff."""
    entri = EntriFactory(kantor=kantor, classified=True, state=State.DISETUJUI, title=title)
    add_file(entri, Berkas.Kind.SOFTCOPY)
    add_file(entri, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    desk = UserFactory(username=f"desk-{kantor.slug}", roles=[Role.DESK], roles__kantor=kantor)
    dokumen_services.entri_place(
        entri_id=entri.pk, by=desk, ordner_id=make_ordner(kantor=kantor).pk
    )
    return entri_archive(entri_id=entri.pk, by=ppid_of(kantor, f"ppid-{kantor.slug}"))


def page(client, slug: str) -> str:
    response = client.get(reverse("kantor_dik", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_national_decree_and_its_revocation_on_two_offices_pages(client, ri_ppid, national):
    keputusan, item = national
    pinrang, sidrap = Kantor.default(), office("kab-sidenreng-rappang")
    own_pinrang = archived_in(pinrang, "Salinan KTP-el paslon arsip Pinrang")
    own_sidrap = archived_in(sidrap, "Salinan KTP-el paslon arsip Sidrap")
    services.entri_link_to_item(
        entri_id=own_pinrang.pk, item_id=item.pk, by=ppid_of(pinrang, "ppid-kab-pinrang")
    )
    services.entri_link_to_item(
        entri_id=own_sidrap.pk, item_id=item.pk, by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    )
    # a draft reaches no public page
    for slug in ("kab-pinrang", "kab-sidenreng-rappang"):
        assert ITEM not in page(client, slug)

    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    for entri in (own_pinrang, own_sidrap):
        entri.refresh_from_db()
        assert entri.state == State.DITETAPKAN
        assert TransitionLog.objects.filter(entri=entri, action="tetapkan").exists()
    for slug, own in (("kab-pinrang", own_pinrang), ("kab-sidenreng-rappang", own_sidrap)):
        body = page(client, slug)
        assert ITEM in body and "731 Tahun 2025" in body and own.title in body
        decrees = client.get(reverse("kantor_keputusan", args=[slug])).content.decode()
        assert "731 Tahun 2025" in decrees
    # each office's page shows its own entries, not the other's
    assert own_sidrap.title not in page(client, "kab-pinrang")
    # the default office's current pages too
    assert ITEM in client.get(reverse("publikasi:dik")).content.decode()
    assert "731 Tahun 2025" in client.get(reverse("publikasi:keputusan_list")).content.decode()
    note = TransitionLog.objects.get(entri=own_sidrap, action="tetapkan").note
    assert ITEM in note

    services.keputusan_revoke(
        keputusan_id=keputusan.pk,
        by=ri_ppid,
        pdf=pdf_upload(),
        data={
            "number": "805 Tahun 2025",
            "date": datetime.date(2025, 9, 16),
            "title": "Pencabutan Keputusan KPU Nomor 731 Tahun 2025",
        },
    )
    for entri in (own_pinrang, own_sidrap):
        entri.refresh_from_db()
        assert entri.state == State.TIDAK_BERLAKU
    for slug, own in (("kab-pinrang", own_pinrang), ("kab-sidenreng-rappang", own_sidrap)):
        in_force, opened = page(client, slug).split('id="dibuka"')
        assert ITEM not in in_force and own.title not in in_force
        # what opened stays on the page, with the revoking decree
        assert ITEM in opened and own.title in opened and "805 Tahun 2025" in opened
        decrees = client.get(reverse("kantor_keputusan", args=[slug])).content.decode()
        assert "805 Tahun 2025" in decrees and "dicabut" in decrees


def test_linking_to_a_published_decree_establishes_at_once(client, ri_ppid, national):
    keputusan, item = national
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    sidrap = office("kab-sidenreng-rappang")
    own = archived_in(sidrap, "Salinan ijazah paslon arsip Sidrap")
    services.entri_link_to_item(
        entri_id=own.pk, item_id=item.pk, by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    )
    own.refresh_from_db()
    assert own.state == State.DITETAPKAN
    assert own.title in page(client, "kab-sidenreng-rappang")


def test_an_office_out_of_reach_cannot_link(ri_ppid):
    sulsel = office("prov-sulawesi-selatan")
    provincial = services.keputusan_create(
        by=ppid_of(sulsel, "ppid-sulsel-uji"),
        data={
            "number": "12 Tahun 2026",
            "date": datetime.date(2026, 1, 5),
            "title": "Penetapan oleh delegasi",
        },
        pdf=pdf_upload(),
    )
    services.keputusan_set_reach(
        keputusan_id=provincial.pk, by=ppid_of(sulsel, "ppid-sulsel-uji"), all_below=True
    )
    item = services.item_add(
        keputusan_id=provincial.pk, by=ppid_of(sulsel, "ppid-sulsel-uji"), data={"title": ITEM}
    )
    # Sidrap is under Sulsel: in reach; a kabupaten of another provinsi is not
    aceh_besar = Kantor.objects.get(slug="kab-aceh-besar")
    own = archived_in(aceh_besar, "Arsip Aceh Besar")
    with pytest.raises(ActionRefused, match="tidak menjangkau kantor Anda"):
        services.entri_link_to_item(
            entri_id=own.pk, item_id=item.pk, by=ppid_of(aceh_besar, "ppid-kab-aceh-besar")
        )
    assert not KaitanItem.objects.exists()
    sidrap = office("kab-sidenreng-rappang")
    in_reach = archived_in(sidrap, "Arsip Sidrap")
    services.entri_link_to_item(
        entri_id=in_reach.pk, item_id=item.pk, by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    )
    assert KaitanItem.objects.get().kantor == sidrap


def test_only_its_own_entry_is_linked(national):
    _keputusan, item = national
    pinrang_entry = archived_in(Kantor.default(), "Arsip Pinrang")
    sidrap_ppid = ppid_of(office("kab-sidenreng-rappang"), "ppid-kab-sidenreng-rappang")
    with pytest.raises(ActionRefused, match="tidak ada atau tidak tersedia"):
        services.entri_link_to_item(entri_id=pinrang_entry.pk, item_id=item.pk, by=sidrap_ppid)
    assert not KaitanItem.objects.exists()


def test_another_offices_ppid_cannot_publish_or_revoke(ri_ppid, national):
    keputusan, _item = national
    pinrang_ppid = ppid_of(Kantor.default(), "ppid-kab-pinrang")
    with pytest.raises(ActionRefused, match="tidak ada atau tidak tersedia"):
        services.keputusan_publish(keputusan_id=keputusan.pk, by=pinrang_ppid)
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    with pytest.raises(ActionRefused, match="tidak ada atau tidak tersedia"):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk,
            by=pinrang_ppid,
            pdf=pdf_upload(),
            data={"number": "805 Tahun 2025", "date": datetime.date(2025, 9, 16), "title": "x"},
        )
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.PUBLISHED


def test_an_office_records_its_own_channel_for_a_decree_reaching_it(ri_ppid, national):
    keputusan, _item = national
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    sidrap = office("kab-sidenreng-rappang")
    channel = services.channel_add(
        keputusan_id=keputusan.pk,
        by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang"),
        data={"channel": "papan_pengumuman", "date": datetime.date(2025, 8, 25)},
    )
    assert channel.kantor == sidrap


@pytest.mark.parametrize("size", [1, 6])
def test_office_pages_query_counts_stay_constant(client, django_assert_num_queries, ri_ppid, size):
    sidrap = office("kab-sidenreng-rappang")
    for n in range(size):
        keputusan = services.keputusan_create(
            by=ri_ppid,
            data={"number": f"{n} Tahun 2025", "date": datetime.date(2025, 1, 2), "title": "T"},
            pdf=pdf_upload(),
        )
        services.keputusan_set_reach(keputusan_id=keputusan.pk, by=ri_ppid, all_below=True)
        item = services.item_add(keputusan_id=keputusan.pk, by=ri_ppid, data={"title": f"I{n}"})
        entri = archived_in(sidrap, f"Arsip Sidrap {n}")
        services.entri_link_to_item(
            entri_id=entri.pk, item_id=item.pk, by=ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
        )
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    page(client, "kab-sidenreng-rappang")  # the office's and the default's profile exist now
    cache.clear()  # what the version's first view reads
    # the default profile (header), the office with the DIK's versions, its profile, the
    # version's facets (types, grounds, count in force, count opened), items (+grounds), the
    # page's ids, its rows (+grounds, +decrees, +approved redacted copies), revoked decrees'
    # items
    with django_assert_num_queries(15):
        page(client, "kab-sidenreng-rappang")
    # again: the profiles, the office with the versions and the page's ids; the rows and the
    # sections are the version's (publikasi.public_rows)
    with django_assert_num_queries(4):
        page(client, "kab-sidenreng-rappang")
    with django_assert_num_queries(5):  # + the decrees each revokes, in one query
        client.get(reverse("kantor_keputusan", args=["kab-sidenreng-rappang"]))
    # office, items (+grounds), entries (+grounds, +decrees), profile, revoked decrees' items,
    # the information no longer exempted
    with django_assert_num_queries(9):
        client.get(reverse("kantor_json", args=["kab-sidenreng-rappang"]))
    # header profile, the DIK's version, the provinces, the chosen one's kab/kota, the count,
    # the page's ids, its rows (office, type), the decrees; all but the version and the ids are
    # kept per version of the DIK (publikasi.office_views.nasional): another page reads those
    url = reverse("nasional") + "?provinsi=prov-sulawesi-selatan"
    with django_assert_num_queries(8):
        response = client.get(url)
    assert f"Arsip Sidrap {size - 1}" in response.content.decode()
    with django_assert_num_queries(3):
        client.get(url + "&halaman=1")
    assert "Arsip Sidrap" in client.get(url).content.decode()


def test_unknown_office_is_404(client):
    assert client.get("/kab-tidak-ada/").status_code == 404


def test_demo_national_decree_on_both_kabupaten_pages(client):
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    counts = (Keputusan.objects.count(), KaitanItem.objects.count(), Entri.objects.count())
    call_command("demo", stdout=io.StringIO())  # idempotent
    assert counts == (
        Keputusan.objects.count(),
        KaitanItem.objects.count(),
        Entri.objects.count(),
    )
    national = Keputusan.objects.get(number="731 Tahun 2025")
    assert national.kantor.slug == "ri" and national.status == Keputusan.Status.REVOKED
    assert national.revoked_by.number == "805 Tahun 2025"
    links = KaitanItem.objects.filter(item__keputusan=national).select_related("entri", "kantor")
    assert {link.kantor.slug for link in links} == {"kab-pinrang", "kab-sidenreng-rappang"}
    assert {link.entri.state for link in links} == {State.TIDAK_BERLAKU}
    assert set(national.channels.values_list("kantor__slug", flat=True)) == {
        "kab-pinrang",
        "kab-sidenreng-rappang",
    }
    for slug in ("kab-pinrang", "kab-sidenreng-rappang"):
        body = client.get(reverse("kantor_keputusan", args=[slug])).content.decode()
        assert "Nomor 731 Tahun 2025" in body and "Nomor 805 Tahun 2025" in body
    # the decree settling Pinrang's proposal reaches Pinrang by the decision alone, and the
    # proposed entry's row names it
    settling = Keputusan.objects.get(number="1020 Tahun 2026")
    assert list(settling.jangkauan.values_list("slug", flat=True)) == ["kab-pinrang"]
    body = client.get(reverse("kantor_keputusan", args=["kab-pinrang"])).content.decode()
    assert "Nomor 1020 Tahun 2026" in body
    body = client.get(reverse("kantor_dik", args=["kab-pinrang"])).content.decode()
    row = body.split("rekam medis hasil pemeriksaan kesehatan bakal calon Bupati Pinrang", 1)[1]
    assert "Keputusan KPU Nomor 1020 Tahun 2026" in row.split("</tr>", 1)[0]
