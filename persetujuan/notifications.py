"""Email about approval rounds: written into the outbox (ppid/surel.py) in the transaction that
changes the round, and sent by the worker after the commit, so a decision never waits for the
mail server, a mail failure never undoes it, and a failed send is tried again."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from persetujuan.models import Putaran
from ppid.models import Surel
from ppid.roles import Role
from ppid.surel import queue_sending_on_commit, write_mail


def member_emails(role: str, *, kantor_id: int, exclude_ids=()) -> list[str]:
    """Addresses of the active members who hold `role` in the office, and have one."""
    users = (
        get_user_model()
        .objects.filter(penugasan__role=role, penugasan__kantor_id=kantor_id, is_active=True)
        .exclude(email="")
        .exclude(pk__in=list(exclude_ids))
        .order_by("pk")
        .distinct()
    )
    return list(users.values_list("email", flat=True))


def round_opened_on_commit(round_ids: list[int]) -> None:
    """Call inside the transaction that opened the rounds; the mail leaves after the commit."""
    if round_ids:
        queue_sending_on_commit([m.pk for m in write_round_opened_mail(list(round_ids))])


def round_closed_on_commit(round_id: int) -> None:
    """Call inside the transaction that closed the round; the mail leaves after the commit."""
    queue_sending_on_commit([m.pk for m in write_round_closed_mail(round_id)])


def _entry_path(entri) -> str:
    return reverse("meja:entri_detail", args=[entri.pk])


def write_round_opened_mail(round_ids: list[int]) -> list[Surel]:
    """One message per required role, to its members, listing the entries waiting for it."""
    rounds = list(
        Putaran.objects.filter(pk__in=round_ids, status=Putaran.Status.OPEN)
        .select_related("entri", "opened_by")
        .order_by("entri__title", "pk")
    )
    mail = []
    per_role = defaultdict(list)  # (office, role) → rounds: each office's members only
    for putaran in rounds:
        for role in putaran.required_roles:
            per_role[(putaran.entri.kantor_id, role)].append(putaran)
    with translation.override(settings.LANGUAGE_CODE):
        for (kantor_id, role), role_rounds in per_role.items():
            openers = {r.opened_by_id for r in role_rounds}
            recipients = member_emails(role, kantor_id=kantor_id, exclude_ids=openers)
            if not recipients:
                continue
            if len(role_rounds) == 1:
                subject = _("[DIK] Waiting for your approval: %(title)s") % {
                    "title": role_rounds[0].entri.title
                }
            else:
                subject = _("[DIK] %(count)s entries wait for your approval") % {
                    "count": len(role_rounds)
                }
            lines = [
                _("The PPID submitted entries of the DIK for approval by %(role)s:")
                % {"role": role},
                "",
            ]
            for putaran in role_rounds:
                lines.append(
                    _("- %(title)s (round %(number)s): %(path)s")
                    % {
                        "title": putaran.entri.title,
                        "number": putaran.number,
                        "path": _entry_path(putaran.entri),
                    }
                )
            lines += [
                "",
                _("Your review queue: %(path)s") % {"path": reverse("persetujuan:antrean")},
            ]
            mail.append(
                write_mail(subject=subject, body="\n".join(lines), to=recipients, kantor=kantor_id)
            )
    return mail


def write_round_closed_mail(round_id: int) -> list[Surel]:
    """Tell the PPID(s) that a round was approved by every role, or returned with a reason."""
    putaran = (
        Putaran.objects.filter(pk=round_id).select_related("entri").prefetch_related("decisions")
    ).first()
    if putaran is None or putaran.status not in (
        Putaran.Status.APPROVED,
        Putaran.Status.RETURNED,
    ):
        return []
    recipients = member_emails(Role.PPID.value, kantor_id=putaran.entri.kantor_id)
    if not recipients:
        return []
    entri = putaran.entri
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": entri.title, "number": putaran.number, "path": _entry_path(entri)}
        if putaran.status == Putaran.Status.APPROVED:
            subject = _("[DIK] Approved: %(title)s") % values
            body = [
                _(
                    "Every required role approved round %(number)s of the entry “%(title)s”. It can now be archived."
                )
                % values
            ]
        else:
            returned = [d for d in putaran.decisions.all() if d.result == "kembalikan"]
            subject = _("[DIK] Returned: %(title)s") % values
            body = [_("Round %(number)s of the entry “%(title)s” was returned.") % values]
            for decision in returned:
                body.append(
                    _("%(role)s gave this reason: %(reason)s")
                    % {"role": decision.role, "reason": decision.reason}
                )
        body += ["", _("The entry: %(path)s") % values]
        return [
            write_mail(subject=subject, body="\n".join(body), to=recipients, kantor=entri.kantor_id)
        ]
