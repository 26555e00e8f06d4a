"""What the approval sheet (lembar persetujuan) shows: only rounds that still cover the entry.

A void round is never shown, nor a round bound to content that has since changed (say a
returned round with one approval, after the PPID edited the entry): the sheet never shows an
approval of content other than the entry's current content."""

from django.db.models import Prefetch

from dokumen.models import Entri
from persetujuan.models import Persetujuan, Putaran


def round_rows(putaran: Putaran) -> list[tuple[str, Persetujuan | None]]:
    """Each required role with its decision in the round (None: not decided)."""
    decided = {d.role: d for d in putaran.decisions.all()}
    return [(role, decided.get(role)) for role in putaran.required_roles]


def sheet_entries(entries) -> list[dict]:
    order = [e.pk for e in entries]
    rounds = Prefetch(
        "rounds",
        queryset=Putaran.objects.exclude(status=Putaran.Status.VOID)
        .select_related("opened_by")
        .prefetch_related(Prefetch("decisions", queryset=Persetujuan.objects.select_related("by")))
        .order_by("number"),
        to_attr="sheet_rounds",
    )
    full = {
        e.pk: e
        for e in Entri.objects.filter(pk__in=order)
        .select_related("document_type", "period_kind")
        .prefetch_related("legal_grounds__regulation", rounds)
    }
    sheets = []
    for pk in order:
        entri = full[pk]
        content_hash = entri.content_hash()
        current = [r for r in entri.sheet_rounds if r.content_hash == content_hash]
        sheets.append(
            {
                "entri": entri,
                "content_hash": content_hash,
                "rounds": [{"round": r, "rows": round_rows(r)} for r in current],
                "hidden_rounds": len(entri.sheet_rounds) - len(current),
            }
        )
    return sheets
