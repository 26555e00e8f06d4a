"""Every permission-filtered read of entries and files: one rule per thing, used by every path."""

from django.db.models import QuerySet

from dokumen.models import AccessLog, Berkas, Entri, State, TempatSimpan
from ppid.roles import APPROVER_ROLES, Role, roles_of

# Approvers see what the PPID has classified, and nothing the desk is still collecting.
APPROVER_VISIBLE_STATES = [s for s in State if s not in (State.DIKUMPULKAN,)]


def entries_visible_to(user) -> QuerySet[Entri]:
    roles = roles_of(user)
    if roles & {Role.DESK, Role.PPID}:
        return Entri.objects.all()
    if roles & set(APPROVER_ROLES):
        return Entri.objects.filter(state__in=APPROVER_VISIBLE_STATES)
    return Entri.objects.none()


def can_edit_entries(user) -> bool:
    return bool(roles_of(user) & {Role.DESK, Role.PPID})


def files_visible_to(user) -> QuerySet[Berkas]:
    if not getattr(user, "is_authenticated", False):
        return Berkas.objects.none()
    return Berkas.objects.active().filter(entri__in=entries_visible_to(user))


def places_visible_to(user) -> QuerySet[TempatSimpan]:
    """Hardcopy places are for the desk and the PPID only."""
    if not roles_of(user) & {Role.DESK, Role.PPID}:
        return TempatSimpan.objects.none()
    return TempatSimpan.objects.all()


def access_log_visible_to(user) -> QuerySet[AccessLog]:
    if Role.PPID not in roles_of(user):
        return AccessLog.objects.none()
    return AccessLog.objects.select_related("user", "berkas")
