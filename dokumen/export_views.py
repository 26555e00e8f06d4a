"""The staff list of entries as an Excel workbook: the selection the list shows (same selector,
same filters and sort), with the columns the desk works with. The Formulir PDF prints the same."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dokumen.filters import EntriFilter
from dokumen.models import Entri
from dokumen.views import _staff_entries
from ppid.roles import desk_required
from ppid.xlsx import xlsx_response


def _label(field: str):
    return Entri._meta.get_field(field).verbose_name


def _name(related) -> str | None:
    return related.name if related else None


# heading, the cell of an entry, column width; headings are the entry form's labels
COLUMNS = [
    (_("Entry number"), lambda e: e.pk, 10),
    (_label("title"), lambda e: e.title, 50),
    (_label("summary"), lambda e: e.summary, 40),
    (_label("holding_unit"), lambda e: e.holding_unit, 30),
    (_("Step"), lambda e: e.get_state_display(), 14),
    (_label("collected_on"), lambda e: e.collected_on, 14),
    (_label("document_type"), lambda e: _name(e.document_type), 30),
    (_label("legal_grounds"), lambda e: "; ".join(g.citation for g in e.legal_grounds.all()), 40),
    (_label("other_law"), lambda e: e.other_law, 30),
    (_label("test_harm"), lambda e: e.test_harm, 50),
    (_label("test_conclusion"), lambda e: e.get_test_conclusion_display() or None, 16),
    (_label("period_kind"), lambda e: _name(e.period_kind), 24),
    (_label("period_wording"), lambda e: e.period_wording, 40),
    (_label("period_start"), lambda e: e.period_start, 14),
    (_label("period_end"), lambda e: e.period_end, 14),
    (_label("period_review"), lambda e: e.period_review, 14),
    (_("Archive no."), lambda e: e.archive_code or None, 12),
]


def _row(entri: Entri) -> list:
    return [None if (value := cell(entri)) == "" else value for _h, cell, _w in COLUMNS]


@desk_required
def entri_xlsx(request):
    """Like the list: only what entries_visible_to gives this user, filtered and sorted alike."""
    filterset = EntriFilter(request.GET, queryset=_staff_entries(request.user), request=request)
    rows = (_row(entri) for entri in filterset.qs.iterator(chunk_size=500))
    return xlsx_response(
        filename="entri-dik.xlsx",
        title="Entri DIK",
        headings=[capfirst(str(heading)) for heading, _c, _w in COLUMNS],
        rows=rows,
        widths=[width for _h, _c, width in COLUMNS],
    )
