"""What the approval sheet (lembar persetujuan) shows: only rounds that still cover the entry.

A void round is never shown, nor a round bound to content that has since changed (say a
returned round with one approval, after the PPID edited the entry): the sheet never shows an
approval of content other than the entry's current content. What such a round was returned
for is still shown — who returned it, when and why — since it is the history of the content
now on the sheet. The sheet ends with a place to sign for the PPID and for every role whose
approval the round requires."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch

from dokumen.models import Entri
from persetujuan.models import Persetujuan, Putaran
from ppid.roles import Role


@dataclass
class SignaturePlace:
    role: str
    name: str = ""  # blank: a line to write the name on
    at: datetime | None = None


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
        earlier = [r for r in entri.sheet_rounds if r.content_hash != content_hash]
        returned = [r for r in earlier if r.status == Putaran.Status.RETURNED]
        sheets.append(
            {
                "entri": entri,
                "content_hash": content_hash,
                "rounds": [{"round": r, "rows": round_rows(r)} for r in current],
                "returned_rounds": [
                    {
                        "round": r,
                        "returns": [
                            d for d in r.decisions.all() if d.result == Persetujuan.Result.RETURN
                        ],
                    }
                    for r in returned
                ],
                "hidden_rounds": len(earlier) - len(returned),
            }
        )
    return sheets


def signature_places(sheets: list[dict], *, ppid_officer: str = "") -> list[SignaturePlace]:
    """The PPID first, then each required role of the rounds on the sheet (the configured
    roles when no round is shown): the person who decided for it in an entry's latest round
    and when, or a blank place when nobody has yet. In a batch decided by several members of
    one role, each gets a place."""
    latest = [s["rounds"][-1]["round"] for s in sheets if s["rounds"]]
    roles = list(dict.fromkeys(role for r in latest for role in r.required_roles))
    if not roles:
        roles = list(settings.DIK_REQUIRED_APPROVER_ROLES)
    places = [SignaturePlace(role=Role.PPID.value, name=ppid_officer)]
    for role in roles:
        deciders: dict[int, SignaturePlace] = {}
        for putaran in latest:
            for d in putaran.decisions.all():
                if d.role != role:
                    continue
                place = deciders.setdefault(
                    d.by_id,
                    SignaturePlace(role=role, name=d.by.get_full_name() or d.by.username),
                )
                place.at = max(place.at, d.at) if place.at else d.at
        places.extend(deciders.values() or [SignaturePlace(role=role)])
    return places
