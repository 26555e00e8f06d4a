"""Every write to an entry: lock the row, check the action, change, log — in one transaction.

Which action is allowed, in which state and for whom, is the table in dokumen/lifecycle.py.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.classification import classification_errors, period_end
from dokumen.models import (
    APPROVED_FIELDS,
    Action,
    ArchiveCounter,
    DasarHukum,
    Entri,
    State,
    TempatSimpan,
)
from dokumen.selectors import places_visible_to
from ppid.errors import ActionRefused
from ppid.roles import offices_where

# What the desk fills on the Formulir, and what the PPID adds; together, what an approval covers.
DESK_FIELDS = ("title", "summary", "holding_unit", "collected_on", "earlier_designation")
CLASSIFICATION_FIELDS = tuple(
    f.removesuffix("_id") for f in APPROVED_FIELDS if f.removesuffix("_id") not in DESK_FIELDS
)
CLASSIFIED_STATES = (State.DIKLASIFIKASI, State.DIAJUKAN, State.DISETUJUI)


def _grounds_of(entri: Entri) -> list[DasarHukum]:
    return list(entri.legal_grounds.all()) if entri.pk else []


def _require_complete(entri: Entri, grounds) -> None:
    values = {f: getattr(entri, f) for f in CLASSIFICATION_FIELDS}
    errors = classification_errors(values, grounds)
    if errors:
        raise ValidationError(errors)


def collecting_office(by, kantor=None):
    """The office an entry is collected for: the one given, else the one office where the
    user collects (someone serving several offices chooses)."""
    if kantor is not None:
        return getattr(kantor, "pk", kantor)
    offices = offices_where(by, lifecycle.roles_for(Action.COLLECT))
    if len(offices) > 1:
        raise ValidationError({"kantor": _("Choose the office this entry is collected for.")})
    return offices[0] if offices else None


@transaction.atomic
def entri_create(*, by, data: dict, kantor=None) -> Entri:
    """The desk collects an entry on the Formulir (SOP step 1), for its office."""
    unknown = set(data) - set(DESK_FIELDS)
    if unknown:
        raise ActionRefused(_("Only the information fields are filled when collecting."))
    entri = Entri(
        collected_by=by,
        state_action=Action.COLLECT,
        kantor_id=collecting_office(by, kantor),
        **data,
    )
    lifecycle.check(entri, Action.COLLECT, by)
    entri._history_user = by
    entri.full_clean(exclude=["collected_by"])
    entri.save()
    lifecycle.log_created(entri, by=by, note=_("Collected"))
    return entri


@transaction.atomic
def entri_update(
    *, entri_id: int, by, data: dict, legal_grounds=None, seen_state: str | None = None
) -> Entri:
    """Edit an entry. Nothing changed: nothing saved. What an approval covers changed while
    the entry is submitted or approved: its round is void (VOID_BY_EDIT), a new one is needed."""
    entri = lifecycle.lock(entri_id, by=by)
    lifecycle.check(entri, Action.EDIT, by, seen_state=seen_state)
    return _apply_changes(entri, by=by, data=data, legal_grounds=legal_grounds)


def _apply_changes(entri: Entri, *, by, data: dict, legal_grounds) -> Entri:
    unknown = set(data) - set(DESK_FIELDS) - set(CLASSIFICATION_FIELDS)
    if unknown:
        raise ActionRefused(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )

    changed = [field for field, value in data.items() if getattr(entri, field) != value]
    old_grounds = _grounds_of(entri)
    new_grounds = old_grounds if legal_grounds is None else list(legal_grounds)
    grounds_changed = {g.pk for g in new_grounds} != {g.pk for g in old_grounds}
    if not changed and not grounds_changed:
        return entri

    touches_classification = grounds_changed or any(f in CLASSIFICATION_FIELDS for f in changed)
    if touches_classification and not lifecycle.may_take(by, Action.CLASSIFY, entri.kantor_id):
        raise ActionRefused(_("Only the PPID classifies an entry."))

    old_hash = entri.content_hash()
    for field in changed:
        setattr(entri, field, data[field])
    entri.period_end = period_end(entri.period_kind, entri.period_start, entri.period_years)
    entri.full_clean(
        exclude=["collected_by", "legal_grounds", "ordner", "kantor"], validate_unique=False
    )
    if entri.state in CLASSIFIED_STATES:
        _require_complete(entri, new_grounds)

    entri._history_user = by
    if grounds_changed:
        # set() may remove and add: each would write a history row of its own. Set the grounds
        # quietly; the save below then records fields and grounds as one row of history.
        entri.skip_history_when_saving = True
        try:
            entri.legal_grounds.set(new_grounds)
        finally:
            del entri.skip_history_when_saving
    entri.save()

    if entri.content_hash() != old_hash:
        after_content_change(entri, by=by)
    return entri


def after_content_change(entri: Entri, *, by) -> None:
    """An edit of fields or files changed what an approval covers: a submitted or approved
    entry's round is void and the entry is classified again (persetujuan voids the round)."""
    if entri.state in lifecycle.UNDER_APPROVAL:
        lifecycle.perform(
            entri,
            Action.VOID_BY_EDIT,
            by=by,
            note=_("Changed after submission: the approval round is void, a new round is needed."),
        )


@transaction.atomic
def entri_classify(
    *,
    entri_id: int,
    by,
    data: dict | None = None,
    legal_grounds=None,
    seen_state: str | None = None,
) -> Entri:
    """The PPID classifies a collected entry (SOP step 2): everything required, then the move."""
    entri = lifecycle.lock(entri_id, by=by)
    lifecycle.check(entri, Action.CLASSIFY, by, seen_state=seen_state)
    if data or legal_grounds is not None:
        entri = _apply_changes(entri, by=by, data=data or {}, legal_grounds=legal_grounds)
    _require_complete(entri, _grounds_of(entri))
    lifecycle.perform(entri, Action.CLASSIFY, by=by, note=_("Classified"))
    return entri


@transaction.atomic
def entri_return_to_desk(
    *, entri_id: int, by, note: str = "", seen_state: str | None = None
) -> Entri:
    entri = lifecycle.lock(entri_id, by=by)
    lifecycle.perform(
        entri,
        Action.RETURN_TO_DESK,
        by=by,
        note=note or _("Returned to the desk"),
        seen_state=seen_state,
    )
    return entri


def _next_archive_number(kantor_id: int) -> tuple[int, str]:
    """The office's next archive number and how the office writes it: its counter row is
    locked until the transaction ends, so two placements at once never take the same number;
    numbers run per office."""
    ArchiveCounter.objects.get_or_create(kantor_id=kantor_id)
    counter = ArchiveCounter.objects.select_for_update().get(kantor_id=kantor_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, counter.code_for(counter.last_number, timezone.localdate().year)


@transaction.atomic
def entri_place(*, entri_id: int, by, ordner_id: int) -> Entri:
    """Put the hardcopy in a binder; the first placement takes the next archive number."""
    entri = lifecycle.lock(entri_id, by=by)
    lifecycle.check(entri, Action.PLACE, by)
    ordner = (
        places_visible_to(by)
        .filter(pk=ordner_id, level=TempatSimpan.Level.ORDNER, retired_at__isnull=True)
        .first()
    )
    if ordner is None:
        raise ActionRefused(_("Choose a binder (ordner) as the hardcopy place."))
    if entri.ordner_id == ordner.pk and entri.archive_number:
        return entri
    entri.ordner = ordner
    if not entri.archive_number:
        entri.archive_number, entri.archive_label = _next_archive_number(entri.kantor_id)
    entri._history_user = by
    # the place itself is in the field's history, which only those who see places are shown
    entri._change_reason = _("Hardcopy placed")
    entri.save(update_fields=["ordner", "archive_number", "archive_label", "updated_at"])
    return entri
