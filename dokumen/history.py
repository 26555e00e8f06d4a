"""The history of an entry as a person reads it: who changed which field from what to what, when.

Built from django-simple-history's rows of the entry (its legal grounds included) and of its files,
with a fixed number of queries however long the history is.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dokumen.models import Berkas, DasarHukum, Entri, TempatSimpan

# bookkeeping, not content: shown elsewhere or not at all
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "state_changed_at", "state_action"}
# where the hardcopy is: shown only to those who see places (dokumen.selectors.sees_places)
PLACE_FIELDS = {"ordner", "archive_number", "archive_label"}
# uploads of several files in one go arrive as separate requests; one event shows them together
FILE_BATCH_WINDOW = datetime.timedelta(minutes=5)
EMPTY = "—"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEvent:
    at: datetime.datetime
    user: object | None
    summary: str
    changes: list[FieldChange] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = "entri"

    @property
    def user_name(self) -> str:
        if self.user is None:
            return _("system")
        return self.user.get_full_name() or self.user.get_username()


def entri_history(entri: Entri, *, with_places: bool) -> list[HistoryEvent]:
    """Every recorded change of the entry and of its files, newest first; the hardcopy place
    and archive number only `with_places`."""
    events = _entri_events(entri, with_places=with_places) + _file_events(entri)
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# ------------------------------------------------------------------ the entry's own rows


def _tracked_fields(*, with_places: bool) -> list[models.Field]:
    history_model = Entri.history.model
    names = {f.name for f in history_model._meta.get_fields()}
    hidden = HIDDEN_FIELDS if with_places else HIDDEN_FIELDS | PLACE_FIELDS
    return [f for f in Entri._meta.concrete_fields if f.name in names and f.name not in hidden]


def _entri_events(entri: Entri, *, with_places: bool) -> list[HistoryEvent]:
    records = list(
        entri.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not records:
        return []
    fields = _tracked_fields(with_places=with_places)
    related = _related_objects(records, fields)
    grounds = _grounds_per_record(records)

    events = []
    previous = None
    for record in records:
        if previous is None:
            summary = _("Entry created") if record.history_type == "+" else _("Entry changed")
            events.append(
                HistoryEvent(
                    at=record.history_date,
                    user=record.history_user,
                    summary=summary,
                    reason=record.history_change_reason or "",
                )
            )
        else:
            changes = [
                FieldChange(
                    label=capfirst(f.verbose_name),
                    old=_display(f, getattr(previous, f.attname), related),
                    new=_display(f, getattr(record, f.attname), related),
                )
                for f in fields
                if getattr(previous, f.attname) != getattr(record, f.attname)
            ]
            old_grounds = grounds.get(previous.history_id, [])
            new_grounds = grounds.get(record.history_id, [])
            if old_grounds != new_grounds:
                changes.append(
                    FieldChange(
                        label=capfirst(Entri._meta.get_field("legal_grounds").verbose_name),
                        old="; ".join(old_grounds) or EMPTY,
                        new="; ".join(new_grounds) or EMPTY,
                    )
                )
            if changes:
                events.append(
                    HistoryEvent(
                        at=record.history_date,
                        user=record.history_user,
                        summary=_("Entry changed"),
                        changes=changes,
                        reason=record.history_change_reason or "",
                    )
                )
        previous = record
    return events


def _related_objects(records, fields) -> dict:
    """Names of the objects foreign keys point to, one query per related model."""
    related: dict = {}
    for f in fields:
        if not f.is_relation:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        if not ids:
            continue
        model = f.related_model
        queryset = model._base_manager.all()
        if model is TempatSimpan:
            queryset = queryset.select_related("parent__parent__parent__parent")
        related[f.name] = queryset.in_bulk(ids)
    return related


def _grounds_per_record(records) -> dict[int, list[str]]:
    """The legal grounds each history row holds, as citations in the reference order."""
    m2m_model = apps.get_model("dokumen", "HistoricalEntri_legal_grounds")
    rows = list(
        m2m_model.objects.filter(history__in=[r.history_id for r in records]).values_list(
            "history_id", "dasarhukum_id"
        )
    )
    grounds = (
        DasarHukum.objects.filter(pk__in={g for _h, g in rows})
        .select_related("regulation")
        .in_bulk()
    )
    per_record: dict[int, list[DasarHukum]] = {}
    for history_id, ground_id in rows:
        if ground_id in grounds:
            per_record.setdefault(history_id, []).append(grounds[ground_id])
    return {
        history_id: [g.citation for g in sorted(items, key=lambda g: (g.order, g.code))]
        for history_id, items in per_record.items()
    }


def _display(f: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        obj = related.get(f.name, {}).get(value)
        if obj is None:
            return f"#{value}"
        if isinstance(obj, get_user_model()):
            return obj.get_full_name() or obj.get_username()
        return str(obj)
    if f.name == "archive_number":
        return Entri(archive_number=value).archive_code
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


# ------------------------------------------------------------------ the files of the entry


def _file_events(entri: Entri) -> list[HistoryEvent]:
    records = Berkas.history.filter(entri_id=entri.pk).select_related("history_user")
    last_seen: dict[int, object] = {}
    single = []  # (at, user, action, file label)
    for record in records.order_by("history_date", "history_id"):
        before = last_seen.get(record.id)
        last_seen[record.id] = record
        label = f"{record.original_name} ({record.get_kind_display()})"
        if record.history_type == "+":
            action = "added"
        elif record.history_type == "-":
            action = "removed"
        elif before is None:
            continue
        elif before.removed_at is None and record.removed_at is not None:
            action = "removed"
        elif before.removed_at is not None and record.removed_at is None:
            action = "restored"
        elif before.kind != record.kind:
            action = "kind"
            label = _("%(name)s: from “%(old)s” to “%(new)s”") % {
                "name": record.original_name,
                "old": before.get_kind_display(),
                "new": record.get_kind_display(),
            }
        else:
            continue
        single.append((record.history_date, record.history_user, action, label))

    events: list[HistoryEvent] = []
    group_action, group_last = None, None
    for at, user, action, label in single:
        current = events[-1] if events else None
        if (
            current is not None
            and group_action == action
            and current.user == user
            and at - group_last <= FILE_BATCH_WINDOW
        ):
            current.files.append(label)
        else:
            events.append(HistoryEvent(at=at, user=user, summary="", files=[label], kind="berkas"))
            group_action = action
        group_last = at
        events[-1].summary = _file_summary(group_action, len(events[-1].files))
    return events


def _file_summary(action: str, n: int) -> str:
    if action == "added":
        return ngettext("%(n)d file added", "%(n)d files added", n) % {"n": n}
    if action == "removed":
        return ngettext("%(n)d file removed", "%(n)d files removed", n) % {"n": n}
    if action == "restored":
        return ngettext("%(n)d file restored", "%(n)d files restored", n) % {"n": n}
    return ngettext("Kind of %(n)d file changed", "Kind of %(n)d files changed", n) % {"n": n}
