"""Every permission-filtered read of entries and files: one rule per thing, used by every path.

Every rule is scoped by office: a user reads the rows of the offices where they hold a role
that reads them, and of no other (another office's row is a 404, like a missing one)."""

import dataclasses

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, FloatField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dokumen.models import (
    AccessLog,
    Berkas,
    Entri,
    SalinanSamaran,
    State,
    TeksBerkas,
    TeksEntri,
    TempatSimpan,
)
from ppid.roles import APPROVER_ROLES, DESK_ROLES, Role, offices_where

# Approvers see what the PPID has classified, and nothing the desk is still collecting.
APPROVER_VISIBLE_STATES = [s for s in State if s not in (State.DIKUMPULKAN,)]


def entries_visible_to(user) -> QuerySet[Entri]:
    desk = offices_where(user, DESK_ROLES)
    approving = offices_where(user, APPROVER_ROLES)
    if not desk and not approving:
        return Entri.objects.none()
    seen = Q(kantor_id__in=desk) if desk else Q(pk__in=[])
    if approving:
        seen |= Q(kantor_id__in=approving, state__in=APPROVER_VISIBLE_STATES)
    return Entri.objects.filter(seen)


def files_visible_to(user, *, entri_ids=None) -> QuerySet[Berkas]:
    """The files the user may open; with `entri_ids`, of those entries only. Those entries are
    checked first (one small query) and their files read by the ids found: told the ids, the
    database counts their files from its statistics, where joined to the office's entries it
    guessed 2 files for 1,375 at 1M entries and read every one's words instead of the index."""
    if not getattr(user, "is_authenticated", False):
        return Berkas.objects.none()
    entries = entries_visible_to(user)
    if entri_ids is not None:
        entries = list(entries.filter(pk__in=list(entri_ids)).values_list("pk", flat=True))
    return Berkas.objects.active().filter(entri__in=entries)


def redacted_copies_visible_to(user) -> QuerySet[SalinanSamaran]:
    """Redacted copies, for the staff who see their entry (the public reads only approved copies
    of entries in force, through publikasi's selector)."""
    if not getattr(user, "is_authenticated", False):
        return SalinanSamaran.objects.none()
    return SalinanSamaran.objects.filter(entri__in=entries_visible_to(user)).select_related(
        "entri", "made_by", "approved_by"
    )


def places_visible_to(user) -> QuerySet[TempatSimpan]:
    """Hardcopy places, and with them archive numbers, are for the desk and the PPID of their
    office only."""
    offices = offices_where(user, DESK_ROLES)
    if not offices:
        return TempatSimpan.objects.none()
    return TempatSimpan.objects.filter(kantor_id__in=offices)


def sees_places(user, kantor=None) -> bool:
    """places_visible_to has the places of this office (of any office, without one): the
    hardcopy card, the archive number and the place's history are shown (the same condition,
    asked without a query)."""
    offices = offices_where(user, DESK_ROLES)
    return bool(offices) if kantor is None else getattr(kantor, "pk", kantor) in offices


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
    """Who read which private file: for the PPID of the file's office."""
    offices = offices_where(user, {Role.PPID})
    if not offices:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(kantor_id__in=offices).select_related("user", "berkas")


# ---------------------------------------------------------------- the text of files (staff search)

SEARCH_CONFIG = "indonesian"  # PostgreSQL's built-in configuration: Indonesian stemming
SNIPPET_WORDS = 18
SNIPPETS_PER_ENTRY = 3


def file_texts_visible_to(user, *, entri_ids=None) -> QuerySet[TeksBerkas]:
    """The text of exactly the files the user may open (files_visible_to: their offices, the
    states their role sees, no removed file); with `entri_ids`, of those entries' files only
    (narrowed inside the selector, so the database reads those files, not the office's)."""
    return TeksBerkas.objects.filter(berkas__in=files_visible_to(user, entri_ids=entri_ids))


def entry_words_visible_to(user) -> QuerySet[TeksEntri]:
    """The words of the files of the entries the user sees: those are made of the entry's
    active files only, each of which files_visible_to gives such a user."""
    return TeksEntri.objects.filter(entri__in=entries_visible_to(user))


def entries_with_words(user, words: str) -> QuerySet[TeksEntri]:
    """Visible entries whose files hold the words (PostgreSQL), each with `rank`: the match and
    its rank read one row per entry (TeksEntri), however many files the entry has."""
    query = file_text_query(words.strip())
    return (
        entry_words_visible_to(user)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
    )


def _postgresql(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def file_text_query(words: str) -> SearchQuery:
    """The words as typed (quotes, "or", -word as a web search engine reads them)."""
    return SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")


def file_texts_matching(user, words: str, *, entri_ids=None) -> QuerySet[TeksBerkas]:
    """Visible file texts (of those entries, with `entri_ids`) that contain the words, with
    their `rank`: full-text search with Indonesian stemming on PostgreSQL (GIN index), the
    words as written on SQLite."""
    words = words.strip()
    if not words:
        return TeksBerkas.objects.none()
    # after the check: with entri_ids, the selector reads the visible ones among them at once
    texts = file_texts_visible_to(user, entri_ids=entri_ids).filter(status=TeksBerkas.Status.DONE)
    if not _postgresql(texts):
        return texts.filter(text__icontains=words).annotate(rank=Value(1.0, FloatField()))
    query = file_text_query(words)
    return texts.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


@dataclasses.dataclass
class Snippet:
    """Where the words were found in one file: its id, name and a few words around them."""

    berkas_id: int
    name: str
    headline: str  # the found words between \x01 and \x02 (control characters never stored)

    @property
    def html(self) -> SafeString:
        text = escape(self.headline)
        return mark_safe(text.replace("\x01", "<mark>").replace("\x02", "</mark>"))


def file_text_snippets(user, words: str, *, entri_ids) -> dict[int, list[Snippet]]:
    """For each of these entries, the snippets of its best SNIPPETS_PER_ENTRY visible files
    that contain the words, best first (ts_headline on PostgreSQL, drawn for those files
    only): two queries for one page of results, the entries checked and their snippets."""
    matching = file_texts_matching(user, words, entri_ids=entri_ids)
    best = matching.annotate(
        place=Window(
            RowNumber(), partition_by=[F("berkas__entri_id")], order_by=[F("rank").desc(), "pk"]
        )
    ).filter(place__lte=SNIPPETS_PER_ENTRY)
    texts = (
        matching.filter(pk__in=best.values("pk"))
        .select_related("berkas")
        .only("berkas__id", "berkas__entri_id", "berkas__original_name")
        .order_by("berkas__entri_id", "-rank", "pk")
    )
    if _postgresql(texts):
        texts = texts.annotate(
            headline=SearchHeadline(
                "text",
                file_text_query(words.strip()),
                config=SEARCH_CONFIG,
                start_sel="\x01",
                stop_sel="\x02",
                max_words=SNIPPET_WORDS,
                min_words=8,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    else:
        texts = texts.only("berkas__id", "berkas__entri_id", "berkas__original_name", "text")
    found: dict[int, list[Snippet]] = {}
    for row in texts:
        headline = row.headline if hasattr(row, "headline") else _plain_headline(row.text, words)
        found.setdefault(row.berkas.entri_id, []).append(
            Snippet(row.berkas_id, row.berkas.original_name, headline)
        )
    return found


def _plain_headline(text: str, words: str, around: int = 60) -> str:
    """SQLite: the words as written, with some text either side."""
    at = text.lower().find(words.strip().lower())
    if at < 0:
        return text[: around * 2]
    end = at + len(words.strip())
    start = max(at - around, 0)
    return (
        ("… " if start else "")
        + text[start:at]
        + "\x01"
        + text[at:end]
        + "\x02"
        + text[end : end + around]
        + (" …" if end + around < len(text) else "")
    )
