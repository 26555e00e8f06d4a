import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import panels
from dokumen.models import State
from dokumen.selectors import can_edit_entries, entries_visible_to
from ppid.roles import Role, has_role, required_approver_roles


def desk_required(view):
    """Login first; then only the desk and the PPID (others get 403, nothing else)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_edit_entries(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@desk_required
def beranda(request):
    counts = dict(
        entries_visible_to(request.user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    per_state = [(state, counts.get(state.value, 0)) for state in State]
    return render(
        request,
        "dokumen/beranda.html",
        {"per_state": per_state, **time_standard(request.user, counts)},
    )


COLLECTION_STANDARD_DAYS = 14  # SOP step 1: weeks 1 to 2
OPEN_STATES = (
    State.DIKUMPULKAN,
    State.DIKLASIFIKASI,
    State.DIAJUKAN,
    State.DISETUJUI,
    State.DIARSIPKAN,
)
AGE_LIST_LIMIT = 50


def waits_on(state: State) -> tuple[str, str]:
    """Who the next step of an entry in `state` waits on, and what that step is."""
    approvers = ", ".join(role.value for role in required_approver_roles())
    return {
        State.DIKUMPULKAN: (
            f"{Role.DESK.value}, {Role.PPID.value}",
            _("collection, then classification"),
        ),
        State.DIKLASIFIKASI: (Role.PPID.value, _("submission for approval")),
        State.DIAJUKAN: (approvers, _("approval")),
        State.DISETUJUI: (Role.PPID.value, _("files, binder and archiving")),
        State.DIARSIPKAN: (_("KPU RI, then the PPID"), _("the decree and its publication")),
    }[state]


def time_standard(user, counts: dict) -> dict:
    """SOP time standard: each open entry's age in its step, late collection flagged (two queries)."""
    now, today = timezone.now(), timezone.localdate()
    entries = list(
        entries_visible_to(user)
        .filter(state__in=OPEN_STATES)
        .only("pk", "title", "state", "state_changed_at", "collected_on")
        .order_by("state_changed_at", "pk")[:AGE_LIST_LIMIT]
    )
    for entri in entries:
        entri.days_in_step = (now - entri.state_changed_at).days
        entri.collection_late = (
            entri.state == State.DIKUMPULKAN
            and (today - entri.collected_on).days > COLLECTION_STANDARD_DAYS
        )
    open_total = sum(counts.get(state.value, 0) for state in OPEN_STATES)
    waiting = []
    if has_role(user, Role.PPID):
        for state in OPEN_STATES:
            who, step = waits_on(state)
            waiting.append((state, counts.get(state.value, 0), who, step))
    return {
        "aging": entries,
        "aging_more": max(open_total - len(entries), 0),
        "late_collections": entries_visible_to(user)
        .filter(
            state=State.DIKUMPULKAN,
            collected_on__lt=today - datetime.timedelta(days=COLLECTION_STANDARD_DAYS),
        )
        .count(),
        "collection_standard_days": COLLECTION_STANDARD_DAYS,
        "waiting_on": waiting,
    }


@login_required
def entri_detail(request, pk: int):
    """One entry, for everyone who may see it (the selector decides; 404 otherwise)."""
    entri = get_object_or_404(
        entries_visible_to(request.user).select_related(
            "document_type", "period_kind", "collected_by", "ordner__parent__parent__parent__parent"
        ),
        pk=pk,
    )
    return render(
        request,
        "dokumen/entri_detail.html",
        {
            "entri": entri,
            "grounds": entri.legal_grounds.select_related("regulation"),
            "transitions": entri.transitions.select_related("by"),
            "can_edit": can_edit_entries(request.user) and not entri.is_read_only,
            "panels": panels.render(request, entri),
        },
    )
