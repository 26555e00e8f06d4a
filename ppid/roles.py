"""The office's roles: Django groups seeded by a data migration (ppid/migrations/0002)."""

from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _

from ppid.errors import ActionRefused


class Role(StrEnum):
    DESK = "Petugas Desk Layanan Informasi"
    PPID = "PPID"
    PEMBINA = "Pembina PPID"
    TIM = "Tim Pertimbangan"
    ATASAN = "Atasan PPID"


APPROVER_ROLES = (Role.PEMBINA, Role.TIM, Role.ATASAN)
STAFF_ROLES = tuple(Role)


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
            % {"roles": ", ".join(str(r.value) for r in roles)}
        )


def required_approver_roles() -> tuple[Role, ...]:
    return tuple(Role(name) for name in settings.DIK_REQUIRED_APPROVER_ROLES)
