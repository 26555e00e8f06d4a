"""Every read of publikasi: what the public may see, and what the staff may see.

The public sees entries that are `ditetapkan` and decrees that are published or revoked — never
a draft, a file of an entry, a hardcopy place, an archive number or a staff member's name.
"""

from collections.abc import Callable
from operator import attrgetter
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from dokumen.lifecycle import roles_for
from dokumen.models import (
    Action,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    SalinanSamaran,
    State,
)
from dokumen.selectors import entries_visible_to
from ppid.models import Kantor
from ppid.roles import DESK_ROLES, offices_where
from publikasi.models import (
    DikVersion,
    DikVersionKantor,
    InformasiDibuka,
    KaitanItem,
    Keputusan,
    KeputusanItem,
    Pengumuman,
)

PUBLIC_DECREE_STATUSES = (Keputusan.Status.PUBLISHED, Keputusan.Status.REVOKED)
REVIEWED_BEHAVIOURS = (
    JenisJangkaWaktu.Behaviour.UNTIL_CONDITION,
    JenisJangkaWaktu.Behaviour.UNTIL_EVENT,
)


# ---------------------------------------------------------------- public


def published_entries() -> QuerySet[Entri]:
    """The DIK in force: the only entries the public may see."""
    return Entri.objects.filter(state=State.DITETAPKAN)


def public_redacted_copies() -> QuerySet[SalinanSamaran]:
    """The redacted copies the public may read: approved, of an entry in force. The only rule
    for them: the public page lists them and the public download serves them through it (an
    entry's original files are never public)."""
    return SalinanSamaran.objects.filter(
        approved_at__isnull=False, entri__in=published_entries()
    ).order_by("made_at", "pk")


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
            # `decrees`: the published decrees each entry follows (FollowedDecrees)
            Prefetch("followed_decrees", to_attr="decrees"),
        )
        .order_by("document_type__order", "title", "pk")
    )


def published_dik_version() -> int:
    """Grows with every change of the DIK in force (publikasi.models.DikVersion): one query."""
    return DikVersion.current()


def office_dik_version(kantor: Kantor | None = None) -> int:
    """The DikVersion number of the last change of this office's DIK in force (the default
    office's without one; publikasi.models.DikVersionKantor; 0 before any): one query. What
    shows only the office's own DIK (its rows, its counts, its PDF) is kept under it, so a
    change in another office leaves it kept."""
    if kantor is None:
        return DikVersionKantor.current(kantor__slug=settings.DIK_DEFAULT_OFFICE)
    return DikVersionKantor.current(kantor_id=kantor.pk)


def with_dik_version(offices: QuerySet[Kantor]) -> QuerySet[Kantor]:
    """The offices, each with `dik_version` (office_dik_version) and `whole_dik_version`
    (published_dik_version) read in the same query."""
    number = DikVersionKantor.objects.filter(kantor=OuterRef("pk")).values("number")[:1]
    whole = DikVersion.objects.filter(pk=1).values("number")[:1]
    return offices.annotate(
        dik_version=Coalesce(Subquery(number), 0), whole_dik_version=Coalesce(Subquery(whole), 0)
    )


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
    """The filter choices of an office's public DIK with their counts, the number in force and
    the number no longer exempted (an opening changes the version too):
    counted once per version of the office's DIK in force (office_dik_version) and kept in the
    shared cache, not recounted for every new search, filter or page."""
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
            "opened": opened_information_of(kantor).count(),
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


def national_dik() -> QuerySet[Entri]:
    """The DIK in force of every office with what a row of the national page shows (its office
    and type): not the grounds nor the decrees, which it does not show."""
    return published_entries().select_related("kantor", "document_type")


def national_decree_list() -> QuerySet[Keputusan]:
    """The public decrees the national page lists: those designating information (items)."""
    return (
        public_decrees()
        .filter(Exists(KeputusanItem.objects.filter(keputusan=OuterRef("pk"))))
        .select_related("kantor", "revoked_by")
        .order_by("-date", "-pk")
    )


def public_entries_of(keputusan: Keputusan) -> QuerySet[Entri]:
    """What a public decree covers that is still in force (opened information is not listed):
    the entries it names and those the offices in reach linked to its items."""
    return published_dik().filter(following_q(Keputusan.objects.filter(pk=keputusan.pk)))


# ---------------------------------------------------------------- entries following a decree

# fn() -> a queryset of every (decree, entry) pair it knows, annotated `decree_pk`, `entry_pk`,
# added by apps publikasi does not import (usulan: the entries of the proposals a decree settles)
_follower_sources: list[Callable[[], QuerySet]] = []


def add_followers(source: Callable[[], QuerySet]) -> None:
    if source not in _follower_sources:
        _follower_sources.append(source)


def _pairs() -> list[QuerySet]:
    """Every (decree, entry) pair where the entry follows the decree: the one rule of which
    entries follow a decree (established when it is published, opened again when it is
    revoked): those it names, those an office in reach linked to one of its items, and those of
    the proposals it settles."""
    named = Keputusan.entries.through.objects.annotate(
        decree_pk=F("keputusan_id"), entry_pk=F("entri_id")
    )
    linked = KaitanItem.objects.annotate(decree_pk=F("item__keputusan_id"), entry_pk=F("entri_id"))
    return [named, linked, *(source() for source in _follower_sources)]


def following_q(decrees: QuerySet[Keputusan]) -> Q:
    q = Q(pk__in=[])
    for pairs in _pairs():
        q |= Q(pk__in=pairs.filter(decree_pk__in=decrees.values("pk")).values("entry_pk"))
    return q


class FollowedDecrees:
    """`Entri.followed_decrees`, for prefetch_related only: the published decrees each entry
    follows by the one rule (_pairs: named, linked to an item, settled proposal), oldest first,
    in one query however many entries (publikasi.apps puts it on Entri: dokumen knows no
    decree). Each decree carries its number, date and slug: what a public row shows."""

    def get_prefetch_querysets(self, instances, querysets=None):
        published = Keputusan.objects.filter(status=Keputusan.Status.PUBLISHED)

        def field(name):
            return Subquery(published.filter(pk=OuterRef("decree_pk")).values(name)[:1])

        shown = ["number", "date", "slug"]
        entry_pks = [entri.pk for entri in instances]
        rows = [
            pairs.filter(entry_pk__in=entry_pks, decree_pk__in=published.values("pk"))
            .annotate(**{f"decree_{name}": field(name) for name in shown})
            .values_list("entry_pk", "decree_pk", *(f"decree_{name}" for name in shown))
            for pairs in _pairs()
        ]
        decrees = []
        for entry_pk, decree_pk, *values in rows[0].union(*rows[1:]):  # a pair counts once
            known = {
                "id": decree_pk,
                "status": Keputusan.Status.PUBLISHED,
                **dict(zip(shown, values, strict=True)),
            }
            names = [f.attname for f in Keputusan._meta.concrete_fields if f.attname in known]
            keputusan = Keputusan.from_db(
                Keputusan.objects.db, names, [known[name] for name in names]
            )
            keputusan.follower_pk = entry_pk
            decrees.append(keputusan)
        decrees.sort(key=lambda k: (k.date, k.pk))
        return decrees, attrgetter("follower_pk"), attrgetter("pk"), False, "decrees", False


def entries_following(decrees: QuerySet[Keputusan]) -> QuerySet[Entri]:
    """The entries that follow the decrees, of every office (for the services that move them:
    the system's read on behalf of the decree)."""
    return Entri.objects.filter(following_q(decrees))


def decrees_followed_by(entri_ids) -> QuerySet[Keputusan]:
    """The decrees the entries follow, whatever their status."""
    q = Q(pk__in=[])
    for pairs in _pairs():
        q |= Q(pk__in=pairs.filter(entry_pk__in=list(entri_ids)).values("decree_pk"))
    return Keputusan.objects.filter(q)


def public_decree_list(kantor: Kantor) -> QuerySet[Keputusan]:
    """The decrees an office's decree list shows: those reaching it, each with the count of its
    entries still in force and whether it is a revoking decree (a revoking decree designates
    nothing: its row says what it revoked, never "in force, 0 information")."""
    return (
        public_decrees_of(kantor)
        .select_related("revoked_by")
        .prefetch_related(
            Prefetch(
                "revokes", queryset=Keputusan.objects.order_by("date", "pk"), to_attr="revoked"
            )
        )
        .annotate(
            in_force=Count("entries", filter=Q(entries__state=State.DITETAPKAN), distinct=True)
        )
        .order_by("-date", "-pk")
    )


# ---------------------------------------------------------------- information opened


def opened_information_of(kantor: Kantor) -> QuerySet[InformasiDibuka]:
    """“Informasi yang sudah tidak dikecualikan” of an office: each entry that ended, when, and
    its announcement (which says why: the revoking decree, or the end of the period)."""
    return (
        InformasiDibuka.objects.filter(kantor=kantor)
        .select_related(
            "entri__document_type",
            "pengumuman__keputusan",
            "pengumuman__revoking",
        )
        .order_by("-opened_at", "-pk")
    )


def opened_records_of(kantor: Kantor) -> QuerySet[InformasiDibuka]:
    """The opened information with what its open-data row shows (grounds, the decrees that had
    established it), in a fixed number of queries; oldest first, after the rows in force."""
    return (
        InformasiDibuka.objects.filter(kantor=kantor)
        .select_related(
            "entri__document_type",
            "entri__period_kind",
            "pengumuman__revoking",
        )
        .prefetch_related(
            Prefetch(
                "entri__legal_grounds",
                queryset=DasarHukum.objects.select_related("regulation").order_by("order", "code"),
            ),
            Prefetch(
                "entri__keputusan",
                queryset=Keputusan.objects.filter(status__in=PUBLIC_DECREE_STATUSES).order_by(
                    "date", "pk"
                ),
                to_attr="decrees",
            ),
        )
        .order_by("opened_at", "pk")
    )


def opened_items_of(kantor: Kantor) -> QuerySet[KeputusanItem]:
    """The information a revoked decree reaching the office designated: open since the
    revocation (the revoked decree and its revoker are on the item)."""
    return (
        KeputusanItem.objects.filter(
            keputusan__in=Keputusan.objects.filter(
                reaching_q(kantor), status=Keputusan.Status.REVOKED
            )
        )
        .select_related("keputusan__revoked_by", "document_type")
        .order_by("-keputusan__revoked_at", "keputusan_id", "order", "pk")
    )


def opened_by_decree(keputusan: Keputusan) -> QuerySet[InformasiDibuka]:
    """What a revoked decree covered and is open since its revocation, in every office."""
    return (
        InformasiDibuka.objects.filter(pengumuman__keputusan=keputusan)
        .select_related("entri__document_type", "kantor", "pengumuman__revoking")
        .order_by("kantor__kode", "entri__title", "pk")
    )


def public_announcements_of(kantor: Kantor) -> QuerySet[Pengumuman]:
    """An office's announcements, with the information each opened (the feed's entries)."""
    return (
        Pengumuman.objects.filter(kantor=kantor)
        .select_related("keputusan", "revoking")
        .prefetch_related(
            Prefetch(
                "informasi",
                queryset=InformasiDibuka.objects.select_related("entri").order_by("pk"),
            )
        )
    )


def public_announcement(slug: str) -> Pengumuman | None:
    return Pengumuman.objects.filter(slug=slug).select_related("kantor").first()


def announcement_contents(pengumuman: Pengumuman) -> dict:
    """What the announcement lists: the office's entries it opened, and the items the revoked
    decree designated (a national decree's information, for every office it reached)."""
    opened = list(
        InformasiDibuka.objects.filter(pengumuman=pengumuman)
        .select_related("entri__document_type")
        .prefetch_related(
            Prefetch(
                "entri__legal_grounds",
                queryset=DasarHukum.objects.select_related("regulation").order_by("order", "code"),
            )
        )
        .order_by("entri__title", "pk")
    )
    items = []
    if pengumuman.keputusan_id:
        items = list(
            KeputusanItem.objects.filter(keputusan_id=pengumuman.keputusan_id)
            .select_related("document_type")
            .order_by("order", "pk")
        )
    return {"opened": opened, "items": items}


def announcement_to_render(pengumuman_id: int) -> Pengumuman | None:
    """For the worker that renders the PDF (the system's own read)."""
    return (
        Pengumuman.objects.filter(pk=pengumuman_id)
        .select_related("kantor", "keputusan", "revoking")
        .first()
    )


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


def with_public_copies(entries: QuerySet[Entri]) -> QuerySet[Entri]:
    """The list pages show each entry's approved redacted copies (`public_copies`, one query
    per page); the open data does not carry them, so it does not read them."""
    return entries.prefetch_related(
        Prefetch("redacted_copies", queryset=public_redacted_copies(), to_attr="public_copies")
    )


def published_dik_of(kantor: Kantor) -> QuerySet[Entri]:
    """The office's own entries in force (those linked to a decree's item included: the entry
    is the office's copy of that information)."""
    return published_dik().filter(kantor=kantor)


def in_force_of(kantor: Kantor) -> QuerySet[Entri]:
    """The office's entries in force without what their rows show: the ids of a list page (the
    rows themselves: publikasi.public_rows, through published_dik_of)."""
    return published_entries().filter(kantor=kantor)


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


def decrees_reaching(user) -> QuerySet[Keputusan]:
    """Decrees of other offices (KPU RI, the provinsi) that reach an office where the user is
    desk or PPID, drafts included: their information is what the office links its own entries
    to. The user's own office's decrees are decrees_visible_to."""
    offices = offices_where(user, DESK_ROLES)
    if not offices:
        return Keputusan.objects.none()
    q = Q(pk__in=[])
    for kantor in Kantor.objects.filter(pk__in=offices):
        q |= reaching_q(kantor)
    return (
        Keputusan.objects.filter(q)
        .exclude(kantor_id__in=offices)
        .select_related("kantor", "revoked_by")
    )


def items_reaching(user) -> QuerySet[KeputusanItem]:
    """The information of the decrees reaching the user's offices (to link an entry to)."""
    return KeputusanItem.objects.filter(keputusan__in=decrees_reaching(user)).select_related(
        "keputusan"
    )


def reached_offices(keputusan: Keputusan) -> list[Kantor]:
    return list(keputusan.jangkauan.order_by("kode"))


def reach_choices(keputusan: Keputusan) -> QuerySet[Kantor]:
    """The offices a decree may name in its reach: under KPU RI every other office, under a
    provinsi its kab/kota."""
    decider = keputusan.kantor
    offices = Kantor.objects.exclude(pk=decider.pk)
    if decider.tingkat != Kantor.Tingkat.RI:
        offices = offices.filter(induk_id=decider.pk)
    return offices.order_by("kode")


def links_of_item_for(user, item: KeputusanItem) -> QuerySet[KaitanItem]:
    """The entries of the user's offices linked to the item (another office's stay hidden)."""
    return KaitanItem.objects.filter(item=item, entri__in=entries_visible_to(user)).select_related(
        "entri", "linked_by"
    )


def linkable_entries(user, keputusan: Keputusan) -> QuerySet[Entri]:
    """The archived (or established) entries of the offices where the user is PPID and the
    decree reaches, not linked to any decree's information yet."""
    offices = [
        pk for pk in offices_where(user, roles_for(Action.ESTABLISH)) if reaches(keputusan, pk)
    ]
    return (
        entries_visible_to(user)
        .filter(
            kantor_id__in=offices,
            state__in=(State.DIARSIPKAN, State.DITETAPKAN),
            decree_item_link__isnull=True,
        )
        .order_by("title", "pk")
    )


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
