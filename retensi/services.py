"""Every write of retention: the entry's retention and security level, legal holds, disposals.

Each locks the entry through the visibility selector (dokumen.lifecycle.lock), checks the role
in the entry's office, changes and logs in one transaction. A disposal is proposed by the PPID,
approved or refused by the Atasan PPID (never the proposer), and carried out by the PPID; it is
refused while the information is still exempted (any step but tidak_berlaku), while a legal
hold is open, before the retention ends, and unless the schedule says musnah.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import State
from ppid.errors import ActionRefused
from ppid.roles import Role, roles_of
from retensi.models import (
    JadwalRetensi,
    LangkahPemusnahan,
    Pemusnahan,
    PenahananHukum,
    RetensiEntri,
    TingkatKeamanan,
)
from retensi.selectors import disposals_visible_to, holds_visible_to, schedules_for


def _require(by, role: Role, kantor_id: int) -> None:
    if role not in roles_of(by, kantor_id):
        raise ActionRefused(_("This needs the role: %(role)s.") % {"role": role.value})


@transaction.atomic
def retensi_set(*, entri_id: int, by, jadwal_id: int, keamanan_id: int, start=None) -> RetensiEntri:
    """The PPID gives the entry's records their classification code, retention and level."""
    entri = lifecycle.lock(entri_id, by=by)
    _require(by, Role.PPID, entri.kantor_id)
    jadwal = schedules_for(entri.kantor_id).filter(pk=jadwal_id).first()
    keamanan = TingkatKeamanan.objects.filter(pk=keamanan_id).first()
    if jadwal is None or keamanan is None:
        raise ActionRefused(_("Choose a row of the office's retention schedule and a level."))
    retensi = RetensiEntri.objects.select_for_update().filter(entri=entri).first()
    if retensi and retensi.disposed_at:
        raise ActionRefused(_("The records of this entry were disposed of."))
    retensi = retensi or RetensiEntri(entri=entri, kantor_id=entri.kantor_id)
    retensi.jadwal, retensi.keamanan = jadwal, keamanan
    retensi.start = start or retensi.start or entri.collected_on
    retensi._history_user = by
    retensi.save()
    return retensi


@transaction.atomic
def hold_start(*, entri_id: int, by, reason: str, description: str) -> PenahananHukum:
    entri = lifecycle.lock(entri_id, by=by)
    _require(by, Role.PPID, entri.kantor_id)
    if reason not in PenahananHukum.Reason.values or not description.strip():
        raise ActionRefused(_("Choose the reason of the hold and describe it."))
    return PenahananHukum.objects.create(
        entri=entri,
        kantor_id=entri.kantor_id,
        reason=reason,
        description=description.strip(),
        started_by=by,
    )


@transaction.atomic
def hold_release(*, hold_id: int, by, note: str) -> PenahananHukum:
    hold = holds_visible_to(by).select_for_update(of=("self",)).filter(pk=hold_id).first()
    if hold is None:
        raise ActionRefused(_("This hold does not exist or is not available to you."))
    _require(by, Role.PPID, hold.kantor_id)
    if hold.released_at:
        return hold
    if not note.strip():
        raise ActionRefused(_("Say why the hold ends (e.g. the decision that settled it)."))
    hold.released_at, hold.released_by, hold.release_note = timezone.now(), by, note.strip()
    hold.save()
    return hold


def disposal_refusal(entri, retensi: RetensiEntri | None, today=None) -> str | None:
    """Why the entry's records may not be disposed of now; None when they may."""
    today = today or timezone.localdate()
    if entri.state != State.TIDAK_BERLAKU:
        return _(
            "The information is still exempted or on its way (“%(state)s”): its records are not disposed of."
        ) % {"state": State(entri.state).label}
    if entri.legal_holds.filter(released_at__isnull=True).exists():
        return _("The records are under a legal hold.")
    if retensi is None:
        return _("The records have no retention yet.")
    if retensi.disposed_at:
        return _("The records of this entry were disposed of.")
    if retensi.jadwal.disposition != JadwalRetensi.Disposition.DESTROY:
        return _("The retention schedule says “%(disposition)s”, not destroy.") % {
            "disposition": retensi.jadwal.get_disposition_display()
        }
    if retensi.retention_ends > today:
        return _("The retention ends on %(date)s.") % {"date": date_format(retensi.retention_ends)}
    return None


def _step(pemusnahan: Pemusnahan, status, by, note: str = "") -> None:
    pemusnahan.status = status
    pemusnahan.save(update_fields=["status"])
    LangkahPemusnahan.objects.create(pemusnahan=pemusnahan, status=status, by=by, note=note)


def _check_disposable(entri) -> RetensiEntri:
    retensi = RetensiEntri.objects.select_for_update().filter(entri=entri).first()
    message = disposal_refusal(entri, retensi)
    if message:
        raise ActionRefused(message)
    return retensi


@transaction.atomic
def disposal_propose(*, entri_id: int, by, note: str = "") -> Pemusnahan:
    entri = lifecycle.lock(entri_id, by=by)
    _require(by, Role.PPID, entri.kantor_id)
    _check_disposable(entri)
    if entri.disposals.exclude(status=Pemusnahan.Status.REFUSED).exists():
        raise ActionRefused(_("A disposal of these records is already under way."))
    pemusnahan = Pemusnahan.objects.create(entri=entri, kantor_id=entri.kantor_id, proposed_by=by)
    LangkahPemusnahan.objects.create(
        pemusnahan=pemusnahan, status=Pemusnahan.Status.PROPOSED, by=by, note=note
    )
    return pemusnahan


def _lock_disposal(pemusnahan_id: int, by) -> Pemusnahan:
    pemusnahan = (
        disposals_visible_to(by).select_for_update(of=("self",)).filter(pk=pemusnahan_id).first()
    )
    if pemusnahan is None:
        raise ActionRefused(_("This disposal does not exist or is not available to you."))
    pemusnahan.entri = lifecycle.lock(pemusnahan.entri_id, by=by)
    return pemusnahan


@transaction.atomic
def disposal_decide(*, pemusnahan_id: int, by, approve: bool, note: str = "") -> Pemusnahan:
    """The Atasan PPID approves or refuses a proposed disposal; never the one who proposed it."""
    pemusnahan = _lock_disposal(pemusnahan_id, by)
    _require(by, Role.ATASAN, pemusnahan.kantor_id)
    if pemusnahan.status != Pemusnahan.Status.PROPOSED:
        raise ActionRefused(
            _("This disposal is already “%(status)s”.")
            % {"status": pemusnahan.get_status_display()}
        )
    if pemusnahan.proposed_by_id == by.pk:
        raise ActionRefused(_("Whoever proposed a disposal does not approve it."))
    if approve:
        _check_disposable(pemusnahan.entri)
    elif not note.strip():
        raise ActionRefused(_("Give the reason for refusing."))
    status = Pemusnahan.Status.APPROVED if approve else Pemusnahan.Status.REFUSED
    _step(pemusnahan, status, by, note.strip())
    return pemusnahan


@transaction.atomic
def disposal_carry_out(*, pemusnahan_id: int, by, note: str) -> Pemusnahan:
    """The PPID records that the approved disposal was done (the minutes: berita acara)."""
    pemusnahan = _lock_disposal(pemusnahan_id, by)
    _require(by, Role.PPID, pemusnahan.kantor_id)
    if pemusnahan.status != Pemusnahan.Status.APPROVED:
        raise ActionRefused(_("Only an approved disposal is carried out."))
    if not note.strip():
        raise ActionRefused(_("Name the minutes of the disposal (berita acara)."))
    retensi = _check_disposable(pemusnahan.entri)  # a hold may have come since the approval
    retensi.disposed_at = timezone.now()
    retensi._history_user = by
    retensi.save()
    _step(pemusnahan, Pemusnahan.Status.DONE, by, note.strip())
    return pemusnahan
