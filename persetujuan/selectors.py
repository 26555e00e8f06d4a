"""Permission-filtered reads of the approval step: who decides which round, the review queue.

`rounds_awaiting(user)` is the one rule of who may decide: the queue, the count in the
navigation, the entry page's decision forms, the lifecycle's guard on APPROVE and RETURN and
the decision service all read it, so they can never disagree."""

import json

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from dokumen.lifecycle import deciders
from dokumen.models import Entri, State
from dokumen.selectors import entries_visible_to
from persetujuan.models import Persetujuan, Putaran
from ppid.roles import Role, offices_where, ordered, roles_of


def _requires_role(role: Role) -> Q:
    """The round's required roles (a JSON list) contain `role`."""
    if connection.features.supports_json_field_contains:
        return Q(required_roles__contains=[role.value])
    # SQLite has no JSON containment: match the quoted element in the stored JSON text
    return Q(required_roles__icontains=json.dumps(role.value))


def _awaits(role: Role) -> str:
    return f"awaits_{list(Role).index(role)}"


def _deciding_roles(user) -> list[Role]:
    return ordered(roles_of(user) & deciders())


def rounds_awaiting(user) -> QuerySet[Putaran]:
    """Open rounds of entries the user sees, which they did not submit and have not decided in,
    where a role they hold is required and has not decided yet. Each row carries
    `awaits_<n>` per role of the user: True where that role still waits for them."""
    roles = _deciding_roles(user)
    if not roles:
        return Putaran.objects.none()
    waiting, per_role = Q(), {}
    for role in roles:
        decided = Persetujuan.objects.filter(putaran=OuterRef("pk"), role=role.value)
        # a role decides in the rounds of the offices where the user holds it
        condition = (
            Q(entri__kantor_id__in=offices_where(user, {role}))
            & _requires_role(role)
            & ~Exists(decided)
        )
        per_role[_awaits(role)] = ExpressionWrapper(condition, output_field=BooleanField())
        waiting |= condition
    by_user = Persetujuan.objects.filter(putaran=OuterRef("pk"), by=user)
    # the join on the submitted entries of the user's offices (said again, redundantly, beside
    # the visibility subquery) lets the planner start from their index (entri_submitted_order)
    # instead of every open round of the country
    offices = offices_where(user, set(roles))
    return (
        Putaran.objects.filter(
            status=Putaran.Status.OPEN,
            entri__kantor_id__in=offices,
            entri__state=State.DIAJUKAN,
            entri__in=entries_visible_to(user),
        )
        .exclude(opened_by=user)
        .exclude(Exists(by_user))
        .filter(waiting)
        .annotate(**per_role)
    )


def awaiting_roles(user, putaran: Putaran) -> list[Role]:
    """The roles a row of `rounds_awaiting(user)` waits for the user in."""
    return [role for role in _deciding_roles(user) if getattr(putaran, _awaits(role), False)]


def deciding_roles(user, putaran: Putaran | None) -> list[Role]:
    """The roles the user may decide for in this round now (one query)."""
    if putaran is None or not _deciding_roles(user):
        return []
    row = rounds_awaiting(user).filter(pk=putaran.pk).first()
    return awaiting_roles(user, row) if row is not None else []


def open_round(entri: Entri) -> Putaran | None:
    return Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).first()


def queue_for(user) -> QuerySet[Entri]:
    """Entries waiting for a decision the user can give."""
    if not _deciding_roles(user):
        return Entri.objects.none()
    return entries_visible_to(user).filter(
        Exists(rounds_awaiting(user).filter(entri=OuterRef("pk"))), state=State.DIAJUKAN
    )


def review_count(user) -> int:
    """The number in the navigation: one query, none for a user whose roles never decide
    (the desk, the PPID unless configured as an approver: every staff page is one query less).
    An entry has at most one open round (putaran_one_open_per_entri), so the rounds awaiting
    the user are as many as the entries of queue_for, counted without the entries' join."""
    if not _deciding_roles(user):
        return 0
    return rounds_awaiting(user).count()


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
    """The queue with everything its page shows, in a fixed number of queries; each entry
    carries `awaiting_rounds` (its open round, annotated as in rounds_awaiting)."""
    awaiting = Prefetch(
        "rounds",
        queryset=rounds_awaiting(user).prefetch_related(decisions_prefetch()),
        to_attr="awaiting_rounds",
    )
    return (
        queue_for(user)
        .select_related("document_type", "period_kind")
        .prefetch_related("legal_grounds__regulation", awaiting)
        .order_by("state_changed_at", "pk")
    )


def queue_counts(user) -> tuple[int, dict[Role, int]]:
    """The size of the whole queue (review_count) and how many of its entries wait for each of
    the user's roles, in one query."""
    roles = _deciding_roles(user)
    if not roles:
        return 0, {}
    counts = rounds_awaiting(user).aggregate(
        waiting=Count("pk"),
        **{f"n_{_awaits(role)}": Count("pk", filter=Q(**{_awaits(role): True})) for role in roles},
    )
    return counts["waiting"], {role: counts[f"n_{_awaits(role)}"] for role in roles}
