"""The archive (SOP step 3): binders and what they hold, their spine labels and contents lists."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen.archive import (
    archive_range,
    binders_visible_to,
    entri_archive,
    entries_in_binders,
)
from dokumen.models import TempatSimpan
from dokumen.selectors import entries_visible_to, places_visible_to
from ppid.errors import ActionRefused
from ppid.pdf import pdf_response
from ppid.roles import desk_required


class Node:
    """A place in the tree with its children and, for a binder, the entries it holds."""

    def __init__(self, place: TempatSimpan):
        self.place = place
        self.children: list[Node] = []
        self.entries: list = []

    @property
    def is_binder(self) -> bool:
        return self.place.level == TempatSimpan.Level.ORDNER

    @property
    def range(self) -> str:
        return archive_range(self.entries)


@desk_required
def index(request):
    """The whole tree ruang → lemari → rak → boks → ordner in two queries, whatever its size."""
    nodes = {p.pk: Node(p) for p in places_visible_to(request.user).order_by("level", "name")}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.place.parent_id)
        (parent.children if parent else roots).append(node)
    for entri in entries_in_binders(request.user):
        nodes[entri.ordner_id].entries.append(entri)
    return render(request, "dokumen/arsip/index.html", {"roots": roots})


def _binder(request, pk: int):
    ordner = get_object_or_404(binders_visible_to(request.user), pk=pk)
    entries = list(entries_in_binders(request.user).filter(ordner=ordner))
    return ordner, entries


@desk_required
def ordner(request, pk: int):
    ordner, entries = _binder(request, pk)
    return render(
        request,
        "dokumen/arsip/ordner.html",
        {
            "ordner": ordner,
            "path": ordner.path,
            "entries": entries,
            "range": archive_range(entries),
        },
    )


def _ancestors(place: TempatSimpan) -> list[TempatSimpan]:
    chain, node = [], place.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@desk_required
def label(request, pk: int):
    """The binder-spine label: office, place, archive numbers; large enough to read on a shelf."""
    ordner, entries = _binder(request, pk)
    context = {
        "ordner": ordner,
        "ancestors": _ancestors(ordner),
        "entries": entries,
        "range": archive_range(entries),
    }
    return pdf_response(
        "pdf/label_ordner.html",
        context,
        f"label-ordner-{ordner.pk}.pdf",
        request,
        kantor=ordner.kantor,
    )


@desk_required
def contents(request, pk: int):
    """The contents list kept at the front of the binder."""
    ordner, entries = _binder(request, pk)
    context = {
        "ordner": ordner,
        "path": ordner.path,
        "entries": entries,
        "range": archive_range(entries),
    }
    return pdf_response(
        "pdf/isi_ordner.html", context, f"isi-ordner-{ordner.pk}.pdf", request, kantor=ordner.kantor
    )


@require_POST
@desk_required
def archive(request, pk: int):
    entri = get_object_or_404(entries_visible_to(request.user), pk=pk)
    try:
        entri = entri_archive(entri_id=entri.pk, by=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The entry is archived: %(place)s, archive no. %(number)s.")
            % {"place": entri.ordner.path, "number": entri.archive_code},
        )
    return redirect("meja:entri_detail", pk=pk)
