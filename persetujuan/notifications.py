"""Email about approval rounds: queued for the worker after the transaction that changed them
commits, so a decision never waits for the mail server (and a mail failure never undoes it)."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from persetujuan.models import Putaran
from ppid.roles import Role


def member_emails(role: str, *, exclude_ids=()) -> list[str]:
    """Addresses of the active members of a role (a Django group) who have one."""
    users = (
        get_user_model()
        .objects.filter(groups__name=role, is_active=True)
        .exclude(email="")
        .exclude(pk__in=list(exclude_ids))
        .order_by("pk")
        .distinct()
    )
    return list(users.values_list("email", flat=True))


def round_opened_on_commit(round_ids: list[int]) -> None:
    if round_ids:
        ids = list(round_ids)
        transaction.on_commit(lambda: send_round_opened.enqueue(ids), robust=True)


def round_closed_on_commit(round_id: int) -> None:
    transaction.on_commit(lambda: send_round_closed.enqueue(round_id), robust=True)


def _entry_path(entri) -> str:
    return reverse("meja:entri_detail", args=[entri.pk])


@task
def send_round_opened(round_ids: list[int]) -> None:
    """One message per required role, to its members, listing the entries waiting for it."""
    rounds = list(
        Putaran.objects.filter(pk__in=round_ids, status=Putaran.Status.OPEN)
        .select_related("entri", "opened_by")
        .order_by("entri__title", "pk")
    )
    per_role = defaultdict(list)
    for putaran in rounds:
        for role in putaran.required_roles:
            per_role[role].append(putaran)
    with translation.override(settings.LANGUAGE_CODE):
        for role, role_rounds in per_role.items():
            openers = {r.opened_by_id for r in role_rounds}
            recipients = member_emails(role, exclude_ids=openers)
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
            send_mail(subject, "\n".join(lines), None, recipients)


@task
def send_round_closed(round_id: int) -> None:
    """Tell the PPID(s) that a round was approved by every role, or returned with a reason."""
    putaran = (
        Putaran.objects.filter(pk=round_id).select_related("entri").prefetch_related("decisions")
    ).first()
    if putaran is None or putaran.status not in (
        Putaran.Status.APPROVED,
        Putaran.Status.RETURNED,
    ):
        return
    recipients = member_emails(Role.PPID.value)
    if not recipients:
        return
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
        send_mail(subject, "\n".join(body), None, recipients)
