"""Every write of the approval step (SOP step 2): submit, decide, withdraw.

Each function locks the entry row first (so two approvers clicking at once are serialised on
it), checks the rules, writes, and moves the entry through dokumen's one transition map, which
writes the transition-log row — all in one transaction. Email goes out after the commit only.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Entri, State
from persetujuan import notifications
from persetujuan.models import Persetujuan, Putaran
from ppid.errors import ActionRefused
from ppid.roles import Role, require_role, required_approver_roles, roles_of

Result = Persetujuan.Result


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def _refuse_for(entri: Entri, exc: ActionRefused) -> ActionRefused:
    """In a batch, say which entry refused the whole action."""
    return ActionRefused(
        _("“%(title)s”: %(reason)s Nothing was changed.") % {"title": entri.title, "reason": exc}
    )


def _lock_many(entri_ids) -> list[Entri]:
    """Lock a batch in primary-key order (no deadlock between two batches); all must exist."""
    try:
        ids = sorted({int(pk) for pk in entri_ids})
    except (TypeError, ValueError):
        raise ActionRefused(_("The selection is not valid.")) from None
    if not ids:
        raise ActionRefused(_("Choose at least one entry."))
    entries = list(Entri.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(entries) != len(ids):
        raise ActionRefused(_("One of the chosen entries does not exist. Nothing was changed."))
    return entries


def open_round(entri: Entri) -> Putaran | None:
    return Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).first()


# ---------------------------------------------------------------- submit


def _submit(entri: Entri, by) -> Putaran:
    require_role(by, Role.PPID)
    if entri.state == State.DIAJUKAN:
        raise ActionRefused(_("This entry is already waiting for approval."))
    number = (Putaran.objects.filter(entri=entri).aggregate(n=Max("number"))["n"] or 0) + 1
    lifecycle.move(
        entri,
        to=State.DIAJUKAN,
        by=by,
        note=_("Submitted for approval (round %(number)s)") % {"number": number},
    )
    try:
        with transaction.atomic():
            return Putaran.objects.create(
                entri=entri,
                number=number,
                content_hash=entri.content_hash(),
                required_roles=[role.value for role in required_approver_roles()],
                opened_by=by,
            )
    except IntegrityError:
        raise ActionRefused(_("This entry already has an open approval round.")) from None


@transaction.atomic
def entri_submit(*, entri_id: int, by) -> Putaran:
    """The PPID asks Pembina PPID, Tim Pertimbangan and Atasan PPID to approve an entry."""
    entri = lifecycle.lock(entri_id)
    putaran = _submit(entri, by)
    notifications.round_opened_on_commit([putaran.pk])
    return putaran


@transaction.atomic
def entries_submit(*, entri_ids, by) -> list[Putaran]:
    """A batch: one round per entry, all or nothing."""
    rounds = []
    for entri in _lock_many(entri_ids):
        try:
            rounds.append(_submit(entri, by))
        except ActionRefused as exc:
            raise _refuse_for(entri, exc) from None
    notifications.round_opened_on_commit([r.pk for r in rounds])
    return rounds


# ---------------------------------------------------------------- decide


def _decide(entri: Entri, *, by, role, result, reason: str) -> Persetujuan:
    try:
        role = Role(role)
    except ValueError:
        raise ActionRefused(_("Unknown role: %(role)s.") % {"role": role}) from None
    try:
        result = Result(result)
    except ValueError:
        raise ActionRefused(_("Choose to approve or to return the entry.")) from None
    reason = (reason or "").strip()

    putaran = Putaran.objects.select_for_update().filter(entri=entri).order_by("-number").first()
    if entri.state != State.DIAJUKAN or putaran is None or putaran.status != Putaran.Status.OPEN:
        raise ActionRefused(_("This entry has no open approval round to decide on."))
    if role.value not in putaran.required_roles:
        raise ActionRefused(
            _("The role %(role)s does not decide in this round.") % {"role": role.value}
        )
    if role not in roles_of(by):
        raise ActionRefused(
            _("You do not hold the role %(role)s, so you cannot decide for it.")
            % {"role": role.value}
        )
    if putaran.opened_by_id == by.pk:
        raise ActionRefused(_("Nobody decides on a round they submitted themselves."))
    decided = {d.role: d for d in putaran.decisions.select_related("by")}
    if role.value in decided:
        earlier = decided[role.value]
        raise ActionRefused(
            _("%(role)s has already decided in this round (%(who)s).")
            % {"role": role.value, "who": _user_name(earlier.by)}
        )
    mine = [d for d in decided.values() if d.by_id == by.pk]
    if mine:
        raise ActionRefused(
            _("You already decided in this round as %(role)s; one person decides in one role only.")
            % {"role": mine[0].role}
        )
    if entri.content_hash() != putaran.content_hash:
        raise ActionRefused(
            _(
                "The entry has changed since it was submitted; the PPID must submit it again before anyone decides."
            )
        )
    if result == Result.RETURN and not reason:
        raise ActionRefused(_("Write the reason for returning the entry."))

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

    now = timezone.now()
    if result == Result.RETURN:
        putaran.status = Putaran.Status.RETURNED
        putaran.closed_at = now
        putaran.close_note = reason
        putaran.save(update_fields=["status", "closed_at", "close_note"])
        lifecycle.move(
            entri,
            to=State.DIKLASIFIKASI,
            by=by,
            note=_("Returned by %(role)s: %(reason)s") % {"role": role.value, "reason": reason},
        )
        notifications.round_closed_on_commit(putaran.pk)
        return decision

    approved = {r for r, d in decided.items() if d.result == Result.APPROVE} | {role.value}
    if set(putaran.required_roles) <= approved:
        putaran.status = Putaran.Status.APPROVED
        putaran.closed_at = now
        putaran.save(update_fields=["status", "closed_at"])
        lifecycle.move(
            entri,
            to=State.DISETUJUI,
            by=by,
            note=_("Approved by every required role (round %(number)s)")
            % {"number": putaran.number},
        )
        notifications.round_closed_on_commit(putaran.pk)
    return decision


@transaction.atomic
def decide(*, entri_id: int, by, role, result, reason: str = "") -> Persetujuan:
    """One role's decision on the entry's open round: approve, or return with a reason.

    The last required approval moves the entry to “approved”; a return sends it back to the
    PPID. The entry row is locked before the decisions are counted: exactly one transition."""
    entri = lifecycle.lock(entri_id)
    return _decide(entri, by=by, role=role, result=result, reason=reason)


def approve(*, entri_id: int, by, role) -> Persetujuan:
    return decide(entri_id=entri_id, by=by, role=role, result=Result.APPROVE)


def return_entri(*, entri_id: int, by, role, reason: str) -> Persetujuan:
    return decide(entri_id=entri_id, by=by, role=role, result=Result.RETURN, reason=reason)


@transaction.atomic
def approve_batch(*, entri_ids, by, role) -> list[Persetujuan]:
    """Approve several entries for one role, all or nothing."""
    decisions = []
    for entri in _lock_many(entri_ids):
        try:
            decisions.append(_decide(entri, by=by, role=role, result=Result.APPROVE, reason=""))
        except ActionRefused as exc:
            raise _refuse_for(entri, exc) from None
    return decisions


# ---------------------------------------------------------------- withdraw


@transaction.atomic
def entri_withdraw(*, entri_id: int, by, note: str = "") -> Putaran:
    """The PPID takes a submitted entry back before its round completes."""
    entri = lifecycle.lock(entri_id)
    require_role(by, Role.PPID)
    putaran = Putaran.objects.select_for_update().filter(entri=entri).order_by("-number").first()
    if entri.state != State.DIAJUKAN or putaran is None or putaran.status != Putaran.Status.OPEN:
        raise ActionRefused(_("Only an entry waiting for approval can be withdrawn."))
    note = (note or "").strip()
    putaran.status = Putaran.Status.WITHDRAWN
    putaran.closed_at = timezone.now()
    putaran.close_note = note
    putaran.save(update_fields=["status", "closed_at", "close_note"])
    text = _("Withdrawn by the PPID (round %(number)s)") % {"number": putaran.number}
    lifecycle.move(entri, to=State.DIKLASIFIKASI, by=by, note=f"{text}: {note}" if note else text)
    return putaran


# ---------------------------------------------------------------- void on edit


def void_after_change(entri: Entri, *, by=None) -> int:
    """The content an approval covered changed: the open round, and an approved round of an
    entry that is no longer approved, become void. Runs inside the edit's transaction."""
    statuses = [Putaran.Status.OPEN]
    if entri.state in (State.DIKUMPULKAN, State.DIKLASIFIKASI, State.DIAJUKAN):
        statuses.append(Putaran.Status.APPROVED)
    if by is None:
        note = _("Void: the entry's content changed after submission.")
    else:
        note = _("Void: the entry's content changed after submission (changed by %(who)s).") % {
            "who": _user_name(by)
        }
    return Putaran.objects.filter(entri=entri, status__in=statuses).update(
        status=Putaran.Status.VOID, closed_at=timezone.now(), close_note=note
    )
