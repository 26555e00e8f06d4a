"""Retention apart from the exemption period: each entry's records carry a classification code
and retention from the office's Jadwal Retensi Arsip and a security level (reference data,
seeded); the archive shows what is due for transfer or disposal; a disposal has its own
approval and log and never touches a record still exempted or under a legal hold."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dokumen.models import State
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role
from retensi import selectors, services
from retensi.models import JadwalRetensi, LangkahPemusnahan, Pemusnahan, TingkatKeamanan
from tests.factories import EntriFactory, UserFactory

pytestmark = pytest.mark.django_db


def schedule(code="DIK.01"):
    return JadwalRetensi.objects.get(code=code, kantor=None)


def level(code="rahasia"):
    return TingkatKeamanan.objects.get(code=code)


def years_ago(n: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n)


def kept(entri, ppid, code="DIK.01", start=None):
    retensi = services.retensi_set(
        entri_id=entri.pk, by=ppid, jadwal_id=schedule(code).pk, keamanan_id=level().pk
    )
    if start:
        retensi.start = start
        retensi.save()
    return retensi


def test_the_reference_data_is_seeded():
    assert list(TingkatKeamanan.objects.values_list("code", flat=True)) == [
        "biasa",
        "terbatas",
        "rahasia",
        "sangat_rahasia",
    ]
    dispositions = set(JadwalRetensi.objects.values_list("disposition", flat=True))
    assert dispositions == {"musnah", "permanen", "dinilai_kembali"}


def test_the_ppid_sets_retention_and_the_archive_shows_what_is_due(client, ppid, desk):
    opened = EntriFactory(classified=True, state=State.TIDAK_BERLAKU, title="Dokumen dibuka lama")
    in_force = EntriFactory(classified=True, state=State.DITETAPKAN, title="Masih dikecualikan")
    young = EntriFactory(classified=True, state=State.TIDAK_BERLAKU, title="Baru nonaktif")
    with pytest.raises(ActionRefused):
        services.retensi_set(
            entri_id=opened.pk, by=desk, jadwal_id=schedule().pk, keamanan_id=level().pk
        )
    retensi = kept(opened, ppid, start=years_ago(8))  # 2 active + 5 inactive: ended
    assert retensi.start == years_ago(8)
    kept(in_force, ppid, start=years_ago(8))
    kept(young, ppid, start=years_ago(3))  # inactive since a year, kept 4 more
    due = selectors.due_for(desk)
    assert [r.entri for r in due.final] == [opened, in_force]
    assert [r.still_exempted for r in due.final] == [False, True]
    assert [r.entri for r in due.transfer] == [young]
    client.force_login(desk)
    with translation.override("id"):
        page = client.get(reverse("retensi:index")).content.decode()
    assert "Dokumen dibuka lama" in page and "Baru nonaktif" in page
    assert "masih dikecualikan: tidak dimusnahkan" in page


def test_a_disposal_is_proposed_approved_by_another_and_logged(client, ppid, atasan):
    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(entri, ppid, start=years_ago(8))
    client.force_login(ppid)
    client.post(reverse("retensi:usul_musnah", args=[entri.pk]), {"note": "Retensi habis."})
    pemusnahan = Pemusnahan.objects.get(entri=entri)
    assert pemusnahan.status == Pemusnahan.Status.PROPOSED
    with translation.override("id"):
        page = client.get(reverse("retensi:entri", args=[entri.pk])).content.decode()
    assert "diusulkan" in page and "Usulkan pemusnahan" not in page  # one at a time
    # whoever proposed does not approve, even holding the Atasan role too
    both = UserFactory(roles=[Role.PPID, Role.ATASAN])
    other = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(other, ppid, start=years_ago(8))
    own = services.disposal_propose(entri_id=other.pk, by=both)
    with pytest.raises(ActionRefused, match="Pengusul"), translation.override("id"):
        services.disposal_decide(pemusnahan_id=own.pk, by=both, approve=True)
    with pytest.raises(ActionRefused):
        services.disposal_decide(pemusnahan_id=pemusnahan.pk, by=ppid, approve=True)

    client.force_login(atasan)
    client.post(
        reverse("retensi:putuskan", args=[entri.pk, pemusnahan.pk]), {"decision": "setujui"}
    )
    pemusnahan.refresh_from_db()
    assert pemusnahan.status == Pemusnahan.Status.APPROVED
    client.force_login(ppid)
    client.post(
        reverse("retensi:laksanakan", args=[entri.pk, pemusnahan.pk]),
        {"note": "Berita acara pemusnahan 3/2026"},
    )
    pemusnahan.refresh_from_db()
    assert pemusnahan.status == Pemusnahan.Status.DONE
    assert entri.retensi.disposed_at is not None
    steps = list(
        LangkahPemusnahan.objects.filter(pemusnahan=pemusnahan).values_list("status", "by")
    )
    assert steps == [("diusulkan", ppid.pk), ("disetujui", atasan.pk), ("dilaksanakan", ppid.pk)]


def test_never_a_record_still_exempted_or_under_a_legal_hold(client, ppid, atasan):
    exempted = EntriFactory(classified=True, state=State.DITETAPKAN)
    kept(exempted, ppid, start=years_ago(8))
    with translation.override("id"), pytest.raises(ActionRefused, match="masih dikecualikan"):
        services.disposal_propose(entri_id=exempted.pk, by=ppid)

    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(entri, ppid, start=years_ago(8))
    client.force_login(ppid)
    client.post(
        reverse("retensi:tahan", args=[entri.pk]),
        {"reason": "sengketa_ki", "description": "Sengketa Komisi Informasi Sulsel No. 12/2026"},
    )
    hold = entri.legal_holds.get()
    assert (hold.reason, hold.started_by) == ("sengketa_ki", ppid)
    with pytest.raises(ActionRefused, match="penahanan hukum"), translation.override("id"):
        services.disposal_propose(entri_id=entri.pk, by=ppid)
    assert selectors.due_for(ppid).held[0].entri == entri
    # released with its reason, the disposal may go; a hold after the approval stops it again
    services.hold_release(hold_id=hold.pk, by=ppid, note="Putusan KI 3 Maret 2026")
    pemusnahan = services.disposal_propose(entri_id=entri.pk, by=ppid)
    services.disposal_decide(pemusnahan_id=pemusnahan.pk, by=atasan, approve=True)
    services.hold_start(entri_id=entri.pk, by=ppid, reason="keberatan", description="Keberatan 4")
    with pytest.raises(ActionRefused, match="penahanan hukum"), translation.override("id"):
        services.disposal_carry_out(pemusnahan_id=pemusnahan.pk, by=ppid, note="BA 1")
    entri.retensi.refresh_from_db()
    assert entri.retensi.disposed_at is None

    # not before the retention ends, and never what the schedule keeps permanently
    young = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(young, ppid, start=years_ago(1))
    with pytest.raises(ActionRefused, match="berakhir pada"), translation.override("id"):
        services.disposal_propose(entri_id=young.pk, by=ppid)
    permanent = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(permanent, ppid, code="DIK.04", start=years_ago(30))
    with pytest.raises(ActionRefused, match="“permanen”, bukan musnah"), translation.override("id"):
        services.disposal_propose(entri_id=permanent.pk, by=ppid)


def test_another_office_reads_and_changes_nothing(client, ppid):
    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(entri, ppid, start=years_ago(8))
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    visitor = UserFactory(roles=[Role.PPID], roles__kantor=sidrap)
    client.force_login(visitor)
    assert client.get(reverse("retensi:entri", args=[entri.pk])).status_code == 404
    assert client.post(reverse("retensi:usul_musnah", args=[entri.pk])).status_code == 404
    with pytest.raises(ActionRefused):
        services.disposal_propose(entri_id=entri.pk, by=visitor)
    assert selectors.due_for(visitor).final == []
    assert not Pemusnahan.objects.exists()


def test_who_reads_the_retention_pages(client, desk, pembina, atasan, ppid):
    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    kept(entri, ppid)
    for user, status in ((desk, 200), (atasan, 200), (pembina, 403)):
        client.force_login(user)
        assert client.get(reverse("retensi:index")).status_code == status
    client.force_login(desk)
    with translation.override("id"):
        page = client.get(reverse("retensi:entri", args=[entri.pk])).content.decode()
    assert "DIK.01" in page and "Rahasia" in page
    assert "Usulkan pemusnahan" not in page  # the PPID proposes, not the desk
