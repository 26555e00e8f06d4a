"""The one search of entries: the public DIK, the staff list and the review queue all call
`search_entries`; what the search covers (and its indexes) is decided here only.

On PostgreSQL: full-text search with the built-in `indonesian` configuration (Snowball stemming:
"pengecualian" finds "dikecualikan"), over one weighted document per entry, ranked; each word
also matches as a prefix ("kecuali" finds "kecualian"). Partial words and numbers ("12/2024",
"ktp") match through pg_trgm trigram indexes on the title and the summary. The weighted document
is a stored generated column of dokumen_entri (`search_document`, PostgreSQL computes it on every
write; migration dokumen/0010, from `document_sql()` below) with a GIN index: neither the match
nor the rank recomputes it per row (tests/test_search.py checks the plans with EXPLAIN). Django's
model does not know the column; `StoredDocument` names it in a query.

The document's weights keep the public search to what the public page shows: title (A) and the
harm of the consequence test (B) are public; the summary (C) and the other parts of the test (D)
are searched by the staff only. Elsewhere (SQLite under `make run`): a plain case-insensitive
`contains` over the same fields.

The staff search (a `user` given) also finds entries by the text of their files: on
PostgreSQL through the one row of words per entry (`dokumen.selectors.entries_with_words`:
the vectors of the entry's active files put together, GIN-indexed, read only for the entries
that user sees), so the cost is that of the entry's own search whatever the files number;
elsewhere the file texts plainly (`file_texts_matching`). A match in the entry itself ranks
first, by its own rank; an entry found by its files only, by the rank of its files' words. The
public search never reads file text.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

CONFIG = "indonesian"
MAX_WORDS = 8  # a pasted paragraph does not become a query of a hundred terms
MIN_PARTIAL = 3  # trigram indexes serve a partial match from three characters

WEIGHTED_FIELDS = {
    "A": ("title",),
    "B": ("test_harm",),
    "C": ("summary",),
    "D": ("test_material", "test_law", "test_public_interest", "test_weighing"),
}
# partial matches (trigram indexes): short fields where numbers and codes are written
PARTIAL_FIELDS = {"public": ("title",), "staff": ("title", "summary")}
WEIGHTS = {"public": "AB", "staff": "ABCD"}
PUBLIC = "public"
STAFF = "staff"


def document_sql() -> str:
    """The generation expression of the column `search_document` (immutable, as PostgreSQL
    requires): one tsvector, each field group with its weight."""
    parts = []
    for weight, fields in WEIGHTED_FIELDS.items():
        text = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
        parts.append(f"setweight(to_tsvector('{CONFIG}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


class StoredDocument(Expression):
    """The column `search_document` of the entry table, under whatever alias the query gives
    the table (a subquery relabels it, as it does Django's own columns)."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f'{compiler.quote_name(self.alias)}."search_document"', []


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:MAX_WORDS]


def _tsquery(text: str, scope: str) -> SearchQuery | None:
    """Every word (stemmed, as a prefix) in one of the scope's weights."""
    terms = words(text)
    if not terms:
        return None
    raw = " & ".join(f"{term}:*{WEIGHTS[scope]}" for term in terms)
    return SearchQuery(raw, search_type="raw", config=CONFIG)


def _partial_match(text: str, scope: str) -> Q:
    if len(text) < MIN_PARTIAL:
        return Q(pk__in=[])
    match = Q()
    for field in PARTIAL_FIELDS[scope]:
        match |= Q(**{f"{field}__icontains": text})
    return match


def _plain_match(text: str, scope: str) -> Q:
    fields = [f for weight in WEIGHTS[scope] for f in WEIGHTED_FIELDS[weight]]
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__icontains": text})
    return match


def search_entries(queryset: QuerySet, text: str, *, scope: str = STAFF, user=None) -> QuerySet:
    """The entries of `queryset` matching `text`, each with `search_rank` (higher: better);
    with `user` (staff scope only), also the entries whose files that user may open hold the
    words.

    The caller orders: `ranked(queryset)` puts the best first."""
    text = text.strip()
    if not text:
        return queryset.annotate(search_rank=Value(0.0))
    if connection.vendor != "postgresql":
        own, rank = _plain_match(text, scope), Value(0.0)
    else:
        query = _tsquery(text, scope)
        own = _partial_match(text, scope)
        rank = Value(0.0)
        if query is not None:
            own = Q(search_document=query) | own
            queryset = queryset.alias(search_document=StoredDocument())
            rank = SearchRank(F("search_document"), query)
    if user is None or scope != STAFF:
        return queryset.filter(own).annotate(search_rank=rank)
    in_files, file_rank = _found_in_files(user, text)
    # a match in the entry itself first, by its own rank; the others by their files' words,
    # which are read for those entries only (an entry's words are a large value: ranking every
    # entry of an office by them cost 20 ms of a search that all its titles match)
    return queryset.filter(own | in_files).annotate(
        search_rank=Case(
            When(own, then=Value(1.0) + rank), default=file_rank, output_field=FloatField()
        )
    )


def _found_in_files(user, text: str) -> tuple[Q, Expression]:
    """Which entries the user finds by their files' text, and the rank that adds. PostgreSQL:
    one row of words per entry (TeksEntri, GIN-indexed), read through its selector; elsewhere
    the file texts themselves, plainly."""
    from dokumen import selectors  # the selectors know nothing of search

    if connection.vendor != "postgresql":
        texts = selectors.file_texts_matching(user, text)
        return Q(pk__in=texts.values("berkas__entri_id")), Value(0.0)
    found = selectors.entries_with_words(user, text)
    rank = found.filter(entri=OuterRef("pk")).values("rank")[:1]
    return (
        Q(pk__in=found.values("entri_id")),
        Coalesce(Subquery(rank, output_field=FloatField()), Value(0.0)),
    )


def ranked(queryset: QuerySet) -> QuerySet:
    """Best match first, then the newest entry (a stable order for the pages)."""
    return queryset.order_by("-search_rank", "-pk")
