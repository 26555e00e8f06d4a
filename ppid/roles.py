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


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds; computed once per user object (one request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_dik_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._dik_roles = cached
    return cached


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
