"""Every write to an entry: lock the row, check the role, change, log — in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.classification import classification_errors, period_end
from dokumen.models import (
    EDITABLE_STATES,
    ArchiveCounter,
    DasarHukum,
    Entri,
    State,
    TempatSimpan,
)
from dokumen.signals import content_changed
from ppid.errors import ActionRefused
from ppid.roles import Role, has_role, require_role

DESK_FIELDS = ("title", "summary", "holding_unit", "collected_on", "earlier_designation")
CLASSIFICATION_FIELDS = (
    "document_type",
    "other_law",
    "test_material",
    "test_harm",
    "test_law",
    "test_public_interest",
    "test_weighing",
    "test_conclusion",
    "period_kind",
    "period_years",
    "period_wording",
    "period_start",
    "period_review",
)
CLASSIFIED_STATES = (State.DIKLASIFIKASI, State.DIAJUKAN, State.DISETUJUI)


def _grounds_of(entri: Entri) -> list[DasarHukum]:
    return list(entri.legal_grounds.all()) if entri.pk else []


def _require_complete(entri: Entri, grounds) -> None:
    values = {f: getattr(entri, f) for f in CLASSIFICATION_FIELDS}
    errors = classification_errors(values, grounds)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def entri_create(*, by, data: dict) -> Entri:
    """The desk collects an entry on the Formulir (SOP step 1)."""
    require_role(by, Role.DESK, Role.PPID)
    unknown = set(data) - set(DESK_FIELDS)
    if unknown:
        raise ActionRefused(_("Only the information fields are filled when collecting."))
    entri = Entri(collected_by=by, **data)
    entri._history_user = by
    entri.full_clean(exclude=["collected_by"])
    entri.save()
    lifecycle.TransitionLog.objects.create(
        entri=entri, from_state="", to_state=State.DIKUMPULKAN, by=by, note=_("Collected")
    )
    return entri


@transaction.atomic
def entri_update(*, entri_id: int, by, data: dict, legal_grounds=None) -> Entri:
    """Edit an entry. Nothing changed: nothing saved. Content changed after submission: the
    entry returns to “classified” and its round is void (persetujuan listens to the signal)."""
    entri = lifecycle.lock(entri_id)
    require_role(by, Role.DESK, Role.PPID)
    return _apply_changes(entri, by=by, data=data, legal_grounds=legal_grounds)


def ensure_editable(entri: Entri) -> None:
    """Refuse any edit of an entry past approval; views ask before showing the form."""
    if entri.state not in EDITABLE_STATES:
        raise ActionRefused(
            _(
                "An entry that is “%(state)s” is read-only: what a decree fixed changes only by another decree."
            )
            % {"state": entri.get_state_display()}
        )


def _apply_changes(entri: Entri, *, by, data: dict, legal_grounds) -> Entri:
    ensure_editable(entri)
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
    if touches_classification and not has_role(by, Role.PPID):
        raise ActionRefused(_("Only the PPID classifies an entry."))

    old_hash = entri.content_hash()
    for field in changed:
        setattr(entri, field, data[field])
    entri.period_end = period_end(entri.period_kind, entri.period_start, entri.period_years)
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

    new_hash = entri.content_hash()
    if new_hash != old_hash:
        after_content_change(entri, by=by, old_hash=old_hash, new_hash=new_hash)
    return entri


def after_content_change(entri: Entri, *, by, old_hash: str, new_hash: str) -> None:
    """An edit of fields or files: a submitted or approved entry needs a new round."""
    if entri.state in (State.DIAJUKAN, State.DISETUJUI):
        lifecycle.move(
            entri,
            to=State.DIKLASIFIKASI,
            by=by,
            note=_("Changed after submission: the approval round is void, a new round is needed."),
        )
    content_changed.send(sender=Entri, entri=entri, by=by, old_hash=old_hash, new_hash=new_hash)


@transaction.atomic
def entri_classify(*, entri_id: int, by, data: dict | None = None, legal_grounds=None) -> Entri:
    """The PPID classifies a collected entry (SOP step 2): everything required, then the move."""
    entri = lifecycle.lock(entri_id)
    lifecycle.check_move(entri, to=State.DIKLASIFIKASI, by=by)
    if data or legal_grounds is not None:
        entri = _apply_changes(entri, by=by, data=data or {}, legal_grounds=legal_grounds)
    _require_complete(entri, _grounds_of(entri))
    lifecycle.move(entri, to=State.DIKLASIFIKASI, by=by, note=_("Classified"))
    return entri


@transaction.atomic
def entri_return_to_desk(*, entri_id: int, by, note: str = "") -> Entri:
    entri = lifecycle.lock(entri_id)
    lifecycle.move(entri, to=State.DIKUMPULKAN, by=by, note=note or _("Returned to the desk"))
    return entri


def _next_archive_number() -> int:
    counter, _created = ArchiveCounter.objects.get_or_create(pk=1)
    counter = ArchiveCounter.objects.select_for_update().get(pk=1)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def entri_place(*, entri_id: int, by, ordner_id: int) -> Entri:
    """Put the hardcopy in a binder; the first placement takes the next archive number."""
    require_role(by, Role.DESK, Role.PPID)
    entri = lifecycle.lock(entri_id)
    if entri.state == State.TIDAK_BERLAKU:
        raise ActionRefused(_("This entry is no longer exempted; its place is kept as it was."))
    ordner = TempatSimpan.objects.filter(pk=ordner_id, level=TempatSimpan.Level.ORDNER).first()
    if ordner is None:
        raise ActionRefused(_("Choose a binder (ordner) as the hardcopy place."))
    if entri.ordner_id == ordner.pk and entri.archive_number:
        return entri
    entri.ordner = ordner
    if not entri.archive_number:
        entri.archive_number = _next_archive_number()
    entri._history_user = by
    # simple-history keeps at most 100 characters of a reason
    entri._change_reason = (_("Hardcopy placed in %(place)s") % {"place": ordner.path})[:100]
    entri.save(update_fields=["ordner", "archive_number", "updated_at"])
    return entri
