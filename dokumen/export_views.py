"""The staff list of entries as an Excel workbook: the selection the list shows (same selector,
same filters and sort), in the columns of the DIK list template (dokumen/dik_template.py), so
that an export re-imports cleanly. The Formulir PDF prints the same selection."""

from dokumen import dik_template
from dokumen.filters import EntriFilter
from dokumen.views import _staff_entries
from ppid.roles import desk_required
from ppid.xlsx import xlsx_response


@desk_required
def entri_xlsx(request):
    """Like the list: only what entries_visible_to gives this user, filtered and sorted alike."""
    filterset = EntriFilter(request.GET, queryset=_staff_entries(request.user), request=request)
    # the decrees that fixed each entry (the Keputusan column), in one query per chunk
    entries = filterset.qs.prefetch_related("keputusan")
    rows = (dik_template.row_of(entri) for entri in entries.iterator(chunk_size=500))
    return xlsx_response(
        filename="entri-dik.xlsx",
        title="Entri DIK",
        headings=dik_template.headings(),
        rows=rows,
        widths=dik_template.widths(),
    )
