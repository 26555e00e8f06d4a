"""An edit after submission voids the round and its approvals; saving nothing voids nothing."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from dokumen import lifecycle
from dokumen import services as dokumen_services
from dokumen.models import Berkas, State
from persetujuan import services
from persetujuan.models import Putaran
from persetujuan.sheet import sheet_entries
from ppid.errors import ActionRefused
from ppid.roles import Role
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, submitted_entry

pytestmark = pytest.mark.django_db


def add_file(entri, by, data: bytes = b"%PDF-1.4 pindaian"):
    """What an upload does (helper B's service): change the files, then tell the lifecycle."""
    with transaction.atomic():
        locked = lifecycle.lock(entri.pk, by=by)
        old_hash = locked.content_hash()
        Berkas.objects.create(
            entri=locked,
            kind=Berkas.Kind.SCAN,
            file=ContentFile(data, name="scan.pdf"),
            original_name="scan.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
        )
        new_hash = locked.content_hash()
        assert new_hash != old_hash
        dokumen_services.after_content_change(locked, by=by)


def test_an_edit_of_a_submitted_entry_voids_its_round(ppid, pembina):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    dokumen_services.entri_update(
        entri_id=entri.pk, by=ppid, data={"test_harm": "Akibat yang diperbarui."}
    )
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    putaran = entri.rounds.get()
    assert putaran.status == Putaran.Status.VOID
    assert putaran.closed_at is not None
    assert "isi entri berubah" in putaran.close_note
    # the approval stays recorded, but its round is void: nobody decides on it any more
    assert putaran.decisions.count() == 1
    with pytest.raises(ActionRefused):
        services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    # a new round starts from nothing
    assert services.entri_submit(entri_id=entri.pk, by=ppid).number == 2


def test_saving_with_nothing_changed_voids_nothing(ppid, pembina):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    dokumen_services.entri_update(
        entri_id=entri.pk, by=ppid, data={"title": entri.title, "test_harm": entri.test_harm}
    )
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN
    assert entri.rounds.get().status == Putaran.Status.OPEN


def test_an_edit_of_an_approved_entry_voids_the_approval(ppid):
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM, Role.ATASAN)
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI
    assert sheet_entries([entri])[0]["rounds"]
    dokumen_services.entri_update(
        entri_id=entri.pk, by=ppid, data={"period_wording": "Sampai pemilihan berikutnya selesai"}
    )
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.rounds.get().status == Putaran.Status.VOID
    # the approval sheet no longer shows the approvals of the old content
    assert sheet_entries([entri])[0]["rounds"] == []


def test_a_file_change_voids_the_open_round(ppid, desk, pembina):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    add_file(entri, desk)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.rounds.get().status == Putaran.Status.VOID


def test_a_file_change_of_an_approved_entry_voids_the_approval(ppid, desk):
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM, Role.ATASAN)
    add_file(entri, desk)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.rounds.get().status == Putaran.Status.VOID


def test_an_unsignalled_file_change_still_blocks_decisions(ppid, desk, atasan):
    """A file path that forgot the lifecycle: the content hash refuses the decision."""
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM)
    data = b"berkas lain"
    Berkas.objects.create(
        entri=entri,
        kind=Berkas.Kind.SOFTCOPY,
        file=ContentFile(data, name="lain.pdf"),
        original_name="lain.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=desk,
    )
    with pytest.raises(ActionRefused, match="berubah sejak diajukan"):
        services.approve(entri_id=entri.pk, by=atasan, role=ATASAN)
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN


def test_a_returned_round_keeps_its_reason_after_the_ppid_edits(ppid, tim):
    entri = submitted_entry(ppid)
    services.return_entri(entri_id=entri.pk, by=tim, role=TIM, reason="Lengkapi uji huruf (d).")
    dokumen_services.entri_update(
        entri_id=entri.pk, by=ppid, data={"test_public_interest": "Kepentingan publik diuraikan."}
    )
    putaran = entri.rounds.get()
    assert putaran.status == Putaran.Status.RETURNED
    assert putaran.close_note == "Lengkapi uji huruf (d)."
