"""Proposals up the chain: Pinrang's PPID sends approved entries to Sulsel, Sulsel receives and
forwards them to KPU RI (or returns them, or decides by delegation), KPU RI decides by a decree;
every refused step (office, role, status) says why and changes nothing; attachments are stored
once and served only through the logged private-file response."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dokumen.models import AccessLog, State, TransitionLog
from ppid.errors import ActionRefused
from ppid.models import Kantor, SiteProfile, Surel
from ppid.roles import Role
from publikasi.models import Keputusan
from tests.archive_fixtures import archived_entry
from tests.factories import EntriFactory, UserFactory
from tests.persetujuan_setup import entry_in_state
from usulan import services
from usulan.models import Lampiran, LangkahUsulan, Status, Usulan
from usulan.selectors import entries_settled_by

pytestmark = pytest.mark.django_db
LETTER = {
    "nomor_surat": "045/PP.01/2026",
    "tanggal_surat": datetime.date(2026, 1, 20),
    "tujuan": "Ketua KPU Provinsi Sulawesi Selatan",
}


@pytest.fixture
def chain():
    sulsel = Kantor.objects.get(slug="prov-sulawesi-selatan")
    ri = Kantor.objects.get(slug="ri")
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    return {
        "ppid": UserFactory(roles=[Role.PPID]),
        "desk": UserFactory(roles=[Role.DESK]),
        "sulsel": UserFactory(roles=[Role.PPID], roles__kantor=sulsel),
        "sulsel_pembina": UserFactory(roles=[Role.PEMBINA], roles__kantor=sulsel),
        "ri": UserFactory(roles=[Role.PPID], roles__kantor=ri),
        "sidrap": UserFactory(roles=[Role.PPID], roles__kantor=sidrap),
        "ri_office": ri,
        "sulsel_office": sulsel,
    }


def approved(opener):
    return entry_in_state(State.DISETUJUI, opener=opener)


def decree_of(kantor, by):
    return Keputusan.objects.create(
        kantor=kantor,
        number="900 Tahun 2026",
        date=datetime.date(2026, 2, 1),
        title="Penetapan hasil uji konsekuensi",
        recorded_by=by,
    )


def state_of(usulan):
    usulan.refresh_from_db()
    return (usulan.status, usulan.pemegang_id, usulan.langkah.count(), usulan.diputuskan_oleh_id)


def test_the_chain_end_to_end_through_the_services(chain):
    first, second = approved(chain["ppid"]), archived_entry()
    usulan = services.usulan_send(by=chain["ppid"], entri_ids=[first.pk, second.pk], data=LETTER)
    assert usulan.status == Status.DIKIRIM and usulan.pemegang == chain["sulsel_office"]
    # the entry's log says it was proposed, by whom, in which proposal
    log = TransitionLog.objects.get(entri=first, action="usulkan")
    assert log.by == chain["ppid"] and "045/PP.01/2026" in log.note
    assert first.__class__.objects.get(pk=first.pk).state == State.DISETUJUI
    # attachments: one sheet per entry and the approval sheet, stored as PDFs
    kinds = sorted(Lampiran.objects.filter(usulan=usulan).values_list("jenis", flat=True))
    assert kinds == ["lembar_persetujuan", "uji_konsekuensi", "uji_konsekuensi"]
    for item in Lampiran.objects.filter(usulan=usulan):
        with item.file.open("rb") as fh:
            data = fh.read()
        assert data.startswith(b"%PDF-") and item.size == len(data)
        assert item.sha256 == hashlib.sha256(data).hexdigest()
    # the provinsi's PPID is told, by the outbox after the commit
    assert Surel.objects.filter(recipients=[chain["sulsel"].email]).count() == 1
    services.usulan_receive(usulan_id=usulan.pk, by=chain["sulsel"])
    services.usulan_forward(usulan_id=usulan.pk, by=chain["sulsel"], note="Mohon diputuskan.")
    assert Surel.objects.filter(recipients=[chain["ri"].email]).count() == 1
    usulan.refresh_from_db()
    assert usulan.status == Status.DITERUSKAN and usulan.pemegang == chain["ri_office"]
    keputusan = decree_of(chain["ri_office"], chain["ri"])
    services.usulan_decide(usulan_id=usulan.pk, by=chain["ri"], keputusan_id=keputusan.pk)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIPUTUSKAN and usulan.diputuskan_oleh == keputusan
    assert set(entries_settled_by(keputusan)) == {first, second}
    steps = list(usulan.langkah.values_list("aksi", "kantor__slug", "to_status"))
    assert steps == [
        ("kirim", "kab-pinrang", "dikirim"),
        ("terima", "prov-sulawesi-selatan", "diterima"),
        ("teruskan", "prov-sulawesi-selatan", "diteruskan"),
        ("putuskan", "ri", "diputuskan"),
    ]
    # decided: the entries may be proposed again
    assert not first.usulan_items.filter(terbuka=True).exists()


def test_every_refused_step_says_why_and_changes_nothing(chain):
    entri = approved(chain["ppid"])
    with translation.override("id"):
        # the desk may not send; another office's PPID does not see the entry
        for wrong in (chain["desk"], chain["sidrap"], chain["sulsel"]):
            with pytest.raises(ActionRefused):
                services.usulan_send(by=wrong, entri_ids=[entri.pk], data=LETTER)
        assert not Usulan.objects.exists() and not Lampiran.objects.exists()
        # an entry not yet approved is refused with its state
        draft = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
        with pytest.raises(ActionRefused, match="“diklasifikasi”"):
            services.usulan_send(by=chain["ppid"], entri_ids=[draft.pk], data=LETTER)
        future = {**LETTER, "tanggal_surat": datetime.date.today() + datetime.timedelta(days=3)}
        with pytest.raises(ActionRefused, match="masa depan"):
            services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=future)
        usulan = services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER)
        # one open proposal per entry
        with pytest.raises(ActionRefused, match="usulan yang masih terbuka"):
            services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER)
        before = state_of(usulan)
        refused = [
            # wrong office: Pinrang's PPID and KPU RI's PPID do not hold it yet; Sidrap sees nothing
            lambda: services.usulan_receive(usulan_id=usulan.pk, by=chain["ppid"]),
            lambda: services.usulan_forward(usulan_id=usulan.pk, by=chain["sidrap"]),
            lambda: services.usulan_return(usulan_id=usulan.pk, by=chain["ri"], reason="x"),
            # wrong role in the right office
            lambda: services.usulan_receive(usulan_id=usulan.pk, by=chain["sulsel_pembina"]),
            # wrong status: forward before receiving; decide without a delegation
            lambda: services.usulan_forward(usulan_id=usulan.pk, by=chain["sulsel"]),
            lambda: services.usulan_decide(usulan_id=usulan.pk, by=chain["sulsel"], keputusan_id=0),
            # a return needs its reason
            lambda: services.usulan_return(usulan_id=usulan.pk, by=chain["sulsel"], reason=" "),
        ]
        messages = []
        for step in refused:
            with pytest.raises(ActionRefused) as caught:
                step()
            messages.append(str(caught.value))
            assert state_of(usulan) == before
        assert "tidak tersedia" in messages[1]
        assert messages[3] == messages[1]  # another role: refused like a missing proposal
        assert "“dikirim”" in messages[4]
        assert "PKPU 4/2025" in messages[5]
        assert "alasan" in messages[6]


def test_a_return_reaches_the_proposing_office_with_its_reason(chain, client):
    entri = approved(chain["ppid"])
    usulan = services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER)
    services.usulan_return(usulan_id=usulan.pk, by=chain["sulsel"], reason="Lampiran kurang.")
    client.force_login(chain["ppid"])
    with translation.override("id"):
        page = client.get(reverse("usulan:daftar"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "dikembalikan" in page and "Lampiran kurang." in page
    # returned: the entry may be proposed again
    services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER)


def test_a_delegated_provinsi_decides_itself(chain, settings):
    settings.DIK_DELEGATED_PROVINCES = ["prov-sulawesi-selatan"]
    entri = approved(chain["ppid"])
    usulan = services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER)
    assert usulan.delegasi
    services.usulan_receive(usulan_id=usulan.pk, by=chain["sulsel"])
    ri_decree = decree_of(chain["ri_office"], chain["ri"])
    with pytest.raises(ActionRefused):  # a decree of another office
        services.usulan_decide(usulan_id=usulan.pk, by=chain["sulsel"], keputusan_id=ri_decree.pk)
    own = decree_of(chain["sulsel_office"], chain["sulsel"])
    services.usulan_decide(usulan_id=usulan.pk, by=chain["sulsel"], keputusan_id=own.pk)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIPUTUSKAN and usulan.diputuskan_oleh == own


def test_the_chain_through_the_pages(chain, client):
    entri = approved(chain["ppid"])
    client.force_login(chain["ppid"])
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert f"{reverse('usulan:baru')}?entri={entri.pk}" in page
    form = client.get(reverse("usulan:baru"), {"entri": entri.pk}).content.decode()
    assert f'value="{entri.pk}" checked' in form
    letter = SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat", content_type="application/pdf")
    response = client.post(reverse("usulan:baru"), {**LETTER, "entri": [entri.pk], "surat": letter})
    usulan = Usulan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "usulan:detail", args=[usulan.pk]
    )
    for user, aksi, data in (
        (chain["sulsel"], "terima", {}),
        (chain["sulsel"], "teruskan", {"note": "Diteruskan."}),
    ):
        client.force_login(user)
        incoming = client.get(reverse("usulan:daftar")).content.decode()
        assert str(usulan) in incoming
        client.post(reverse("usulan:aksi", args=[usulan.pk, aksi]), data)
    keputusan = decree_of(chain["ri_office"], chain["ri"])
    client.force_login(chain["ri"])
    detail = client.get(reverse("usulan:detail", args=[usulan.pk])).content.decode()
    assert f'value="{keputusan.pk}"' in detail
    client.post(reverse("usulan:aksi", args=[usulan.pk, "putuskan"]), {"keputusan": keputusan.pk})
    usulan.refresh_from_db()
    assert usulan.status == Status.DIPUTUSKAN
    # a refused step by POST: a clear message, nothing changed
    before = state_of(usulan)
    response = client.post(
        reverse("usulan:aksi", args=[usulan.pk, "kembalikan"]), {"reason": "x"}, follow=True
    )
    assert state_of(usulan) == before and "diputuskan" in response.content.decode()
    # the proposing office sees the status
    client.force_login(chain["ppid"])
    assert "diputuskan" in client.get(reverse("usulan:detail", args=[usulan.pk])).content.decode()


def test_attachments_are_served_only_logged_and_only_to_the_offices_of_the_chain(chain, client):
    entri = approved(chain["ppid"])
    letter = SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat", content_type="application/pdf")
    usulan = services.usulan_send(by=chain["ppid"], entri_ids=[entri.pk], data=LETTER, surat=letter)
    item = Lampiran.objects.filter(usulan=usulan).first()
    urls = [
        reverse("usulan:lampiran", args=[usulan.pk, item.pk]),
        reverse("usulan:surat", args=[usulan.pk]),
    ]
    for outsider in (chain["sidrap"], chain["ri"], chain["desk"]):
        client.force_login(outsider)
        for url in urls + [reverse("usulan:detail", args=[usulan.pk])]:
            assert client.get(url).status_code in (403, 404)
    assert AccessLog.objects.count() == 0
    for reader in (chain["ppid"], chain["sulsel"]):
        client.force_login(reader)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AccessLog.objects.count() == 4
    assert set(AccessLog.objects.values_list("kantor__slug", flat=True)) == {"kab-pinrang"}
    assert LangkahUsulan.objects.filter(usulan=usulan).count() == 1


def test_the_demo_has_a_pinrang_proposal_decided_by_ri_and_is_idempotent():
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    usulan = Usulan.objects.get(nomor_surat__startswith="012/PP.01.2-SD")
    assert usulan.kantor.slug == "kab-pinrang" and usulan.status == Status.DIPUTUSKAN
    steps = list(usulan.langkah.values_list("aksi", "by__username"))
    assert steps == [
        ("kirim", "ppid"),
        ("terima", "ppid.sulsel"),
        ("teruskan", "ppid.sulsel"),
        ("putuskan", "ppid.ri"),
    ]
    # KPU RI published the decree: Pinrang's entry is in force on its behalf
    entri = usulan.items.get().entri
    log = TransitionLog.objects.get(entri=entri, action="tetapkan")
    assert entri.state == State.DITETAPKAN
    assert (log.by, log.by_decree) == (None, "Keputusan KPU Nomor 1020 Tahun 2026")
    assert log.decree_publisher.username == "ppid.ri"


def test_a_sidrap_proposal_carries_sidrap_letterhead_and_goes_to_sulsel(chain):
    import pypdfium2

    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    SiteProfile.for_office(sidrap)
    entri = entry_in_state(State.DISETUJUI, opener=chain["sidrap"])
    entri.__class__.objects.filter(pk=entri.pk).update(kantor=sidrap)
    usulan = services.usulan_send(by=chain["sidrap"], entri_ids=[entri.pk], data=LETTER)
    assert usulan.kantor == sidrap and usulan.pemegang == chain["sulsel_office"]
    sheet = Lampiran.objects.get(usulan=usulan, jenis=Lampiran.Jenis.UJI)
    with sheet.file.open("rb") as fh:
        text = pypdfium2.PdfDocument(fh.read())[0].get_textpage().get_text_range()
    assert "Sidenreng Rappang" in text and "Pinrang" not in text
