"""The approval section of the entry page (registered with dokumen.panels): the rounds and the
decision forms of a role that still waits for this user. (A return and its reason are shown
at the top of the entry page, from the entry's log.)"""

from django.template.loader import render_to_string

from dokumen import lifecycle
from dokumen.models import Action
from persetujuan.forms import ApproveForm, ReturnForm
from persetujuan.models import Putaran
from persetujuan.selectors import deciding_roles, decisions_prefetch
from persetujuan.sheet import round_rows
from ppid.roles import roles_of


def entri_panel(request, entri) -> str | None:
    user = request.user
    rounds = list(
        entri.rounds.select_related("opened_by")
        .prefetch_related(decisions_prefetch())
        .order_by("-number")
    )
    can_submit = lifecycle.refusal(entri, Action.SUBMIT, user) is None
    if not rounds and not can_submit:
        return None

    latest = rounds[0] if rounds else None
    current = latest if latest and latest.status == Putaran.Status.OPEN else None
    deciding = deciding_roles(user, current) if current else []
    why_not = ""
    if (
        current
        and not deciding
        and {r.value for r in roles_of(user, entri.kantor_id)} & set(current.required_roles)
    ):
        why_not = "opener" if current.opened_by_id == user.pk else "decided"
    context = {
        "entri": entri,
        "rounds": [{"round": r, "rows": round_rows(r)} for r in rounds],
        "current": current,
        "approve_form": ApproveForm(roles=deciding, auto_id="setujui_%s") if deciding else None,
        "return_form": ReturnForm(roles=deciding, auto_id="kembalikan_%s") if deciding else None,
        "why_not": why_not,
        "has_sheet": any(r.status != Putaran.Status.VOID for r in rounds),
    }
    return render_to_string("persetujuan/_panel.html", context, request=request)
