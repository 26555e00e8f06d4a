"""The office's roles: Django groups seeded by a data migration (ppid/migrations/0002)."""

from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ppid.errors import ActionRefused


class Role(StrEnum):
    DESK = "Petugas Desk Layanan Informasi"
    PPID = "PPID"
    PEMBINA = "Pembina PPID"
    TIM = "Tim Pertimbangan"
    ATASAN = "Atasan PPID"


APPROVER_ROLES = (Role.PEMBINA, Role.TIM, Role.ATASAN)
# the staff who work on entries, their files and hardcopy places (SOP steps 1 and 3)
DESK_ROLES = frozenset({Role.DESK, Role.PPID})


def ordered(roles) -> list[Role]:
    """Roles in the order of the SOP (desk, PPID, Pembina, Tim, Atasan)."""
    return [role for role in Role if role in roles]


def assignments_of(user) -> dict[int, frozenset[Role]]:
    """Office id → the roles the user holds there; one query per user object (one request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_dik_assignments", None)
    if cached is None:
        from ppid.models import Penugasan

        per_office: dict[int, set[Role]] = {}
        for kantor_id, name in Penugasan.objects.filter(user=user).values_list("kantor_id", "role"):
            if name in Role._value2member_map_:
                per_office.setdefault(kantor_id, set()).add(Role(name))
        cached = {k: frozenset(v) for k, v in per_office.items()}
        user._dik_assignments = cached
    return cached


def roles_of(user, kantor=None) -> frozenset[Role]:
    """The roles a user holds in `kantor` (an office or its id); without one, in any office
    (menus, landing page: what kind of work the user has at all)."""
    assignments = assignments_of(user)
    if kantor is None:
        return frozenset().union(*assignments.values()) if assignments else frozenset()
    return assignments.get(getattr(kantor, "pk", kantor), frozenset())


def offices_where(user, roles) -> list[int]:
    """Ids of the offices where the user holds one of `roles`."""
    wanted = frozenset(roles)
    return sorted(k for k, held in assignments_of(user).items() if held & wanted)


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def require_role(user, *roles: Role) -> None:
    if not has_role(user, *roles):
        raise ActionRefused(
            _("This action needs the role: %(roles)s.")
            % {"roles": ", ".join(str(r.value) for r in ordered(roles))}
        )


def desk_required(view):
    """Login first; then only the desk and the PPID (others get 403, nothing else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles_of(request.user) & DESK_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def required_approver_roles() -> tuple[Role, ...]:
    return tuple(Role(name) for name in settings.DIK_REQUIRED_APPROVER_ROLES)


def redacted_copy_approver_roles() -> frozenset[Role]:
    """Who approves a redacted public copy (DIK_REDACTED_COPY_APPROVER_ROLES)."""
    return frozenset(Role(name) for name in settings.DIK_REDACTED_COPY_APPROVER_ROLES)
