"""Every permission-filtered read of entries and files: one rule per thing, used by every path."""

from django.db.models import QuerySet

from dokumen.models import AccessLog, Berkas, Entri, State, TempatSimpan
from ppid.roles import APPROVER_ROLES, DESK_ROLES, Role, roles_of

# Approvers see what the PPID has classified, and nothing the desk is still collecting.
APPROVER_VISIBLE_STATES = [s for s in State if s not in (State.DIKUMPULKAN,)]


def entries_visible_to(user) -> QuerySet[Entri]:
    roles = roles_of(user)
    if roles & DESK_ROLES:
        return Entri.objects.all()
    if roles & set(APPROVER_ROLES):
        return Entri.objects.filter(state__in=APPROVER_VISIBLE_STATES)
    return Entri.objects.none()


def files_visible_to(user) -> QuerySet[Berkas]:
    if not getattr(user, "is_authenticated", False):
        return Berkas.objects.none()
    return Berkas.objects.active().filter(entri__in=entries_visible_to(user))


def places_visible_to(user) -> QuerySet[TempatSimpan]:
    """Hardcopy places, and with them archive numbers, are for the desk and the PPID only."""
    if not roles_of(user) & DESK_ROLES:
        return TempatSimpan.objects.none()
    return TempatSimpan.objects.all()


def sees_places(user) -> bool:
    """places_visible_to is not empty for this user: the hardcopy card, the archive number
    and the place's history are shown (the same condition, asked without a query)."""
    return bool(roles_of(user) & DESK_ROLES)


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
    if Role.PPID not in roles_of(user):
        return AccessLog.objects.none()
    return AccessLog.objects.select_related("user", "berkas")
