"""The DIK list template: the columns of the staff list's spreadsheet, in one place.

The staff list's XLSX export writes them, the empty template offered for download has their
headings, and the import of an office's existing list (the impor app) reads them back: an
export re-imports cleanly. A column with `imported=False` is written for the reader only (the
entry's number, the computed end of the period, the archive number are the system's own).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dokumen.models import Entri, State

# the decree status whose decrees fix an entry (publikasi.Keputusan.Status.PUBLISHED; dokumen
# does not import publikasi, it reads the entry's `keputusan` relation only)
PUBLISHED_DECREE = "diterbitkan"


def _label(field: str):
    return Entri._meta.get_field(field).verbose_name


def _name(related) -> str | None:
    return related.name if related else None


def published_decrees(entri: Entri) -> str:
    """The numbers of the published decrees that fixed the entry (prefetched by the caller)."""
    numbers = [k.number for k in entri.keputusan.all() if k.status == PUBLISHED_DECREE]
    return "; ".join(sorted(numbers))


@dataclass(frozen=True)
class Column:
    key: str
    heading: object  # a lazy translation
    cell: Callable[[Entri], object]
    width: int
    imported: bool = True
    required: bool = False

    @property
    def title(self) -> str:
        return capfirst(str(self.heading))


def _text(field: str) -> Callable[[Entri], object]:
    return lambda e: getattr(e, field)


COLUMNS: list[Column] = [
    Column("nomor", _("Entry number"), lambda e: e.pk, 10, imported=False),
    Column("title", _label("title"), _text("title"), 50, required=True),
    Column("summary", _label("summary"), _text("summary"), 40),
    Column("holding_unit", _label("holding_unit"), _text("holding_unit"), 30, required=True),
    Column("state", _("Step"), lambda e: e.get_state_display(), 14),
    Column("collected_on", _label("collected_on"), _text("collected_on"), 14, required=True),
    Column("earlier_designation", _label("earlier_designation"), _text("earlier_designation"), 30),
    Column("document_type", _label("document_type"), lambda e: _name(e.document_type), 30),
    Column(
        "legal_grounds",
        _label("legal_grounds"),
        lambda e: "; ".join(g.citation for g in e.legal_grounds.all()),
        40,
    ),
    Column("other_law", _label("other_law"), _text("other_law"), 30),
    Column("test_material", _label("test_material"), _text("test_material"), 40),
    Column("test_harm", _label("test_harm"), _text("test_harm"), 50),
    Column("test_law", _label("test_law"), _text("test_law"), 30),
    Column(
        "test_public_interest", _label("test_public_interest"), _text("test_public_interest"), 40
    ),
    Column("test_weighing", _label("test_weighing"), _text("test_weighing"), 40),
    Column(
        "test_conclusion",
        _label("test_conclusion"),
        lambda e: e.get_test_conclusion_display() or None,
        16,
    ),
    Column("period_kind", _label("period_kind"), lambda e: _name(e.period_kind), 24),
    Column("period_years", _label("period_years"), _text("period_years"), 10),
    Column("period_wording", _label("period_wording"), _text("period_wording"), 40),
    Column("period_start", _label("period_start"), _text("period_start"), 14),
    Column("period_end", _label("period_end"), _text("period_end"), 14, imported=False),
    Column("period_review", _label("period_review"), _text("period_review"), 14),
    Column("keputusan", _("Decree that fixed it"), published_decrees, 24),
    Column("archive_no", _("Archive no."), lambda e: e.archive_code or None, 12, imported=False),
]
IMPORTED = [c for c in COLUMNS if c.imported]
# the states a row of a list may say; any other step is imported as collected
IMPORTABLE_STATES = (State.DIKUMPULKAN, State.DITETAPKAN)


def row_of(entri: Entri) -> list:
    return [None if (value := c.cell(entri)) == "" else value for c in COLUMNS]


def headings() -> list[str]:
    return [c.title for c in COLUMNS]


def widths() -> list[int]:
    return [c.width for c in COLUMNS]
