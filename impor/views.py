"""Import of an office's existing DIK list: upload, columns, preview of every row, import.
Views parse, call a service and turn its refusal into a message; the PPID only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen import dik_template
from impor import selectors, services
from impor.models import Impor
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.xlsx import xlsx_response

PAGE_SIZE = 100


def _importer_required(request):
    if not selectors.import_offices(request.user):
        raise PermissionDenied


def daftar(request):
    _importer_required(request)
    offices = selectors.import_offices(request.user)
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            messages.error(request, _("Choose the .xlsx or .csv file of the list."))
        else:
            try:
                impor, created = services.impor_upload(
                    by=request.user, upload=upload, kantor=request.POST.get("kantor") or None
                )
            except ActionRefused as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if not created:
                    messages.info(
                        request, _("This file was uploaded before: here is what became of it.")
                    )
                return redirect("impor:detail", pk=impor.pk)
    return render(
        request,
        "impor/daftar.html",
        {
            "imports": selectors.imports_visible_to(request.user)[:50],
            "offices": Kantor.objects.filter(pk__in=offices) if len(offices) > 1 else [],
            "columns": dik_template.IMPORTED,
        },
    )


def templat(request):
    """The empty template: the headings of the staff list's export, which the import reads."""
    _importer_required(request)
    return xlsx_response(
        filename="templat-dik.xlsx",
        title="Entri DIK",
        headings=dik_template.headings(),
        rows=[],
        widths=dik_template.widths(),
    )


def detail(request, pk: int):
    impor = get_object_or_404(selectors.imports_visible_to(request.user), pk=pk)
    context = {"impor": impor}
    if impor.status == Impor.Status.DONE:
        made = impor.rows.select_related("entri").order_by("row")
        context["page"] = Paginator(made, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "impor/detail.html", context)
    try:
        preview = services.impor_preview(impor=impor, by=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return render(request, "impor/detail.html", context)
    only_problems = request.GET.get("masalah") == "1"
    shown = preview.invalid if only_problems else preview.rows
    context.update(
        {
            "preview": preview,
            "only_problems": only_problems,
            "page": Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page")),
            "choices": list(enumerate(preview.table.headings)),
            "mapping_rows": [
                (column, preview.mapping.get(column.key)) for column in dik_template.IMPORTED
            ],
        }
    )
    return render(request, "impor/detail.html", context)


@require_POST
def kolom(request, pk: int):
    impor = get_object_or_404(selectors.imports_visible_to(request.user), pk=pk)
    raw = {c.key: request.POST.get(f"kolom_{c.key}") for c in dik_template.IMPORTED}
    try:
        services.impor_set_mapping(impor_id=impor.pk, by=request.user, mapping=raw)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The columns are saved; every row was checked again."))
    return redirect("impor:detail", pk=impor.pk)


@require_POST
def jalankan(request, pk: int):
    impor = get_object_or_404(selectors.imports_visible_to(request.user), pk=pk)
    try:
        impor = services.impor_run(impor_id=impor.pk, by=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)s entries were imported; %(left)s rows with problems were left out.")
            % {"n": impor.rows_imported, "left": impor.rows_left_out},
        )
    return redirect("impor:detail", pk=impor.pk)
