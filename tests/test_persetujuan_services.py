"""The approval services: separation of duties, rounds, batches, withdrawal."""

import pytest
from django.db import IntegrityError, transaction

from dokumen.models import Entri, State, TransitionLog
from persetujuan import services
from persetujuan.models import Persetujuan, Putaran
from ppid.errors import ActionRefused
from ppid.roles import Role
from tests.factories import EntriFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, snapshot, submitted_entry

pytestmark = pytest.mark.django_db


def test_submit_opens_a_round_bound_to_the_content(ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    putaran = services.entri_submit(entri_id=entri.pk, by=ppid)
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN
    assert putaran.number == 1
    assert putaran.status == Putaran.Status.OPEN
    assert putaran.content_hash == entri.content_hash()
    assert putaran.required_roles == [PEMBINA, TIM, ATASAN]
    assert putaran.opened_by == ppid
    log = entri.transitions.get(to_state=State.DIAJUKAN)
    assert log.by == ppid and "putaran 1" in log.note


def test_required_roles_are_configuration(ppid, pembina, tim, atasan, settings):
    settings.DIK_REQUIRED_APPROVER_ROLES = [PEMBINA, ATASAN]
    entri = submitted_entry(ppid)
    assert entri.rounds.get().required_roles == [PEMBINA, ATASAN]
    with pytest.raises(ActionRefused, match="tidak memutus dalam putaran ini"):
        services.approve(entri_id=entri.pk, by=tim, role=TIM)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.approve(entri_id=entri.pk, by=atasan, role=ATASAN)
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI


def test_all_three_approvals_approve_the_entry_once(ppid, pembina, tim, atasan):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.approve(entri_id=entri.pk, by=tim, role=TIM)
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN
    assert entri.rounds.get().status == Putaran.Status.OPEN
    assert not entri.transitions.filter(to_state=State.DISETUJUI).exists()
    services.approve(entri_id=entri.pk, by=atasan, role=ATASAN)
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI
    putaran = entri.rounds.get()
    assert putaran.status == Putaran.Status.APPROVED and putaran.closed_at
    assert entri.transitions.filter(to_state=State.DISETUJUI).count() == 1


def test_nobody_approves_a_round_they_opened_not_even_a_superuser(user_with):
    opener = user_with(Role.PPID, Role.PEMBINA, is_superuser=True, is_staff=True)
    entri = submitted_entry(opener)
    before = snapshot(entri)
    with pytest.raises(ActionRefused, match="diajukannya sendiri"):
        services.approve(entri_id=entri.pk, by=opener, role=PEMBINA)
    with pytest.raises(ActionRefused, match="diajukannya sendiri"):
        services.return_entri(entri_id=entri.pk, by=opener, role=PEMBINA, reason="Tidak.")
    assert snapshot(entri) == before


def test_one_person_never_decides_in_two_roles_not_even_a_superuser(ppid, user_with):
    both = user_with(Role.PEMBINA, Role.TIM, is_superuser=True, is_staff=True)
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=both, role=PEMBINA)
    before = snapshot(entri)
    with pytest.raises(ActionRefused, match="satu orang memutus dalam satu peran saja"):
        services.approve(entri_id=entri.pk, by=both, role=TIM)
    assert snapshot(entri) == before


def test_a_person_holding_two_roles_chooses_the_role(ppid, user_with):
    both = user_with(Role.PEMBINA, Role.TIM)
    entri = submitted_entry(ppid)
    decision = services.approve(entri_id=entri.pk, by=both, role=TIM)
    assert decision.role == TIM and decision.by == both


def test_tim_pertimbangan_decides_once_for_the_team_and_records_who(ppid, user_with):
    tim1, tim2 = user_with(Role.TIM), user_with(Role.TIM)
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=tim1, role=TIM)
    before = snapshot(entri)
    with pytest.raises(ActionRefused, match="sudah memutus"):
        services.approve(entri_id=entri.pk, by=tim2, role=TIM)
    assert snapshot(entri) == before
    assert Persetujuan.objects.get(putaran__entri=entri, role=TIM).by == tim1


def test_a_role_the_user_does_not_hold_is_refused(ppid, pembina, desk):
    entri = submitted_entry(ppid)
    before = snapshot(entri)
    for user in (pembina, desk):
        with pytest.raises(ActionRefused, match="tidak memegang peran Atasan PPID"):
            services.approve(entri_id=entri.pk, by=user, role=ATASAN)
    with pytest.raises(ActionRefused, match="Peran tidak dikenal"):
        services.approve(entri_id=entri.pk, by=pembina, role="Kepala Desa")
    assert snapshot(entri) == before


def test_a_return_needs_a_reason(ppid, tim):
    entri = submitted_entry(ppid)
    before = snapshot(entri)
    for reason in ("", "   "):
        with pytest.raises(ActionRefused, match="Tulis alasan"):
            services.return_entri(entri_id=entri.pk, by=tim, role=TIM, reason=reason)
    assert snapshot(entri) == before


def test_a_return_closes_the_round_and_sends_the_entry_back_with_the_reason(
    ppid, pembina, tim, atasan
):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.return_entri(
        entri_id=entri.pk, by=tim, role=TIM, reason="Jangka waktu belum sesuai Pasal 20."
    )
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    putaran = entri.rounds.get()
    assert putaran.status == Putaran.Status.RETURNED
    assert putaran.close_note == "Jangka waktu belum sesuai Pasal 20."
    log = entri.transitions.order_by("-pk").first()
    assert (log.from_state, log.to_state, log.by) == (State.DIAJUKAN, State.DIKLASIFIKASI, tim)
    assert "Jangka waktu belum sesuai Pasal 20." in log.note
    # the round is closed: nobody decides on it any more
    with pytest.raises(ActionRefused, match="tidak dapat dilakukan"):
        services.approve(entri_id=entri.pk, by=atasan, role=ATASAN)


def test_resubmission_opens_the_next_round(ppid, tim):
    entri = submitted_entry(ppid)
    services.return_entri(entri_id=entri.pk, by=tim, role=TIM, reason="Perbaiki uji.")
    putaran = services.entri_submit(entri_id=entri.pk, by=ppid)
    assert putaran.number == 2
    assert [r.status for r in entri.rounds.order_by("number")] == [
        Putaran.Status.RETURNED,
        Putaran.Status.OPEN,
    ]
    # the new round is decided afresh: Tim may decide again in round 2
    services.approve(entri_id=entri.pk, by=tim, role=TIM)


def test_content_changed_since_submit_is_refused(ppid, pembina):
    entri = submitted_entry(ppid)
    # a change that bypassed the services (no signal): the hash still catches it
    Entri.objects.filter(pk=entri.pk).update(test_harm="Diubah tanpa layanan.")
    before = snapshot(entri)
    with pytest.raises(ActionRefused, match="berubah sejak diajukan"):
        services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    assert snapshot(entri) == before


def test_withdraw_before_the_round_completes(ppid, pembina, atasan):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    services.entri_withdraw(entri_id=entri.pk, by=ppid, note="Masih ada berkas yang kurang.")
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    putaran = entri.rounds.get()
    assert putaran.status == Putaran.Status.WITHDRAWN
    assert putaran.close_note == "Masih ada berkas yang kurang."
    assert "Masih ada berkas yang kurang." in entri.transitions.order_by("-pk").first().note


def test_withdraw_after_approval_is_refused(ppid):
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM, Role.ATASAN)
    before = snapshot(entri)
    with pytest.raises(ActionRefused, match="tidak dapat dilakukan"):
        services.entri_withdraw(entri_id=entri.pk, by=ppid)
    assert snapshot(entri) == before


def test_submit_batch_opens_one_round_each(ppid):
    entries = [EntriFactory(classified=True, state=State.DIKLASIFIKASI) for _ in range(3)]
    rounds = services.entries_submit(entri_ids=[e.pk for e in entries], by=ppid)
    assert len(rounds) == 3
    for entri in entries:
        entri.refresh_from_db()
        assert entri.state == State.DIAJUKAN
        assert entri.rounds.get().number == 1


def test_submit_batch_is_refused_whole(ppid):
    good = [EntriFactory(classified=True, state=State.DIKLASIFIKASI) for _ in range(2)]
    collected = EntriFactory(title="Masih dikumpulkan")
    logs = TransitionLog.objects.count()
    with pytest.raises(ActionRefused, match="“Masih dikumpulkan”.*Tidak ada yang diubah"):
        services.entries_submit(entri_ids=[good[0].pk, collected.pk, good[1].pk], by=ppid)
    assert Putaran.objects.count() == 0
    assert TransitionLog.objects.count() == logs
    assert {e.state for e in Entri.objects.filter(pk__in=[g.pk for g in good])} == {
        State.DIKLASIFIKASI
    }
    with pytest.raises(ActionRefused, match="tidak ada"):
        services.entries_submit(entri_ids=[good[0].pk, 999999], by=ppid)
    with pytest.raises(ActionRefused, match="Pilih sedikitnya satu entri"):
        services.entries_submit(entri_ids=[], by=ppid)
    assert Putaran.objects.count() == 0


def test_submit_batch_by_someone_without_the_role_is_refused_whole(desk):
    entries = [EntriFactory(classified=True, state=State.DIKLASIFIKASI) for _ in range(2)]
    with pytest.raises(ActionRefused):
        services.entries_submit(entri_ids=[e.pk for e in entries], by=desk)
    assert Putaran.objects.count() == 0


def test_approve_batch_for_one_role(ppid, pembina):
    entries = [submitted_entry(ppid) for _ in range(3)]
    decisions = services.approve_batch(entri_ids=[e.pk for e in entries], by=pembina, role=PEMBINA)
    assert len(decisions) == 3
    assert Persetujuan.objects.filter(by=pembina, role=PEMBINA).count() == 3


def test_approve_batch_is_refused_whole(ppid, pembina, user_with):
    entries = [submitted_entry(ppid) for _ in range(2)]
    already = submitted_entry(ppid)
    services.approve(entri_id=already.pk, by=user_with(Role.PEMBINA), role=PEMBINA)
    not_submitted = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    for bad in (already, not_submitted):
        before = [snapshot(e) for e in entries]
        logs = TransitionLog.objects.count()
        with pytest.raises(ActionRefused, match="Tidak ada yang diubah"):
            services.approve_batch(
                entri_ids=[entries[0].pk, bad.pk, entries[1].pk], by=pembina, role=PEMBINA
            )
        assert [snapshot(e) for e in entries] == before
        assert TransitionLog.objects.count() == logs
    assert not Persetujuan.objects.filter(by=pembina).exists()


def test_approve_batch_with_a_round_the_approver_opened_is_refused_whole(ppid, user_with):
    opener = user_with(Role.PPID, Role.PEMBINA)
    other = submitted_entry(ppid)
    own = submitted_entry(opener)
    with pytest.raises(ActionRefused, match="diajukannya sendiri"):
        services.approve_batch(entri_ids=[other.pk, own.pk], by=opener, role=PEMBINA)
    assert not Persetujuan.objects.exists()


def test_the_last_approval_in_a_batch_approves_the_entry(ppid, atasan):
    entries = [submitted_entry(ppid) for _ in range(2)]
    for entri in entries:
        approve_as(entri, Role.PEMBINA, Role.TIM)
    services.approve_batch(entri_ids=[e.pk for e in entries], by=atasan, role=ATASAN)
    assert set(
        Entri.objects.filter(pk__in=[e.pk for e in entries]).values_list("state", flat=True)
    ) == {State.DISETUJUI}


def test_database_constraints_are_the_last_line(ppid, pembina, user_with):
    entri = submitted_entry(ppid)
    putaran = entri.rounds.get()

    def create(**kwargs):
        values = {
            "putaran": putaran,
            "role": PEMBINA,
            "result": Persetujuan.Result.APPROVE,
            "by": pembina,
            "round_opened_by": ppid,
            **kwargs,
        }
        with transaction.atomic():
            Persetujuan.objects.create(**values)

    with pytest.raises(IntegrityError):
        create(by=ppid)  # by the opener
    with pytest.raises(IntegrityError):
        create(result=Persetujuan.Result.RETURN, reason="")  # a return without a reason
    create()
    with pytest.raises(IntegrityError):
        create(by=user_with(Role.PEMBINA))  # a second decision for the role
    with pytest.raises(IntegrityError):
        create(role=TIM)  # the same person in a second role
    with pytest.raises(IntegrityError), transaction.atomic():
        Putaran.objects.create(
            entri=entri, number=2, content_hash="x", required_roles=[], opened_by=ppid
        )  # a second open round
