"""Permission-filtered reads of the approval step: the review queue and the rounds."""

import json

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from dokumen.models import Entri, State
from dokumen.selectors import entries_visible_to
from persetujuan.models import Persetujuan, Putaran
from ppid.roles import APPROVER_ROLES, Role, required_approver_roles, roles_of


def _ordered(roles) -> list[Role]:
    return [role for role in Role if role in roles]


def _requires_role(role: Role) -> Q:
    """The round's required roles (a JSON list) contain `role`."""
    if connection.features.supports_json_field_contains:
        return Q(required_roles__contains=[role.value])
    # SQLite has no JSON containment: match the quoted element in the stored JSON text
    return Q(required_roles__icontains=json.dumps(role.value))


def _waiting_rounds(user) -> QuerySet[Putaran] | None:
    """Open rounds in which one of the user's roles still has to decide and the user may."""
    roles = _ordered(roles_of(user))
    if not roles:
        return None
    waiting = Q()
    for role in roles:
        decided = Persetujuan.objects.filter(putaran=OuterRef("pk"), role=role.value)
        waiting |= _requires_role(role) & ~Exists(decided)
    by_user = Persetujuan.objects.filter(putaran=OuterRef("pk"), by=user)
    return (
        Putaran.objects.filter(status=Putaran.Status.OPEN)
        .exclude(opened_by=user)
        .exclude(Exists(by_user))
        .filter(waiting)
    )


def queue_for(user) -> QuerySet[Entri]:
    """Entries waiting for a decision the user can give: a role they hold has not decided in
    the open round, they did not submit it, and they have not decided in another role."""
    rounds = _waiting_rounds(user)
    if rounds is None:
        return Entri.objects.none()
    return entries_visible_to(user).filter(
        Exists(rounds.filter(entri=OuterRef("pk"))), state=State.DIAJUKAN
    )


def review_count(user) -> int:
    """The number in the navigation: one query, none for a user whose roles never decide
    (the desk, the PPID unless configured as an approver: every staff page is one query less)."""
    if not roles_of(user) & {*APPROVER_ROLES, *required_approver_roles()}:
        return 0
    return queue_for(user).order_by().count()


def rounds_visible_to(user) -> QuerySet[Putaran]:
    return Putaran.objects.filter(entri__in=entries_visible_to(user))


def decisions_prefetch() -> Prefetch:
    return Prefetch("decisions", queryset=Persetujuan.objects.select_related("by"))


def open_rounds_prefetch() -> Prefetch:
    return Prefetch(
        "rounds",
        queryset=Putaran.objects.filter(status=Putaran.Status.OPEN).prefetch_related(
            decisions_prefetch()
        ),
        to_attr="open_rounds",
    )


def queue_page_for(user) -> QuerySet[Entri]:
    """The queue with everything its page shows, in a fixed number of queries."""
    return (
        queue_for(user)
        .select_related("document_type", "period_kind")
        .prefetch_related("legal_grounds__regulation", open_rounds_prefetch())
        .order_by("state_changed_at", "pk")
    )


def waiting_roles(user, putaran: Putaran) -> list[Role]:
    """The roles the user may still decide for in this round (uses prefetched decisions)."""
    if putaran is None or putaran.status != Putaran.Status.OPEN:
        return []
    if putaran.opened_by_id == user.pk:
        return []
    decisions = list(putaran.decisions.all())
    if any(d.by_id == user.pk for d in decisions):
        return []
    decided = {d.role for d in decisions}
    return [
        role
        for role in _ordered(roles_of(user))
        if role.value in putaran.required_roles and role.value not in decided
    ]
