"""Every write of the approval step (SOP step 2): submit, decide, withdraw.

Each function locks the entry row first (so two approvers clicking at once are serialised on
it) through the visibility selector, and takes its action through dokumen's lifecycle table,
which checks the state and the roles and writes the log row — all in one transaction. Rounds
are opened and closed by the receiver of every move (persetujuan/receivers.py), so an open
round exists exactly while the entry is “diajukan”. Email goes out after the commit only.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Action, Entri
from persetujuan import notifications
from persetujuan.models import Persetujuan, Putaran
from persetujuan.receivers import next_round_number
from persetujuan.selectors import deciding_roles, open_round
from ppid.errors import ActionRefused
from ppid.roles import Role, roles_of

Result = Persetujuan.Result


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def _refuse_for(entri: Entri, exc: ActionRefused) -> ActionRefused:
    """In a batch, say which entry refused the whole action (the batch was locked through the
    visibility selector: only entries the user may see are named)."""
    return ActionRefused(
        _("“%(title)s”: %(reason)s Nothing was changed.") % {"title": entri.title, "reason": exc}
    )


# ---------------------------------------------------------------- submit


def _submit(entri: Entri, by, seen_state=None) -> Putaran:
    lifecycle.perform(
        entri,
        Action.SUBMIT,
        by=by,
        note=_("Submitted for approval (round %(number)s)") % {"number": next_round_number(entri)},
        seen_state=seen_state,
    )
    return open_round(entri)


@transaction.atomic
def entri_submit(*, entri_id: int, by, seen_state: str | None = None) -> Putaran:
    """The PPID asks Pembina PPID, Tim Pertimbangan and Atasan PPID to approve an entry."""
    entri = lifecycle.lock(entri_id, by=by)
    putaran = _submit(entri, by, seen_state)
    notifications.round_opened_on_commit([putaran.pk])
    return putaran


@transaction.atomic
def entries_submit(*, entri_ids, by) -> list[Putaran]:
    """A batch: one round per entry, all or nothing."""
    rounds = []
    for entri in lifecycle.lock_many(entri_ids, by=by):
        try:
            rounds.append(_submit(entri, by))
        except ActionRefused as exc:
            raise _refuse_for(entri, exc) from None
    notifications.round_opened_on_commit([r.pk for r in rounds])
    return rounds


# ---------------------------------------------------------------- decide


def _why_not(by, putaran: Putaran, role: Role, kantor_id: int) -> str:
    """The reason a role's decision is refused, in the user's words (the rule itself is
    rounds_awaiting; this only explains its answer)."""
    decided = {d.role: d for d in putaran.decisions.select_related("by")}
    if role.value not in putaran.required_roles:
        return _("The role %(role)s does not decide in this round.") % {"role": role.value}
    if role not in roles_of(by, kantor_id):
        return _("You do not hold the role %(role)s, so you cannot decide for it.") % {
            "role": role.value
        }
    if putaran.opened_by_id == by.pk:
        return _("Nobody decides on a round they submitted themselves.")
    if role.value in decided:
        return _("%(role)s has already decided in this round (%(who)s).") % {
            "role": role.value,
            "who": _user_name(decided[role.value].by),
        }
    mine = [d for d in decided.values() if d.by_id == by.pk]
    if mine:
        return _(
            "You already decided in this round as %(role)s; one person decides in one role only."
        ) % {"role": mine[0].role}
    return _("This decision is not allowed in this round.")


def _decide(entri: Entri, *, by, role, result, reason: str, seen_state=None) -> Persetujuan:
    try:
        role = Role(role)
    except ValueError:
        raise ActionRefused(_("Unknown role: %(role)s.") % {"role": role}) from None
    try:
        result = Result(result)
    except ValueError:
        raise ActionRefused(_("Choose to approve or to return the entry.")) from None
    reason = (reason or "").strip()
    action = Action.APPROVE if result == Result.APPROVE else Action.RETURN

    putaran = open_round(entri)
    if putaran is None or (seen_state and seen_state != entri.state):
        lifecycle.check(entri, action, by, seen_state=seen_state)  # refuses, saying why
    putaran = Putaran.objects.select_for_update().get(pk=putaran.pk)
    if role not in deciding_roles(by, putaran):
        raise ActionRefused(_why_not(by, putaran, role, entri.kantor_id))
    if entri.content_hash() != putaran.content_hash:
        raise ActionRefused(
            _(
                "The entry has changed since it was submitted; the PPID must submit it again before anyone decides."
            )
        )
    if result == Result.RETURN and not reason:
        raise ActionRefused(_("Write the reason for returning the entry."))

    values = {"role": role.value, "number": putaran.number, "reason": reason}
    if result == Result.RETURN:
        note = _("Returned by %(role)s: %(reason)s") % values
    else:
        note = _("Approved as %(role)s (round %(number)s)") % values
    # the action first: its guard asks whether this role still waits, which the decision ends
    lifecycle.perform(entri, action, by=by, note=note)
    try:
        with transaction.atomic():
            decision = Persetujuan.objects.create(
                putaran=putaran,
                role=role.value,
                result=result,
                reason=reason,
                by=by,
                round_opened_by_id=putaran.opened_by_id,
            )
    except IntegrityError:
        # the last line: the database constraints (one per role, one role per person, not the opener)
        raise ActionRefused(_("This decision is not allowed in this round.")) from None

    if result == Result.RETURN:
        _keep_note(putaran, reason)
        notifications.round_closed_on_commit(putaran.pk)
        return decision
    approved = set(putaran.decisions.filter(result=Result.APPROVE).values_list("role", flat=True))
    if set(putaran.required_roles) <= approved:
        lifecycle.perform(
            entri,
            Action.APPROVED,
            by=by,
            note=_("Approved by every required role (round %(number)s)") % values,
        )
        notifications.round_closed_on_commit(putaran.pk)
    return decision


@transaction.atomic
def decide(
    *, entri_id: int, by, role, result, reason: str = "", seen_state: str | None = None
) -> Persetujuan:
    """One role's decision on the entry's open round: approve, or return with a reason.

    The last required approval moves the entry to “approved”; a return sends it back to the
    PPID. The entry row is locked before the decisions are counted: exactly one transition."""
    entri = lifecycle.lock(entri_id, by=by)
    return _decide(entri, by=by, role=role, result=result, reason=reason, seen_state=seen_state)


def approve(*, entri_id: int, by, role, seen_state: str | None = None) -> Persetujuan:
    return decide(entri_id=entri_id, by=by, role=role, result=Result.APPROVE, seen_state=seen_state)


def return_entri(
    *, entri_id: int, by, role, reason: str, seen_state: str | None = None
) -> Persetujuan:
    return decide(
        entri_id=entri_id,
        by=by,
        role=role,
        result=Result.RETURN,
        reason=reason,
        seen_state=seen_state,
    )


@transaction.atomic
def approve_batch(*, entri_ids, by, role) -> list[Persetujuan]:
    """Approve several entries for one role, all or nothing."""
    decisions = []
    for entri in lifecycle.lock_many(entri_ids, by=by):
        try:
            decisions.append(_decide(entri, by=by, role=role, result=Result.APPROVE, reason=""))
        except ActionRefused as exc:
            raise _refuse_for(entri, exc) from None
    return decisions


# ---------------------------------------------------------------- withdraw


@transaction.atomic
def entri_withdraw(*, entri_id: int, by, note: str = "", seen_state: str | None = None) -> Putaran:
    """The PPID takes a submitted entry back before its round completes."""
    entri = lifecycle.lock(entri_id, by=by)
    putaran = open_round(entri)
    note = (note or "").strip()
    text = _("Withdrawn by the PPID (round %(number)s)") % {
        "number": putaran.number if putaran else ""
    }
    lifecycle.perform(
        entri,
        Action.WITHDRAW,
        by=by,
        note=f"{text}: {note}" if note else text,
        seen_state=seen_state,
    )
    _keep_note(putaran, note)
    return putaran


def _keep_note(putaran: Putaran, note: str) -> None:
    """The round keeps the person's own words (the reason, the PPID's note), not the log's."""
    putaran.refresh_from_db()
    putaran.close_note = note
    putaran.save(update_fields=["close_note"])
