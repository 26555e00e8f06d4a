"""Approval rounds follow the entry's moves (dokumen's lifecycle does not know this app).

The one place rounds are opened and closed: entering “diajukan” opens a round bound to the
entry's content, leaving it closes the round as the action says. So an open round exists
exactly while the entry is “diajukan”, whichever path moved it."""

from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Action, Entri, State
from persetujuan.models import Putaran
from persetujuan.selectors import deciding_roles
from ppid.roles import required_approver_roles

CLOSED_BY = {
    Action.WITHDRAW: Putaran.Status.WITHDRAWN,
    Action.RETURN: Putaran.Status.RETURNED,
    Action.APPROVED: Putaran.Status.APPROVED,
    Action.VOID_BY_EDIT: Putaran.Status.VOID,
}


@receiver(lifecycle.moved, dispatch_uid="persetujuan_rounds_follow_moves")
def rounds_follow_moves(sender, entri: Entri, step, from_state, by, note="", **kwargs):
    if step.action == Action.VOID_BY_EDIT:
        note = _void_note(by)
    if step.target == State.DIAJUKAN and from_state != State.DIAJUKAN:
        _open(entri, by)
    elif from_state == State.DIAJUKAN and step.target != State.DIAJUKAN:
        _close(entri, Putaran.Status.OPEN, CLOSED_BY.get(step.action, Putaran.Status.VOID), note)
    if step.action == Action.VOID_BY_EDIT and from_state == State.DISETUJUI:
        # the approval covered content that no longer is the entry's
        _close(entri, Putaran.Status.APPROVED, Putaran.Status.VOID, note)


def _void_note(by) -> str:
    if by is None:
        return _("Void: the entry's content changed after submission.")
    return _("Void: the entry's content changed after submission (changed by %(who)s).") % {
        "who": by.get_full_name() or by.username
    }


def next_round_number(entri: Entri) -> int:
    return (Putaran.objects.filter(entri=entri).aggregate(n=Max("number"))["n"] or 0) + 1


def _open(entri: Entri, by) -> Putaran:
    return Putaran.objects.create(
        entri=entri,
        number=next_round_number(entri),
        content_hash=entri.content_hash(),
        required_roles=[role.value for role in required_approver_roles()],
        opened_by=by,
    )


def _close(entri: Entri, status: str, to: str, note: str) -> None:
    for putaran in Putaran.objects.select_for_update().filter(entri=entri, status=status):
        putaran.status = to
        putaran.closed_at = timezone.now()
        putaran.close_note = note
        putaran.save(update_fields=["status", "closed_at", "close_note"])


def _decides_here(entri: Entri, user) -> str | None:
    """The lifecycle's guard on APPROVE and RETURN: a role of the user waits in the open round."""
    putaran = Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).first()
    if putaran is not None and deciding_roles(user, putaran):
        return None
    return _("There is nothing for you to decide on this entry at the moment.")


lifecycle.add_guard(Action.APPROVE, _decides_here)
lifecycle.add_guard(Action.RETURN, _decides_here)
