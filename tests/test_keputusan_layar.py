"""The staff screens of a decree reaching other offices: the deciding office records the
information its draft designates and its reach; an office in reach sees the decree and links
its own archived entry to a piece of its information. Errors in Indonesian next to the field;
another office's rows answer 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dokumen.models import DasarHukum, JenisDokumen, State
from ppid.models import Kantor
from ppid.roles import Role
from publikasi import services
from publikasi.models import KaitanItem, KeputusanItem
from tests.archive_fixtures import pdf_upload
from tests.factories import UserFactory
from tests.test_keputusan_nasional import archived_in, office, ppid_of

pytestmark = pytest.mark.django_db


def detail(pk):
    return reverse("publikasi_staf:detail", args=[pk])


def test_the_deciding_office_records_items_and_reach(client, ri_ppid, national):
    keputusan, _item = national
    client.force_login(ri_ppid)
    with translation.override("id"):
        page = client.get(detail(keputusan.pk)).content.decode()
        assert "Catat informasi" in page and "Simpan jangkauan" in page
        # a missing title is said next to the field, nothing recorded
        response = client.post(reverse("publikasi_staf:item_add", args=[keputusan.pk]), {})
        assert response.status_code == 200
        assert 'id="informasi_title_error"' in response.content.decode()
        assert KeputusanItem.objects.filter(keputusan=keputusan).count() == 1
        kind = JenisDokumen.objects.get(code="pencalonan-pilkada")
        ground = DasarHukum.objects.get(code="17h2")
        response = client.post(
            reverse("publikasi_staf:item_add", args=[keputusan.pk]),
            {
                "title": "Surat keterangan catatan kepolisian bakal pasangan calon",
                "document_type": kind.pk,
                "legal_grounds": [ground.pk],
                "period_wording": "5 (lima) tahun",
            },
        )
        assert response.status_code == 302
        item = KeputusanItem.objects.get(title__startswith="Surat keterangan catatan")
        assert (item.order, item.document_type, list(item.legal_grounds.all())) == (
            2,
            kind,
            [ground],
        )
        # reach: neither offices nor "every office" is refused in words
        response = client.post(reverse("publikasi_staf:reach", args=[keputusan.pk]), {})
        assert "Pilih kantor yang dijangkau keputusan" in response.content.decode()
        sidrap, pinrang = office("kab-sidenreng-rappang"), Kantor.default()
        response = client.post(
            reverse("publikasi_staf:reach", args=[keputusan.pk]),
            {"offices": [sidrap.pk, pinrang.pk]},
        )
        assert response.status_code == 302
        keputusan.refresh_from_db()
        assert not keputusan.reaches_all_below
        assert set(keputusan.jangkauan.all()) == {sidrap, pinrang}
        page = client.get(detail(keputusan.pk)).content.decode()
        assert "KPU Kabupaten Sidenreng Rappang" in page


def test_a_provinsi_decree_reaches_only_its_kabupaten(client):
    sulsel = office("prov-sulawesi-selatan")
    ppid = ppid_of(sulsel, "ppid-sulsel-uji")
    keputusan = services.keputusan_create(
        by=ppid,
        data={"number": "5 Tahun 2026", "date": datetime.date(2026, 1, 5), "title": "Uji"},
        pdf=pdf_upload(),
    )
    client.force_login(ppid)
    aceh_besar = Kantor.objects.get(slug="kab-aceh-besar")
    with translation.override("id"):
        page = client.get(detail(keputusan.pk)).content.decode()
        assert "KPU Kabupaten Pinrang" in page and "Aceh Besar" not in page
        response = client.post(
            reverse("publikasi_staf:reach", args=[keputusan.pk]), {"offices": [aceh_besar.pk]}
        )
    assert "Pilihan ini tidak tersedia lagi" in response.content.decode()
    assert not keputusan.jangkauan.exists()


def test_published_decrees_take_no_more_items_and_others_see_no_forms(client, ri_ppid, national):
    keputusan, _item = national
    desk = UserFactory(roles=[Role.DESK], roles__kantor=office("ri"))
    client.force_login(desk)
    page = client.get(detail(keputusan.pk)).content.decode()
    assert "item_add" not in page and 'name="all_below"' not in page
    assert (
        client.post(reverse("publikasi_staf:item_add", args=[keputusan.pk]), {}).status_code == 403
    )
    # another office's PPID: the decree is not theirs to change
    client.force_login(ppid_of(Kantor.default(), "ppid-kab-pinrang"))
    url = reverse("publikasi_staf:item_add", args=[keputusan.pk])
    assert client.post(url, {"title": "Sisipan"}).status_code == 404
    assert client.post(reverse("publikasi_staf:reach", args=[keputusan.pk]), {}).status_code == 404
    assert KeputusanItem.objects.filter(keputusan=keputusan).count() == 1


def test_an_office_in_reach_links_its_own_entry(client, ri_ppid, national):
    keputusan, item = national
    sidrap, pinrang = office("kab-sidenreng-rappang"), Kantor.default()
    own = archived_in(sidrap, "Salinan KTP-el paslon arsip Sidrap")
    other = archived_in(pinrang, "Salinan KTP-el paslon arsip Pinrang")
    ppid = ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    client.force_login(ppid)
    with translation.override("id"):
        index = client.get(reverse("publikasi_staf:index")).content.decode()
        assert "731 Tahun 2025" in index and "Keputusan kantor lain yang menjangkau" in index
        url = reverse("publikasi_staf:menjangkau", args=[keputusan.pk])
        page = client.get(url).content.decode()
        assert item.title in page and own.title in page and other.title not in page
        link_url = reverse("publikasi_staf:item_link", args=[item.pk])
        response = client.post(link_url, {})
        assert response.status_code == 400
        assert "Pilih entri kantor Anda yang ditautkan." in response.content.decode()
        # Pinrang's entry is no choice of Sidrap's: refused in words, nothing linked
        response = client.post(link_url, {f"i{item.pk}-entri": other.pk})
        assert "Pilihan ini tidak tersedia lagi" in response.content.decode()
        assert not KaitanItem.objects.exists()
        response = client.post(link_url, {f"i{item.pk}-entri": own.pk}, follow=True)
    assert response.redirect_chain[-1][0] == url
    link = KaitanItem.objects.get()
    assert (link.entri, link.item, link.linked_by) == (own, item, ppid)
    assert own.title in response.content.decode()
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    own.refresh_from_db()
    assert own.state == State.DITETAPKAN


def test_a_decree_out_of_reach_is_not_found(client):
    sulsel = office("prov-sulawesi-selatan")
    sulsel_ppid = ppid_of(sulsel, "ppid-sulsel-uji")
    keputusan = services.keputusan_create(
        by=sulsel_ppid,
        data={"number": "6 Tahun 2026", "date": datetime.date(2026, 1, 5), "title": "Uji"},
        pdf=pdf_upload(),
    )
    services.keputusan_set_reach(keputusan_id=keputusan.pk, by=sulsel_ppid, all_below=True)
    item = services.item_add(keputusan_id=keputusan.pk, by=sulsel_ppid, data={"title": "Salinan"})
    aceh = ppid_of(Kantor.objects.get(slug="kab-aceh-besar"), "ppid-kab-aceh-besar")
    client.force_login(aceh)
    assert client.get(reverse("publikasi_staf:menjangkau", args=[keputusan.pk])).status_code == 404
    assert client.post(reverse("publikasi_staf:item_link", args=[item.pk]), {}).status_code == 404
    sidrap = ppid_of(office("kab-sidenreng-rappang"), "ppid-kab-sidenreng-rappang")
    client.force_login(sidrap)
    assert client.get(reverse("publikasi_staf:menjangkau", args=[keputusan.pk])).status_code == 200


def test_the_demo_shows_a_draft_national_decree_to_record_and_to_link_to(client):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    draft = KeputusanItem.objects.filter(keputusan__number="1150 Tahun 2026")
    assert draft.count() == 2 and draft.first().keputusan.reaches_all_below
    keputusan = draft.first().keputusan
    users = get_user_model().objects
    client.force_login(users.get(username="ppid.ri"))
    page = client.get(detail(keputusan.pk)).content.decode()
    assert "Catat informasi" in page and "Simpan jangkauan" in page
    for username in ("ppid.sidrap", "ppid"):
        client.force_login(users.get(username=username))
        index = client.get(reverse("publikasi_staf:index")).content.decode()
        assert "1150 Tahun 2026" in index and "731 Tahun 2025" in index
        page = client.get(reverse("publikasi_staf:menjangkau", args=[keputusan.pk]))
        assert page.status_code == 200
    # Pinrang has archived entries of its own to link; the page offers them
    assert "Tautkan entri" in page.content.decode()
