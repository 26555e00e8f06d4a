"""The one transition map of an entry, and the one function that moves an entry along it.

Callers (services) lock the row first; `move` checks the map and the actor's role, changes the
state and writes the transition-log row, all inside the caller's transaction.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen.models import Entri, State, TransitionLog
from ppid.errors import ActionRefused
from ppid.roles import APPROVER_ROLES, Role, roles_of

SYSTEM = None  # actor of changes the system makes by itself (end of period)

# (from, to) → roles that may take it; SYSTEM in the set lets a command take it without a user.
TRANSITIONS: dict[tuple[State, State], frozenset] = {
    (State.DIKUMPULKAN, State.DIKLASIFIKASI): frozenset({Role.PPID}),
    (State.DIKLASIFIKASI, State.DIKUMPULKAN): frozenset({Role.PPID}),
    (State.DIKLASIFIKASI, State.DIAJUKAN): frozenset({Role.PPID}),
    # returned by an approver, withdrawn by the PPID, or edited while submitted
    (State.DIAJUKAN, State.DIKLASIFIKASI): frozenset({Role.PPID, Role.DESK, *APPROVER_ROLES}),
    (State.DIAJUKAN, State.DISETUJUI): frozenset(APPROVER_ROLES),
    # an edit after approval needs a new round
    (State.DISETUJUI, State.DIKLASIFIKASI): frozenset({Role.PPID, Role.DESK}),
    (State.DISETUJUI, State.DIARSIPKAN): frozenset({Role.PPID}),
    (State.DIARSIPKAN, State.DITETAPKAN): frozenset({Role.PPID}),
    (State.DITETAPKAN, State.TIDAK_BERLAKU): frozenset({Role.PPID, SYSTEM}),
}


def allowed_targets(state: str) -> list[State]:
    return [to for (frm, to) in TRANSITIONS if frm == state]


def check_move(entri: Entri, *, to: State, by) -> None:
    """Raise ActionRefused unless `by` may move `entri` to `to` now."""
    key = (State(entri.state), State(to))
    if key not in TRANSITIONS:
        raise ActionRefused(
            _("An entry that is “%(frm)s” cannot become “%(to)s”: the SOP order must be followed.")
            % {"frm": State(entri.state).label, "to": State(to).label}
        )
    allowed = TRANSITIONS[key]
    if by is SYSTEM:
        if SYSTEM not in allowed:
            raise ActionRefused(_("This change needs a person to make it."))
        return
    if not roles_of(by) & allowed:
        names = sorted(str(role.value) for role in allowed if role is not SYSTEM)
        raise ActionRefused(
            _("Moving an entry from “%(frm)s” to “%(to)s” needs the role: %(roles)s.")
            % {"frm": key[0].label, "to": key[1].label, "roles": ", ".join(names)}
        )


def move(entri: Entri, *, to: State, by, note: str = "") -> TransitionLog:
    """Move a locked entry; the caller holds the transaction and the row lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move() must run inside the service's transaction")
    check_move(entri, to=to, by=by)
    log = TransitionLog.objects.create(
        entri=entri, from_state=entri.state, to_state=to, by=by, note=note
    )
    entri.state = to
    entri.state_changed_at = timezone.now()
    entri._history_user = by
    entri._change_reason = note[:100] if note else ""
    entri.save(update_fields=["state", "state_changed_at", "updated_at"])
    return log


def lock(entri_id: int) -> Entri:
    return Entri.objects.select_for_update().get(pk=entri_id)
