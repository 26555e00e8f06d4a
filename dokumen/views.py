from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from dokumen import panels
from dokumen.berkas_views import files_section
from dokumen.models import State
from dokumen.selectors import can_edit_entries, entries_visible_to


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
    return render(request, "dokumen/beranda.html", {"per_state": per_state})


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
            **files_section(request, entri),
        },
    )
