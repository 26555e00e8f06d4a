"""Email about rounds: only after the commit, and to the right people."""

import pytest
from django.urls import reverse

from dokumen.models import State
from persetujuan import services
from ppid.errors import ActionRefused
from ppid.roles import Role
from tests.factories import EntriFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, submitted_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def approvers(user_with):
    return {
        "pembina": user_with(Role.PEMBINA, username="pembina"),
        "tim1": user_with(Role.TIM, username="tim1"),
        "tim2": user_with(Role.TIM, username="tim2"),
        "tim_tanpa_surel": user_with(Role.TIM, username="tim3", email=""),
        "atasan": user_with(Role.ATASAN, username="atasan"),
        "atasan_nonaktif": user_with(Role.ATASAN, username="atasan2", is_active=False),
    }


def classified(title="Daftar pemilih dengan NIK"):
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=title)


def test_submit_mails_each_required_role_after_commit(
    ppid, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    entri = classified()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.entri_submit(entri_id=entri.pk, by=ppid)
    assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    by_recipients = {tuple(sorted(m.to)): m for m in mailoutbox}
    assert set(by_recipients) == {
        ("pembina@kpu-pinrang.example",),
        ("tim1@kpu-pinrang.example", "tim2@kpu-pinrang.example"),
        ("atasan@kpu-pinrang.example",),
    }
    mail = by_recipients[("atasan@kpu-pinrang.example",)]
    assert mail.subject == "[DIK] Menunggu persetujuan Anda: Daftar pemilih dengan NIK"
    assert "untuk disetujui oleh Atasan PPID" in mail.body
    assert reverse("meja:entri_detail", args=[entri.pk]) in mail.body
    assert reverse("persetujuan:antrean") in mail.body


def test_a_refused_submit_sends_nothing(
    desk, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    entri = classified()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ActionRefused),
    ):
        services.entri_submit(entri_id=entri.pk, by=desk)
    assert callbacks == []
    assert mailoutbox == []


def test_the_opener_gets_no_request_to_approve_their_own_round(
    user_with, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    opener = user_with(Role.PPID, Role.PEMBINA, username="ppid_pembina")
    with django_capture_on_commit_callbacks(execute=True):
        services.entri_submit(entri_id=classified().pk, by=opener)
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert "ppid_pembina@kpu-pinrang.example" not in recipients
    assert "pembina@kpu-pinrang.example" in recipients


def test_a_batch_sends_one_mail_per_role_listing_the_entries(
    ppid, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    entries = [classified(f"Dokumen pencalonan {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_submit(entri_ids=[e.pk for e in entries], by=ppid)
    assert len(mailoutbox) == 3
    for mail in mailoutbox:
        assert mail.subject == "[DIK] 3 entri menunggu persetujuan Anda"
        for entri in entries:
            assert entri.title in mail.body


def test_the_ppid_is_mailed_when_the_round_is_approved(
    ppid, user_with, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    other_ppid = user_with(Role.PPID, username="ppid2")
    entri = submitted_entry(ppid, title="Berkas pribadi anggota PPK")
    approve_as(entri, Role.PEMBINA, Role.TIM)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve(entri_id=entri.pk, by=approvers["atasan"], role=ATASAN)
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([ppid.email, other_ppid.email])
    assert mail.subject == "[DIK] Disetujui: Berkas pribadi anggota PPK"
    assert reverse("meja:entri_detail", args=[entri.pk]) in mail.body


def test_an_approval_that_is_not_the_last_mails_nobody(
    ppid, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    entri = submitted_entry(ppid)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.approve(entri_id=entri.pk, by=approvers["pembina"], role=PEMBINA)
    assert callbacks == []
    assert mailoutbox == []


def test_the_ppid_is_mailed_the_reason_when_the_round_is_returned(
    ppid, approvers, mailoutbox, django_capture_on_commit_callbacks
):
    entri = submitted_entry(ppid, title="Surat keterangan kesehatan")
    with django_capture_on_commit_callbacks(execute=True):
        services.return_entri(
            entri_id=entri.pk, by=approvers["tim2"], role=TIM, reason="Jangka waktu keliru."
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [ppid.email]
    assert mail.subject == "[DIK] Dikembalikan: Surat keterangan kesehatan"
    assert "Tim Pertimbangan memberikan alasan: Jangka waktu keliru." in mail.body
