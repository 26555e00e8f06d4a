"""The archive as the office keeps it: rooms, cabinets, shelves, boxes and binders made, renamed
and retired by the desk and the PPID of their office, and the office's archive number format.

Who manages places is who places hardcopies (the lifecycle table's PLACE roles); each change
locks the row read through places_visible_to, and its history row (django-simple-history) names
who did it and why, in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Action, ArchiveCounter, TempatSimpan
from dokumen.selectors import places_visible_to
from ppid.errors import ActionRefused
from ppid.roles import Role, offices_where


def _place_office(by, kantor=None) -> int:
    offices = offices_where(by, lifecycle.roles_for(Action.PLACE))
    if kantor is not None:
        office = getattr(kantor, "pk", kantor)
        lifecycle.require_may_take(by, Action.PLACE, office)
        return office
    if not offices:
        lifecycle.require_may_take(by, Action.PLACE)
    if len(offices) > 1:
        raise ValidationError({"kantor": _("Choose the office this place belongs to.")})
    return offices[0]


def _lock(place_id, by) -> TempatSimpan:
    place = places_visible_to(by).select_for_update().filter(pk=place_id).first()
    if place is None:
        raise ActionRefused(_("This place does not exist or is not available to you."))
    lifecycle.require_may_take(by, Action.PLACE, place.kantor_id)
    return place


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Write the name of the place.")})
    return name


def _save(place: TempatSimpan, *, by, reason: str) -> TempatSimpan:
    place._history_user = by
    place._change_reason = reason[:100]
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("A place with this name is already there: choose another name.")}
        ) from None
    return place


@transaction.atomic
def place_create(
    *, by, level: int, name: str, parent_id: int | None = None, note: str = "", kantor=None
) -> TempatSimpan:
    """A room (no parent), or a cabinet, shelf, box or binder inside the level above it."""
    parent = None
    if parent_id:
        parent = _lock(parent_id, by)
        if parent.retired_at:
            raise ActionRefused(_("A retired place takes nothing new."))
        office = parent.kantor_id
    else:
        office = _place_office(by, kantor)
    place = TempatSimpan(
        kantor_id=office, level=level, parent=parent, name=_clean_name(name), note=note.strip()
    )
    place.full_clean(exclude=["kantor"], validate_unique=False, validate_constraints=False)
    return _save(place, by=by, reason=_("Place made"))


@transaction.atomic
def place_rename(*, place_id: int, by, name: str, note: str | None = None) -> TempatSimpan:
    place = _lock(place_id, by)
    name = _clean_name(name)
    note = place.note if note is None else note.strip()
    if (place.name, place.note) == (name, note):
        return place
    place.name, place.note = name, note
    return _save(place, by=by, reason=_("Place renamed"))


@transaction.atomic
def place_retire(*, place_id: int, by) -> TempatSimpan:
    """No longer used: only once it is empty (no place in use inside, no entry in the binder);
    a retired binder is not offered for placements. Its history stays."""
    place = _lock(place_id, by)
    if place.retired_at:
        return place
    if place.children.filter(retired_at__isnull=True).exists():
        raise ActionRefused(
            _("%(place)s still holds places in use: retire or empty them first.")
            % {"place": place.name}
        )
    if place.entries.exists():
        raise ActionRefused(
            _("%(place)s still holds the hardcopy of entries: move them to another binder first.")
            % {"place": place.name}
        )
    place.retired_at = timezone.now()
    return _save(place, by=by, reason=_("Place retired"))


def archive_format_of(kantor_id: int) -> ArchiveCounter:
    """The office's counter with its format (unsaved defaults for an office without one)."""
    return ArchiveCounter.objects.filter(kantor_id=kantor_id).first() or ArchiveCounter(
        kantor_id=kantor_id
    )


@transaction.atomic
def archive_format_set(
    *, by, kantor_id: int, prefix: str, classification_code: str, with_year: bool, digits: int
) -> ArchiveCounter:
    """The PPID sets how the office writes its archive numbers; numbers already taken keep the
    form they were written in, the running number goes on."""
    if kantor_id not in offices_where(by, {Role.PPID}):
        raise ActionRefused(_("Only the PPID of the office sets its archive number format."))
    ArchiveCounter.objects.get_or_create(kantor_id=kantor_id)
    counter = ArchiveCounter.objects.select_for_update().get(kantor_id=kantor_id)
    counter.prefix = prefix.strip().strip("/")
    counter.classification_code = classification_code.strip().strip("/")
    counter.with_year = bool(with_year)
    counter.digits = digits
    counter.full_clean(exclude=["kantor"])
    counter.save()
    return counter
