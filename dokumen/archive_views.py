"""The archive (SOP step 3): binders and what they hold, their spine labels and contents lists."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dokumen import places
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
from ppid.roles import Role, desk_required, offices_where


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


# ---------------------------------------------------------------- managing the places


class PlaceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class NumberFormatForm(forms.Form):
    prefix = forms.CharField(label=gettext_lazy("Prefix"), max_length=30, required=False)
    classification_code = forms.CharField(
        label=gettext_lazy("Classification code"), max_length=30, required=False
    )
    with_year = forms.BooleanField(label=gettext_lazy("With the year of placement"), required=False)
    digits = forms.IntegerField(
        label=gettext_lazy("Digits of the running number"), min_value=1, max_value=9
    )


def _place_or_404(request, pk: int) -> TempatSimpan:
    return get_object_or_404(
        places_visible_to(request.user).select_related("parent__parent__parent__parent"), pk=pk
    )


def _apply(request, form, write, success: str):
    """Call the service; a refusal becomes a message, field errors land on the form."""
    try:
        result = write()
    except ActionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        messages.success(request, success)
        return result
    return None


@desk_required
def place_new(request):
    """A room at the top of the tree, or (with `parent`) a place inside another."""
    form = PlaceForm(request.POST or None)
    parent = None
    if request.POST.get("parent"):
        raw = request.POST["parent"]
        parent = _place_or_404(request, int(raw) if raw.isdigit() else 0)
    if request.method == "POST" and form.is_valid():
        level = parent.level + 1 if parent else TempatSimpan.Level.RUANG
        place = _apply(
            request,
            form,
            lambda: places.place_create(
                by=request.user,
                level=level,
                parent_id=parent.pk if parent else None,
                **form.cleaned_data,
            ),
            _("The place is made."),
        )
        if place is not None:
            return redirect("arsip:tempat", pk=place.pk)
    return render(request, "dokumen/arsip/tempat_baru.html", {"form": form, "parent": parent})


@desk_required
def place_detail(request, pk: int):
    place = _place_or_404(request, pk)
    rename = PlaceForm(initial={"name": place.name, "note": place.note}, prefix="ubah")
    return render(request, "dokumen/arsip/tempat.html", _place_context(place, rename))


def _place_context(place, rename) -> dict:
    child_level = place.level + 1 if place.level < TempatSimpan.Level.ORDNER else None
    return {
        "place": place,
        "ancestors": _ancestors(place),
        "children": place.children.order_by("retired_at", "name"),
        "child_level": TempatSimpan.Level(child_level) if child_level else None,
        "rename": rename,
        "add": PlaceForm(prefix="baru"),
        "history": place.history.select_related("history_user").order_by("-history_date")[:20],
    }


@require_POST
@desk_required
def place_edit(request, pk: int):
    place = _place_or_404(request, pk)
    form = PlaceForm(request.POST, prefix="ubah")
    if form.is_valid():
        done = _apply(
            request,
            form,
            lambda: places.place_rename(place_id=place.pk, by=request.user, **form.cleaned_data),
            _("The place is renamed."),
        )
        if done is not None:
            return redirect("arsip:tempat", pk=place.pk)
    return render(request, "dokumen/arsip/tempat.html", _place_context(place, form), status=200)


@require_POST
@desk_required
def place_retire(request, pk: int):
    place = _place_or_404(request, pk)
    try:
        places.place_retire(place_id=place.pk, by=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The place is retired: it takes nothing new."))
    return redirect("arsip:tempat", pk=place.pk)


@desk_required
def number_format(request):
    """The PPID sets the office's archive number format (PPID/DIK/2026/00008)."""
    offices = offices_where(request.user, {Role.PPID})
    if not offices:
        raise PermissionDenied
    kantor_id = offices[0]
    counter = places.archive_format_of(kantor_id)
    initial = {
        "prefix": counter.prefix,
        "classification_code": counter.classification_code,
        "with_year": counter.with_year,
        "digits": counter.digits,
    }
    form = NumberFormatForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _apply(
            request,
            form,
            lambda: places.archive_format_set(
                by=request.user, kantor_id=kantor_id, **form.cleaned_data
            ),
            _("The archive number format is saved; the next number is written this way."),
        )
        if done is not None:
            return redirect("arsip:format_nomor")
    example = counter.code_for(counter.last_number + 1, timezone.localdate().year)
    return render(request, "dokumen/arsip/format_nomor.html", {"form": form, "example": example})
