"""The entries that follow a decree in other offices move as its consequence: the system takes
ESTABLISH and REVOKE on behalf of the decree (the log names the decree and who published it),
never borrowing a person of that office. The entries of the proposals a decree settles follow
it like the entries linked to its items: when it is published, at once when it already is, or
when they are archived after it."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from dokumen.archive import entri_archive
from dokumen.models import Berkas, Entri, State, TransitionLog
from ppid.errors import ActionRefused
from ppid.models import Kantor, Penugasan
from ppid.roles import Role
from publikasi import services
from publikasi.dik_pdf import render_public_dik
from publikasi.models import Keputusan
from publikasi.selectors import reaches
from tests.archive_fixtures import add_file, pdf_upload
from tests.factories import UserFactory, make_ordner
from tests.persetujuan_setup import entry_in_state
from tests.test_dik_pdf import pdf_text
from tests.test_keputusan_nasional import archived_in, office, ppid_of
from usulan import services as usulan_services
from usulan.models import Status

pytestmark = pytest.mark.django_db
NATIONAL = "Keputusan KPU Nomor 731 Tahun 2025"
REVOKING = {"number": "805 Tahun 2025", "date": datetime.date(2025, 9, 16), "title": "Pencabutan"}
LETTER = {
    "nomor_surat": "045/PP.01/2026",
    "tanggal_surat": datetime.date(2026, 1, 20),
    "tujuan": "Ketua KPU Provinsi Sulawesi Selatan",
}


def last_log(entri, action):
    return TransitionLog.objects.filter(entri=entri, action=action).latest("pk")


def test_other_offices_entries_move_on_behalf_of_the_decree(client, ri_ppid, national):
    keputusan, item = national
    sidrap = office("kab-sidenreng-rappang")
    own = archived_in(sidrap, "Salinan KTP-el paslon arsip Sidrap")
    linker = ppid_of(sidrap, "ppid-kab-sidenreng-rappang")
    services.entri_link_to_item(entri_id=own.pk, item_id=item.pk, by=linker)
    # the PPID who linked it has left the office: the decree still moves the entry
    Penugasan.objects.filter(user=linker).delete()

    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    own.refresh_from_db()
    assert own.state == State.DITETAPKAN
    log = last_log(own, "tetapkan")
    assert (log.by, log.by_decree, log.decree_publisher) == (None, NATIONAL, ri_ppid)

    services.keputusan_revoke(
        keputusan_id=keputusan.pk, by=ri_ppid, data=REVOKING, pdf=pdf_upload()
    )
    own.refresh_from_db()
    assert own.state == State.TIDAK_BERLAKU
    log = last_log(own, "cabut")
    assert (log.by, log.by_decree, log.decree_publisher) == (
        None,
        "Keputusan KPU Nomor 805 Tahun 2025",
        ri_ppid,
    )
    # Sidrap's staff read on the entry's page who moved it
    ri_ppid.first_name, ri_ppid.last_name = "Rina", "Wulandari"
    ri_ppid.save()
    desk = UserFactory(roles=[Role.DESK], roles__kantor=sidrap)
    client.force_login(desk)
    with translation.override("id"):
        body = client.get(reverse("meja:entri_detail", args=[own.pk])).content.decode()
    assert f"sistem, atas nama {NATIONAL} (diterbitkan oleh Rina Wulandari)" in body


def test_in_the_publishers_own_office_the_publisher_takes_the_step(ri_ppid, national):
    keputusan, item = national
    own = archived_in(office("ri"), "Salinan KTP-el paslon arsip KPU RI")
    services.entri_link_to_item(entri_id=own.pk, item_id=item.pk, by=ri_ppid)
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    log = last_log(own, "tetapkan")
    assert (log.by, log.by_decree) == (ri_ppid, "")


def test_a_decree_takes_only_establish_and_revoke():
    from django.db import transaction

    from dokumen import lifecycle
    from dokumen.models import Action

    entri = entry_in_state(State.DISETUJUI, opener=UserFactory(roles=[Role.PPID]))
    decree = lifecycle.ByDecree(decree=NATIONAL, publisher=UserFactory())
    with (
        translation.override("id"),
        transaction.atomic(),
        pytest.raises(ActionRefused, match="tidak diambil oleh keputusan"),
    ):
        lifecycle.perform(lifecycle.lock(entri.pk, by=decree), Action.ARCHIVE, by=decree)
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI


def test_decrees_are_read_through_the_selector(ri_ppid, national):
    keputusan, _item = national
    ri = office("ri")
    pembina = UserFactory(roles=[Role.PEMBINA], roles__kantor=ri)
    desk = UserFactory(roles=[Role.DESK], roles__kantor=ri)
    with translation.override("id"):
        # an approver of the deciding office does not read its decrees: like a missing one
        with pytest.raises(ActionRefused, match="tidak ada atau tidak tersedia"):
            services.keputusan_publish(keputusan_id=keputusan.pk, by=pembina)
        # its desk reads them, and is told the role publishing needs
        with pytest.raises(ActionRefused, match="memerlukan peran: PPID"):
            services.keputusan_publish(keputusan_id=keputusan.pk, by=desk)
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT


# ---------------------------------------------------------------- proposals settled by a decree


@pytest.fixture
def chain():
    return {
        "ppid": UserFactory(roles=[Role.PPID]),
        "sulsel": UserFactory(
            roles=[Role.PPID], roles__kantor=Kantor.objects.get(slug="prov-sulawesi-selatan")
        ),
        "ri": UserFactory(roles=[Role.PPID], roles__kantor=office("ri")),
    }


def pinrang_archived(title: str) -> Entri:
    entri = entry_in_state(State.DISETUJUI, opener=UserFactory(roles=[Role.PPID]))
    Entri.objects.filter(pk=entri.pk).update(title=title)
    archive_ready(entri)
    return entri_archive(entri_id=entri.pk, by=UserFactory(roles=[Role.PPID]))


def archive_ready(entri) -> None:
    add_file(entri, Berkas.Kind.SOFTCOPY)
    add_file(entri, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    Entri.objects.filter(pk=entri.pk).update(ordner=make_ordner(), archive_number=entri.pk)


def decided(chain, entries, keputusan):
    usulan = usulan_services.usulan_send(
        by=chain["ppid"], entri_ids=[e.pk for e in entries], data=LETTER
    )
    usulan_services.usulan_receive(usulan_id=usulan.pk, by=chain["sulsel"])
    usulan_services.usulan_forward(usulan_id=usulan.pk, by=chain["sulsel"])
    usulan_services.usulan_decide(usulan_id=usulan.pk, by=chain["ri"], keputusan_id=keputusan.pk)
    return usulan


def ri_decree(chain, number="1020 Tahun 2026") -> Keputusan:
    return services.keputusan_create(
        by=chain["ri"],
        data={
            "number": number,
            "date": datetime.date(2026, 2, 2),
            "title": "Penetapan hasil uji konsekuensi atas usulan KPU Kabupaten Pinrang",
        },
        pdf=pdf_upload(),
    )


def test_publishing_moves_the_entries_of_the_proposals_it_settles(client, chain):
    archived = pinrang_archived("Salinan daftar pemilih khusus yang diusulkan")
    approved = entry_in_state(State.DISETUJUI, opener=UserFactory(roles=[Role.PPID]))
    keputusan = ri_decree(chain)
    usulan = decided(chain, [archived, approved], keputusan)
    archived.refresh_from_db()
    assert archived.state == State.DIARSIPKAN  # a draft decides nothing yet
    client.force_login(chain["ppid"])
    with translation.override("id"):
        body = client.get(reverse("usulan:detail", args=[usulan.pk])).content.decode()
    assert "diputuskan" in body and "entrinya mengikutinya setelah diterbitkan" in body

    services.keputusan_publish(keputusan_id=keputusan.pk, by=chain["ri"])
    archived.refresh_from_db()
    approved.refresh_from_db()
    assert archived.state == State.DITETAPKAN
    log = last_log(archived, "tetapkan")
    assert (log.by, log.by_decree, log.decree_publisher) == (
        None,
        "Keputusan KPU Nomor 1020 Tahun 2026",
        chain["ri"],
    )
    # the entry not archived yet follows it once Pinrang archives it
    assert approved.state == State.DISETUJUI
    archive_ready(approved)
    entri_archive(entri_id=approved.pk, by=chain["ppid"])
    approved.refresh_from_db()
    assert approved.state == State.DITETAPKAN
    assert "1020 Tahun 2026" in last_log(approved, "tetapkan").note
    # the proposing office sees its proposal decided, by which decree, and its entries in force
    client.force_login(chain["ppid"])
    with translation.override("id"):
        body = client.get(reverse("usulan:detail", args=[usulan.pk])).content.decode()
    assert "diputuskan" in body and "1020 Tahun 2026" in body
    public = client.get(reverse("publikasi:dik")).content.decode()
    assert archived.title in public
    # the entry's page names the decree it follows (KPU RI's: named, not linked for Pinrang)
    with translation.override("id"):
        entry_page = client.get(reverse("meja:entri_detail", args=[archived.pk])).content.decode()
    panel = entry_page.split('id="h-arsip-keputusan"', 1)[1].split("</section>", 1)[0]
    assert "Keputusan KPU Nomor 1020 Tahun 2026 — KPU RI" in panel

    services.keputusan_revoke(
        keputusan_id=keputusan.pk,
        by=chain["ri"],
        pdf=pdf_upload(),
        data={"number": "1101 Tahun 2026", "date": datetime.date(2026, 3, 1), "title": "Cabut"},
    )
    for entri in (archived, approved):
        entri.refresh_from_db()
        assert entri.state == State.TIDAK_BERLAKU
        assert last_log(entri, "cabut").by_decree == "Keputusan KPU Nomor 1101 Tahun 2026"


def test_deciding_by_a_decree_already_published_moves_the_entries_at_once(chain):
    keputusan = ri_decree(chain)
    other = pinrang_archived("Arsip lain yang ditetapkan lebih dahulu")
    decided(chain, [other], keputusan)
    services.keputusan_publish(keputusan_id=keputusan.pk, by=chain["ri"])
    entri = pinrang_archived("Salinan formulir model C yang diusulkan kemudian")
    usulan = decided(chain, [entri], keputusan)
    usulan.refresh_from_db()
    entri.refresh_from_db()
    assert usulan.status == Status.DIPUTUSKAN
    assert entri.state == State.DITETAPKAN
    assert last_log(entri, "tetapkan").by_decree == "Keputusan KPU Nomor 1020 Tahun 2026"


def test_an_entry_still_covered_by_another_decree_stays_in_force(chain):
    entri = pinrang_archived("Salinan dokumen yang ditetapkan dua keputusan")
    first = ri_decree(chain)
    decided(chain, [entri], first)
    services.keputusan_publish(keputusan_id=first.pk, by=chain["ri"])
    # Pinrang records the decree in force in its own register too
    own = services.keputusan_create(
        by=chain["ppid"],
        data={"number": "12 Tahun 2026", "date": datetime.date(2026, 2, 3), "title": "Salinan"},
        pdf=pdf_upload(),
        entries=[entri],
    )
    services.keputusan_publish(keputusan_id=own.pk, by=chain["ppid"])
    services.keputusan_revoke(
        keputusan_id=first.pk,
        by=chain["ri"],
        pdf=pdf_upload(),
        data={"number": "1101 Tahun 2026", "date": datetime.date(2026, 3, 1), "title": "Cabut"},
    )
    entri.refresh_from_db()
    assert entri.state == State.DITETAPKAN


def test_the_public_decree_column_names_the_decree_settling_the_proposal(client, chain):
    """An entry in force only through its settled proposal (KPU RI's decree names no Pinrang
    entry) shows that decree on every public form of the DIK, not "—"."""
    entri = pinrang_archived("Salinan daftar pemilih yang ditetapkan lewat usulan")
    keputusan = ri_decree(chain)
    decided(chain, [entri], keputusan)
    services.keputusan_publish(keputusan_id=keputusan.pk, by=chain["ri"])
    assert not keputusan.entries.exists()  # established by the settled proposal only
    number = "Keputusan KPU Nomor 1020 Tahun 2026"
    link = f'<a href="/keputusan/{keputusan.slug}/">{number}</a>'
    for url in (reverse("publikasi:dik"), reverse("kantor_dik", args=["kab-pinrang"])):
        row = client.get(url).content.decode().split(entri.title, 1)[1].split("</tr>", 1)[0]
        assert link in row and "—" not in row.rsplit("<td", 1)[1]
    csv = b"".join(client.get(reverse("publikasi:dik_csv")).streaming_content).decode()
    assert "1020 Tahun 2026 | " not in csv and ",1020 Tahun 2026,2026-02-02," in csv
    data = client.get(reverse("kantor_json", args=["kab-pinrang"])).content
    (row,) = [r for r in json.loads(data)["data"] if r["id"] == entri.pk]
    assert row["keputusan_nomor"] == ["1020 Tahun 2026"]
    assert row["keputusan_tanggal"] == ["2026-02-02"]
    assert row["keputusan_url"] == [f"http://testserver/keputusan/{keputusan.slug}/"]
    text = " ".join(pdf_text(render_public_dik()).split())
    assert f"{number} (2 Februari 2026)" in text


def test_the_column_lists_every_published_decree_once_by_date(client, chain):
    """Named by one decree and settled by another: both, oldest first; a draft never."""
    entri = pinrang_archived("Salinan dokumen yang diikuti dua keputusan")
    first = ri_decree(chain)
    decided(chain, [entri], first)
    draft = ri_decree(chain, number="1030 Tahun 2026")
    decided(chain, [entri], draft)  # settles a second proposal, never published
    services.keputusan_publish(keputusan_id=first.pk, by=chain["ri"])
    own = services.keputusan_create(
        by=chain["ppid"],
        data={"number": "12 Tahun 2026", "date": datetime.date(2026, 2, 3), "title": "Salinan"},
        pdf=pdf_upload(),
        entries=[entri],
    )
    html = client.get(reverse("publikasi:dik")).content.decode()
    row = html.split(entri.title, 1)[1].split("</tr>", 1)[0]
    assert "1020 Tahun 2026" in row and "12 Tahun 2026" not in row
    services.keputusan_publish(keputusan_id=own.pk, by=chain["ppid"])
    html = client.get(reverse("publikasi:dik")).content.decode()
    row = html.split(entri.title, 1)[1].split("</tr>", 1)[0]
    assert row.count("1020 Tahun 2026") == 1 and "1030 Tahun 2026" not in row
    assert row.index("1020 Tahun 2026") < row.index("12 Tahun 2026")


def test_settling_a_proposal_adds_the_proposing_office_to_the_reach(client, chain):
    """KPU RI's PPID never names Pinrang: deciding Pinrang's proposal by the decree does, in the
    decree's history with the reason, and the decree shows on Pinrang's public page."""
    entri = pinrang_archived("Salinan dokumen yang diusulkan Pinrang")
    keputusan = ri_decree(chain)
    pinrang = office("kab-pinrang")
    assert not reaches(keputusan, pinrang.pk)
    decided(chain, [entri], keputusan)
    assert list(keputusan.jangkauan.all()) == [pinrang]
    change = keputusan.history.latest("history_date")
    assert change.history_user == chain["ri"]
    with translation.override("id"):
        reason = "Menjangkau KPU Kabupaten Pinrang: memutuskan usulannya No. 045/PP.01/2026"
        assert change.history_change_reason == reason
        client.force_login(chain["ri"])
        staff = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
        assert reason in staff
    services.keputusan_publish(keputusan_id=keputusan.pk, by=chain["ri"])
    client.logout()
    public = client.get(reverse("kantor_keputusan", args=["kab-pinrang"])).content.decode()
    assert "Keputusan KPU Nomor 1020 Tahun 2026" in public
    # a second proposal settled by the same decree adds nothing: the decree reaches Pinrang
    before = keputusan.history.count()
    other = pinrang_archived("Salinan dokumen kedua yang diusulkan Pinrang")
    decided(chain, [other], keputusan)
    assert keputusan.history.count() == before and keputusan.jangkauan.count() == 1
