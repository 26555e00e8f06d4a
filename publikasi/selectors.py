"""Every read of publikasi: what the public may see, and what the staff may see.

The public sees entries that are `ditetapkan` and decrees that are published or revoked — never
a draft, a file of an entry, a hardcopy place, an archive number or a staff member's name.
"""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from dokumen.models import DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, State
from ppid.roles import DESK_ROLES, offices_where
from publikasi.models import DikVersion, Keputusan

PUBLIC_DECREE_STATUSES = (Keputusan.Status.PUBLISHED, Keputusan.Status.REVOKED)
REVIEWED_BEHAVIOURS = (
    JenisJangkaWaktu.Behaviour.UNTIL_CONDITION,
    JenisJangkaWaktu.Behaviour.UNTIL_EVENT,
)


# ---------------------------------------------------------------- public


def published_entries() -> QuerySet[Entri]:
    """The DIK in force: the only entries the public may see."""
    return Entri.objects.filter(state=State.DITETAPKAN)


def public_decrees() -> QuerySet[Keputusan]:
    return Keputusan.objects.filter(status__in=PUBLIC_DECREE_STATUSES)


def published_dik() -> QuerySet[Entri]:
    """The DIK in force with everything its public row shows, in a fixed number of queries."""
    return (
        published_entries()
        .select_related("document_type", "period_kind")
        .prefetch_related(
            Prefetch(
                "legal_grounds",
                queryset=DasarHukum.objects.select_related("regulation").order_by("order", "code"),
            ),
            Prefetch(
                "keputusan",
                queryset=Keputusan.objects.filter(status=Keputusan.Status.PUBLISHED).order_by(
                    "date", "pk"
                ),
                to_attr="decrees",
            ),
        )
        .order_by("document_type__order", "title", "pk")
    )


def published_dik_version() -> int:
    """Grows with every change of the DIK in force (publikasi.models.DikVersion): one query."""
    return DikVersion.current()


def public_document_types() -> QuerySet[JenisDokumen]:
    """Filter choices with counts of the DIK in force only."""
    return (
        # filter() before annotate(): one inner join on the entries in force, counted as
        # they come (no DISTINCT: a type meets each entry once)
        JenisDokumen.objects.filter(entries__state=State.DITETAPKAN)
        .annotate(n=Count("entries"))
        .order_by("order", "name")
    )


def public_grounds() -> QuerySet[DasarHukum]:
    return (
        DasarHukum.objects.select_related("regulation")
        .filter(entries__state=State.DITETAPKAN)
        .annotate(n=Count("entries"))
        .order_by("order", "code")
    )


def public_entries_of(keputusan: Keputusan) -> QuerySet[Entri]:
    """What a public decree covers that is still in force (opened information is not listed)."""
    return published_dik().filter(keputusan=keputusan)


# ---------------------------------------------------------------- staff


def sees_decrees(user) -> bool:
    """The desk and the PPID see their office's decrees, drafts included; nobody else."""
    return bool(offices_where(user, DESK_ROLES))


def decrees_visible_to(user) -> QuerySet[Keputusan]:
    offices = offices_where(user, DESK_ROLES)
    if not offices:
        return Keputusan.objects.none()
    return Keputusan.objects.filter(kantor_id__in=offices).select_related("revoked_by")


def periods_to_review(user) -> list[Entri]:
    """Entries in force whose period ends by a condition or an event: the PPID reviews them.

    Each carries `overdue` (its review date has passed, WITA date)."""
    if not sees_decrees(user):
        return []
    today = timezone.localdate()
    entries = list(
        published_entries()
        .filter(period_kind__behaviour__in=REVIEWED_BEHAVIOURS)
        .select_related("period_kind", "document_type")
        .order_by("period_review", "pk")
    )
    for entri in entries:
        entri.overdue = entri.period_review is not None and entri.period_review < today
    # reviews never scheduled come first: they are the ones nobody looks at
    entries.sort(key=lambda e: (e.period_review is not None, e.period_review or today))
    return entries
