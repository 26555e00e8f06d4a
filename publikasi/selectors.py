"""Every read of publikasi: what the public may see, and what the staff may see.

The public sees entries that are `ditetapkan` and decrees that are published or revoked — never
a draft, a file of an entry, a hardcopy place, an archive number or a staff member's name.
"""

from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from dokumen.models import DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, State
from ppid.models import Kantor
from ppid.roles import DESK_ROLES, offices_where
from publikasi.models import DikVersion, KaitanItem, Keputusan, KeputusanItem

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
        .select_related("document_type", "period_kind", "decree_item_link__item__keputusan")
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


def _of_office(kantor) -> dict:
    return {"entries__kantor": kantor} if kantor is not None else {}


def public_document_types(kantor=None) -> QuerySet[JenisDokumen]:
    """Filter choices with counts of the DIK in force only (of one office, where given)."""
    return (
        # filter() before annotate(): one inner join on the entries in force, counted as
        # they come (no DISTINCT: a type meets each entry once)
        JenisDokumen.objects.filter(entries__state=State.DITETAPKAN, **_of_office(kantor))
        .annotate(n=Count("entries"))
        .order_by("order", "name")
    )


def public_grounds(kantor=None) -> QuerySet[DasarHukum]:
    return (
        DasarHukum.objects.select_related("regulation")
        .filter(entries__state=State.DITETAPKAN, **_of_office(kantor))
        .annotate(n=Count("entries"))
        .order_by("order", "code")
    )


FACETS_SECONDS = 24 * 60 * 60  # a version's counts never change; old versions age out


def dik_facets(kantor: Kantor, version: int) -> dict:
    """The filter choices of an office's public DIK with their counts, and the number in force:
    counted once per version of the DIK in force (published_dik_version) and kept in the shared
    cache, not recounted for every new search, filter or page."""
    key = f"publikasi:facets:{kantor.pk}:{version}:{get_language()}"
    facets = cache.get(key)
    if facets is None:
        facets = {
            "types": [
                {"code": t.code, "name": str(t), "n": t.n} for t in public_document_types(kantor)
            ],
            "grounds": [
                {"code": g.code, "citation": g.citation, "n": g.n} for g in public_grounds(kantor)
            ],
            "in_force": published_entries().filter(kantor=kantor).count(),
        }
        cache.set(key, facets, FACETS_SECONDS)
    return facets


def national_count(version: int, **filters) -> int | None:
    """The number of entries in force in every office (filters: none, or a provinsi/kab/kota),
    kept per version of the DIK like the facets; None when not counted yet."""
    return cache.get(f"publikasi:national:{version}:" + urlencode(sorted(filters.items())))


def keep_national_count(version: int, n: int, **filters) -> None:
    key = f"publikasi:national:{version}:" + urlencode(sorted(filters.items()))
    cache.set(key, n, FACETS_SECONDS)


def public_entries_of(keputusan: Keputusan) -> QuerySet[Entri]:
    """What a public decree covers that is still in force (opened information is not listed):
    the entries it names and those the offices in reach linked to its items."""
    named = Keputusan.entries.through.objects.filter(keputusan=keputusan).values("entri_id")
    linked = KaitanItem.objects.filter(item__keputusan=keputusan).values("entri_id")
    return published_dik().filter(Q(pk__in=named) | Q(pk__in=linked))


# ---------------------------------------------------------------- reach of a decree


def reaching_q(kantor: Kantor) -> Q:
    """The decrees that reach `kantor`: its own, those naming it, and those reaching every
    office under their decider (KPU RI: every office; a provinsi: its kab/kota)."""
    named = Keputusan.jangkauan.through.objects.filter(kantor_id=kantor.pk).values("keputusan_id")
    q = Q(kantor_id=kantor.pk) | Q(pk__in=named)
    q |= Q(reaches_all_below=True, kantor__tingkat=Kantor.Tingkat.RI)
    if kantor.induk_id:
        q |= Q(reaches_all_below=True, kantor_id=kantor.induk_id)
    return q


def reaches(keputusan: Keputusan, kantor_id: int) -> bool:
    """Does the decree decide for this office? (a few queries; for services, not lists)"""
    if keputusan.kantor_id == kantor_id:
        return True
    if keputusan.jangkauan.filter(pk=kantor_id).exists():
        return True
    if not keputusan.reaches_all_below:
        return False
    decider = keputusan.kantor
    if decider.tingkat == Kantor.Tingkat.RI:
        return True
    return Kantor.objects.filter(pk=kantor_id, induk_id=decider.pk).exists()


def public_decrees_of(kantor: Kantor) -> QuerySet[Keputusan]:
    """The public decrees an office's page lists: those reaching it."""
    return public_decrees().filter(reaching_q(kantor))


def public_items_of(kantor: Kantor) -> QuerySet[KeputusanItem]:
    """The information in force by a published decree reaching the office, with the decree,
    the type and the grounds (a fixed number of queries)."""
    return (
        KeputusanItem.objects.filter(
            keputusan__in=Keputusan.objects.filter(
                reaching_q(kantor), status=Keputusan.Status.PUBLISHED
            )
        )
        .select_related("keputusan", "document_type")
        .prefetch_related(
            Prefetch(
                "legal_grounds",
                queryset=DasarHukum.objects.select_related("regulation").order_by("order", "code"),
            )
        )
        .order_by("-keputusan__date", "keputusan_id", "order", "pk")
    )


def published_dik_of(kantor: Kantor) -> QuerySet[Entri]:
    """The office's own entries in force (those linked to a decree's item included: the entry
    is the office's copy of that information)."""
    return published_dik().filter(kantor=kantor)


def public_items_of_decree(keputusan: Keputusan) -> QuerySet[KeputusanItem]:
    return (
        keputusan.items.select_related("document_type")
        .prefetch_related(
            Prefetch(
                "legal_grounds",
                queryset=DasarHukum.objects.select_related("regulation").order_by("order", "code"),
            )
        )
        .order_by("order", "pk")
    )


def linked_items_of(entry_ids) -> dict[int, KaitanItem]:
    return {
        link.entri_id: link
        for link in KaitanItem.objects.filter(entri_id__in=entry_ids).select_related("item")
    }


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
