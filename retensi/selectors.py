"""Every read of retention: the schedule an office uses, and what its archive has due.

The desk and the PPID of an office read its entries' retention, holds and disposals; the
Atasan PPID reads them too (it approves disposals). Entries come from entries_visible_to."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from dokumen.models import State
from dokumen.selectors import entries_visible_to
from ppid.roles import DESK_ROLES, Role, offices_where
from retensi.models import JadwalRetensi, Pemusnahan, PenahananHukum, RetensiEntri

READERS = DESK_ROLES | {Role.ATASAN}


def schedules_for(kantor_id: int) -> QuerySet[JadwalRetensi]:
    """The rows of the retention schedule an office uses: its own and every office's."""
    return JadwalRetensi.objects.filter(Q(kantor__isnull=True) | Q(kantor_id=kantor_id)).filter(
        active=True
    )


def retention_visible_to(user) -> QuerySet[RetensiEntri]:
    offices = offices_where(user, READERS)
    if not offices:
        return RetensiEntri.objects.none()
    return RetensiEntri.objects.filter(
        kantor_id__in=offices, entri__in=entries_visible_to(user)
    ).select_related("entri", "jadwal", "keamanan")


def holds_visible_to(user) -> QuerySet[PenahananHukum]:
    offices = offices_where(user, READERS)
    if not offices:
        return PenahananHukum.objects.none()
    return PenahananHukum.objects.filter(
        kantor_id__in=offices, entri__in=entries_visible_to(user)
    ).select_related("entri", "started_by", "released_by")


def disposals_visible_to(user) -> QuerySet[Pemusnahan]:
    offices = offices_where(user, READERS)
    if not offices:
        return Pemusnahan.objects.none()
    return Pemusnahan.objects.filter(
        kantor_id__in=offices, entri__in=entries_visible_to(user)
    ).select_related("entri", "proposed_by")


def sees_retention(user) -> bool:
    return bool(offices_where(user, READERS))


@dataclass
class Due:
    """What the archive has due today: to move to the inactive archive, to dispose of (or hand
    over as permanent, or review), held by a legal hold, disposals waiting for a decision."""

    transfer: list = field(default_factory=list)
    final: list = field(default_factory=list)
    held: list = field(default_factory=list)
    waiting: list = field(default_factory=list)


def due_for(user, today=None) -> Due:
    today = today or timezone.localdate()
    due = Due()
    held_ids = set(
        holds_visible_to(user).filter(released_at__isnull=True).values_list("entri_id", flat=True)
    )
    for retensi in retention_visible_to(user).filter(disposed_at__isnull=True).order_by("start"):
        if retensi.entri_id in held_ids:
            due.held.append(retensi)
        elif retensi.retention_ends <= today:
            retensi.still_exempted = retensi.entri.state != State.TIDAK_BERLAKU
            due.final.append(retensi)
        elif retensi.inactive_from <= today:
            due.transfer.append(retensi)
    due.waiting = list(
        disposals_visible_to(user).filter(
            status__in=[Pemusnahan.Status.PROPOSED, Pemusnahan.Status.APPROVED]
        )
    )
    return due
