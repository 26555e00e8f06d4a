"""Every permission-filtered read of entries and files: one rule per thing, used by every path.

Every rule is scoped by office: a user reads the rows of the offices where they hold a role
that reads them, and of no other (another office's row is a 404, like a missing one)."""

from django.db.models import Q, QuerySet

from dokumen.models import AccessLog, Berkas, Entri, SalinanSamaran, State, TempatSimpan
from ppid.roles import APPROVER_ROLES, DESK_ROLES, Role, offices_where

# Approvers see what the PPID has classified, and nothing the desk is still collecting.
APPROVER_VISIBLE_STATES = [s for s in State if s not in (State.DIKUMPULKAN,)]


def entries_visible_to(user) -> QuerySet[Entri]:
    desk = offices_where(user, DESK_ROLES)
    approving = offices_where(user, APPROVER_ROLES)
    if not desk and not approving:
        return Entri.objects.none()
    seen = Q(kantor_id__in=desk) if desk else Q(pk__in=[])
    if approving:
        seen |= Q(kantor_id__in=approving, state__in=APPROVER_VISIBLE_STATES)
    return Entri.objects.filter(seen)


def files_visible_to(user) -> QuerySet[Berkas]:
    if not getattr(user, "is_authenticated", False):
        return Berkas.objects.none()
    return Berkas.objects.active().filter(entri__in=entries_visible_to(user))


def redacted_copies_visible_to(user) -> QuerySet[SalinanSamaran]:
    """Redacted copies, for the staff who see their entry (the public reads only approved copies
    of entries in force, through publikasi's selector)."""
    if not getattr(user, "is_authenticated", False):
        return SalinanSamaran.objects.none()
    return SalinanSamaran.objects.filter(entri__in=entries_visible_to(user)).select_related(
        "entri", "made_by", "approved_by"
    )


def places_visible_to(user) -> QuerySet[TempatSimpan]:
    """Hardcopy places, and with them archive numbers, are for the desk and the PPID of their
    office only."""
    offices = offices_where(user, DESK_ROLES)
    if not offices:
        return TempatSimpan.objects.none()
    return TempatSimpan.objects.filter(kantor_id__in=offices)


def sees_places(user, kantor=None) -> bool:
    """places_visible_to has the places of this office (of any office, without one): the
    hardcopy card, the archive number and the place's history are shown (the same condition,
    asked without a query)."""
    offices = offices_where(user, DESK_ROLES)
    return bool(offices) if kantor is None else getattr(kantor, "pk", kantor) in offices


def hardcopy_of(user, entri: Entri) -> TempatSimpan | None:
    """The binder of an entry's hardcopy, if the user may see places and it has one."""
    if not entri.ordner_id:
        return None
    return (
        places_visible_to(user)
        .select_related("parent__parent__parent__parent")
        .filter(pk=entri.ordner_id)
        .first()
    )


def access_log_visible_to(user) -> QuerySet[AccessLog]:
    """Who read which private file: for the PPID of the file's office."""
    offices = offices_where(user, {Role.PPID})
    if not offices:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(kantor_id__in=offices).select_related("user", "berkas")
