"""The entry's lifecycle: one table of named actions, and the one entry point that takes them.

Every permission check, button and log row of an entry comes from ACTIONS:
- `perform(entri, action, by=…)` takes an action on an entry the caller locked with `lock()`
  inside its transaction: it re-checks the state and the actor's roles, changes the state and
  writes the transition-log row (the action by name, actor, from, to, note);
- `refusal(entri, action, by)` says why an action is not possible now (None when it is);
- `actions_for(entri, user)` is what a user may do now, the main step first: every button,
  panel flag and form is derived from it.

Actors: a user (through the roles held in the entry's office), SYSTEM (a command, a migration)
and ByDecree (a published or revoked decree moving the entries of other offices that follow
it, on behalf of the decree: the log row names the decree and its publisher).

Other apps add conditions of their own to an action with `add_guard` (persetujuan: only a role
still waiting in the open round decides) and follow each move through the `moved` signal
(persetujuan opens and closes approval rounds on it), so dokumen knows neither of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen.models import Action, Entri, State, TransitionLog
from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.roles import (
    APPROVER_ROLES,
    DESK_ROLES,
    Role,
    ordered,
    redacted_copy_approver_roles,
    required_approver_roles,
    roles_of,
)

SYSTEM = None  # the actor of what the system does by itself (end of period, data repair)
NEW = None  # the "state" of an entry that does not exist yet (collect)

ALL_STATES = frozenset(State)
EDITABLE = frozenset({State.DIKUMPULKAN, State.DIKLASIFIKASI})
# what an approval covers may still change here; the change voids the round (VOID_BY_EDIT)
UNDER_APPROVAL = frozenset({State.DIAJUKAN, State.DISETUJUI})
PPID = frozenset({Role.PPID})


@dataclass(frozen=True)
class ByDecree:
    """The actor of what a published or revoked decree does to the entries that follow it in
    other offices: the system, on behalf of the decree. The log row names the decree and the
    person who published (or revoked) it; dokumen knows the decree only by its name."""

    decree: str
    publisher: object  # the user who published or revoked the decree

    def __str__(self) -> str:
        return self.decree


@dataclass(frozen=True)
class Step:
    """One row of the table: an action, the states it starts from, where it leads, who takes it."""

    action: Action
    sources: frozenset
    target: State | None  # None: the state stays as it is
    roles: frozenset[Role] | Callable[[], frozenset[Role]]  # a callable: read from settings
    system: bool = False  # a command or a migration takes it, without a person
    by_decree: bool = False  # a decree takes it on the entries that follow it (ByDecree)
    offered: bool = True  # a button of its own; False: the consequence of another action
    logged: bool = True  # writes a transition-log row (edits and files have their history)
    read_only_past: bool = False  # refused later in the lifecycle because a decree fixed it

    @property
    def label(self) -> str:
        return str(self.action.label)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(self.roles() if callable(self.roles) else self.roles)


def deciders() -> frozenset[Role]:
    """Who decides in approval rounds: the approver roles, and any role the office configured
    as required (DIK_REQUIRED_APPROVER_ROLES)."""
    return frozenset(APPROVER_ROLES) | frozenset(required_approver_roles())


# The order is the order of the buttons: the step that moves the entry on comes first.
ACTIONS: dict[Action, Step] = {
    step.action: step
    for step in (
        Step(Action.COLLECT, frozenset({NEW}), State.DIKUMPULKAN, DESK_ROLES, offered=False),
        Step(Action.CLASSIFY, frozenset({State.DIKUMPULKAN}), State.DIKLASIFIKASI, PPID),
        Step(Action.SUBMIT, frozenset({State.DIKLASIFIKASI}), State.DIAJUKAN, PPID),
        Step(Action.APPROVE, frozenset({State.DIAJUKAN}), None, deciders),
        Step(Action.RETURN, frozenset({State.DIAJUKAN}), State.DIKLASIFIKASI, deciders),
        Step(
            Action.APPROVED,
            frozenset({State.DIAJUKAN}),
            State.DISETUJUI,
            deciders,
            offered=False,
        ),
        Step(Action.ARCHIVE, frozenset({State.DISETUJUI}), State.DIARSIPKAN, PPID),
        # the usulan app's proposal up the chain (usulan.services.usulan_send) takes it
        Step(Action.PROPOSE, frozenset({State.DISETUJUI, State.DIARSIPKAN}), None, PPID),
        Step(Action.WITHDRAW, frozenset({State.DIAJUKAN}), State.DIKLASIFIKASI, PPID),
        Step(
            Action.EDIT,
            EDITABLE | UNDER_APPROVAL,
            None,
            DESK_ROLES,
            logged=False,
            read_only_past=True,
        ),
        Step(
            Action.VOID_BY_EDIT,
            UNDER_APPROVAL,
            State.DIKLASIFIKASI,
            DESK_ROLES,
            offered=False,
        ),
        Step(
            Action.RETURN_TO_DESK,
            frozenset({State.DIKLASIFIKASI}),
            State.DIKUMPULKAN,
            PPID,
        ),
        Step(
            Action.UPLOAD,
            EDITABLE | UNDER_APPROVAL,
            None,
            DESK_ROLES,
            logged=False,
            read_only_past=True,
        ),
        Step(
            Action.REMOVE_FILE,
            EDITABLE | UNDER_APPROVAL,
            None,
            DESK_ROLES,
            logged=False,
            read_only_past=True,
        ),
        Step(
            Action.PLACE,
            ALL_STATES - {State.TIDAK_BERLAKU},
            None,
            DESK_ROLES,
            logged=False,
        ),
        Step(Action.PRINT, ALL_STATES, None, DESK_ROLES, logged=False),
        # a redacted public copy (dokumen.samaran): the PPID's, while the entry is exempted
        Step(Action.ADD_REDACTED, ALL_STATES - {State.TIDAK_BERLAKU}, None, PPID),
        # its approval, by the roles the office configured (DIK_REDACTED_COPY_APPROVER_ROLES)
        Step(
            Action.APPROVE_REDACTED,
            ALL_STATES - {State.DIKUMPULKAN, State.TIDAK_BERLAKU},
            None,
            redacted_copy_approver_roles,
        ),
        Step(
            Action.ESTABLISH,
            frozenset({State.DIARSIPKAN}),
            State.DITETAPKAN,
            PPID,
            offered=False,
            by_decree=True,
        ),
        Step(
            Action.REVOKE,
            frozenset({State.DITETAPKAN}),
            State.TIDAK_BERLAKU,
            PPID,
            offered=False,
            by_decree=True,
        ),
        # impor.services: a row of an office's existing list becomes an entry in the state the
        # list says (collected, or established by a decree the office already published)
        Step(Action.IMPORT, frozenset({NEW}), None, PPID, offered=False),
        Step(
            Action.END,
            frozenset({State.DITETAPKAN}),
            State.TIDAK_BERLAKU,
            frozenset(),
            system=True,
            offered=False,
        ),
    )
}
# Action.REPAIR has no row: only a data migration writes it, as the system, into the log.

# action → [fn(entri, user) -> refusal message or None], added by other apps
_guards: dict[Action, list[Callable]] = {}

# Sent inside the transaction after every move: entri (locked, in its new state), step,
# from_state, by, log (the TransitionLog row). persetujuan opens and closes rounds on it.
moved = Signal()


def add_guard(action: Action, guard: Callable) -> None:
    guards = _guards.setdefault(Action(action), [])
    if guard not in guards:
        guards.append(guard)


def _has_a_file(entri, by) -> str | None:
    if entri is not None and entri.pk and entri.files.active().exists():
        return None
    return _("This entry has no file to remove.")


add_guard(Action.REMOVE_FILE, _has_a_file)


def _has_a_copy_to_approve(entri, by) -> str | None:
    if entri is not None and entri.pk and entri.redacted_copies.filter(approved_at=None).exists():
        return None
    return _("This entry has no redacted copy waiting for approval.")


add_guard(Action.APPROVE_REDACTED, _has_a_copy_to_approve)


def roles_for(action: Action) -> frozenset[Role]:
    return ACTIONS[Action(action)].role_set


def may_take(user, action: Action, kantor=None) -> bool:
    """Does the user hold a role that takes this action in some state, in `kantor` (in any
    office without one: menus, page access)?"""
    return bool(roles_of(user, kantor) & roles_for(action))


def require_may_take(user, action: Action, kantor=None) -> None:
    """For pages and records around an action (a decree's draft, its channels): the user holds
    a role that takes it (in `kantor`, where given)."""
    if not may_take(user, action, kantor):
        raise ActionRefused(_role_refusal(ACTIONS[Action(action)]))


def _role_refusal(step: Step) -> str:
    return _("“%(action)s” needs the role: %(roles)s.") % {
        "action": step.label,
        "roles": ", ".join(role.value for role in ordered(step.role_set)),
    }


def _state_of(entri) -> State | None:
    if entri is None or entri.pk is None:
        return NEW
    return State(entri.state)


def refusal(entri: Entri | None, action: Action, by) -> str | None:
    """Why `by` may not take `action` on `entri` now, in the user's words; None when they may."""
    step = ACTIONS.get(Action(action))
    if step is None:
        return _("“%(action)s” is not an action a user can take.") % {
            "action": Action(action).label
        }
    if not _holds(step, by, entri):
        if by is SYSTEM:
            return _("“%(action)s” needs a person to take it.") % {"action": step.label}
        if isinstance(by, ByDecree):
            return _("“%(action)s” is not taken by a decree.") % {"action": step.label}
        return _role_refusal(step)
    if _state_of(entri) not in step.sources:
        return _state_refusal(entri, step, by)
    for guard in _guards.get(step.action, ()):
        message = guard(entri, by)
        if message:
            return message
    return None


def _holds(step: Step, by, entri) -> bool:
    """The actor holds one of the step's roles in the entry's office (an entry not saved yet
    carries the office it will belong to)."""
    if by is SYSTEM:
        return step.system
    if isinstance(by, ByDecree):
        return step.by_decree
    office = getattr(entri, "kantor_id", None) if entri is not None else None
    return bool(roles_of(by, office) & step.role_set) if office else False


def _allows(entri, step: Step, by) -> bool:
    """refusal() is None, without composing any message."""
    return (
        _holds(step, by, entri)
        and _state_of(entri) in step.sources
        and not any(guard(entri, by) for guard in _guards.get(step.action, ()))
    )


def _state_refusal(entri, step: Step, by) -> str:
    if _state_of(entri) is NEW:
        return _("“%(action)s” is taken on an entry that has been collected.") % {
            "action": step.label
        }
    if step.read_only_past and State(entri.state) not in EDITABLE | UNDER_APPROVAL:
        message = _(
            "An entry that is “%(state)s” is read-only: what a decree fixed changes only by another decree."
        ) % {"state": State(entri.state).label}
    else:
        message = _("This entry is now “%(state)s”, so “%(action)s” is not possible.") % {
            "state": State(entri.state).label,
            "action": step.label,
        }
    return _and_what_can_be_done(message, entri, by)


def _and_what_can_be_done(message: str, entri, by) -> str:
    """A refusal says what to do instead: the actions the user may take on the entry now."""
    possible = [s.label for s in actions_for(entri, by)] if by is not SYSTEM else []
    if possible:
        return f"{message} " + _("What you can do now: %(actions)s.") % {
            "actions": ", ".join(possible)
        }
    return f"{message} " + _("There is nothing for you to do on it now.")


def check(entri: Entri | None, action: Action, by, *, seen_state: str | None = None) -> Step:
    """Raise ActionRefused unless `by` may take `action` now; `seen_state` is the state the
    user's page showed (a stale tab, the back button, a double submit are refused cleanly)."""
    if seen_state and entri is not None and seen_state != entri.state:
        raise ActionRefused(_stale(entri, action, by, seen_state))
    message = refusal(entri, action, by)
    if message:
        raise ActionRefused(message)
    return ACTIONS[Action(action)]


def _stale(entri, action, by, seen_state: str) -> str:
    try:
        seen = State(seen_state).label
    except ValueError:
        seen = seen_state
    message = _(
        "Nothing was changed: since your page was opened, this entry went from “%(seen)s” to “%(state)s”."
    ) % {"seen": seen, "state": State(entri.state).label}
    return _and_what_can_be_done(message, entri, by)


def perform(
    entri: Entri, action: Action, *, by, note: str = "", seen_state: str | None = None
) -> TransitionLog | None:
    """Take an action on an entry locked by the caller's transaction: check, move, log."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("perform() must run inside the service's transaction")
    step = check(entri, action, by, seen_state=seen_state)
    from_state = entri.state
    decree = by if isinstance(by, ByDecree) else None
    person = SYSTEM if decree else by
    log = None
    if step.logged:
        log = TransitionLog.objects.create(
            entri=entri,
            action=step.action,
            from_state=from_state,
            to_state=step.target or from_state,
            by=person,
            by_decree=decree.decree if decree else "",
            decree_publisher=decree.publisher if decree else None,
            note=note,
        )
    if step.target is not None and step.target != from_state:
        entri.state = step.target
        entri.state_changed_at = log.at if log else timezone.now()
        entri.state_action = step.action
        entri._history_user = person
        entri._change_reason = note[:100] if note else step.label[:100]
        entri.save(update_fields=["state", "state_changed_at", "state_action", "updated_at"])
    if step.target is not None:
        moved.send(
            sender=Entri, entri=entri, step=step, from_state=from_state, by=by, log=log, note=note
        )
    return log


def log_created(entri: Entri, *, by, note: str = "") -> TransitionLog:
    """The first row of an entry's log: it was collected (the entry was created by COLLECT)."""
    return TransitionLog.objects.create(
        entri=entri,
        action=Action.COLLECT,
        from_state="",
        to_state=entri.state,
        by=by,
        note=note,
    )


def log_imported(entries: list[Entri], *, by, notes: list[str]) -> list[TransitionLog]:
    """The first row of the log of entries brought in from a list (IMPORT), one per entry, in
    one insert; each entry was checked with check(entri, Action.IMPORT, by) before it was
    saved, and its note names the file and the row it came from."""
    at = timezone.now()
    return TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                entri=entri,
                action=Action.IMPORT,
                from_state="",
                to_state=entri.state,
                by=by,
                at=at,
                note=note,
            )
            for entri, note in zip(entries, notes, strict=True)
        ],
        batch_size=1000,
    )


def actions_for(entri: Entri, user) -> list[Step]:
    """The actions `user` may take on `entri` now, in the table's order (the main one first)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [step for step in ACTIONS.values() if step.offered and _allows(entri, step, user)]


def can(entri: Entri, user) -> dict[str, Step]:
    """actions_for as a mapping by the action's name, for templates: {% if can.ajukan %}."""
    return {step.action.value: step for step in actions_for(entri, user)}


def lock(entri_id: int, *, by) -> Entri:
    """The entry's row, locked for the caller's transaction, read through the visibility
    selector: an entry the actor may not see is refused exactly like one that does not exist."""
    # the system and a decree read the entries they act on, not through a person's visibility
    queryset = (
        Entri.objects.all() if by is SYSTEM or isinstance(by, ByDecree) else entries_visible_to(by)
    )
    entri = queryset.select_for_update().filter(pk=entri_id).first()
    if entri is None:
        raise ActionRefused(_("This entry does not exist or is not available to you."))
    return entri


def lock_many(entri_ids, *, by) -> list[Entri]:
    """A batch locked in primary-key order (no deadlock between two batches), through the
    visibility selector; one missing or hidden id refuses the whole batch, saying the same."""
    try:
        ids = sorted({int(pk) for pk in entri_ids})
    except (TypeError, ValueError):
        raise ActionRefused(_("The selection is not valid.")) from None
    if not ids:
        raise ActionRefused(_("Choose at least one entry."))
    entries = list(entries_visible_to(by).select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(entries) != len(ids):
        raise ActionRefused(
            _(
                "One of the chosen entries does not exist or is not available to you. Nothing was changed."
            )
        )
    return entries
