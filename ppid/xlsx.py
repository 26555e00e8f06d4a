"""Spreadsheets (XLSX) for Excel: an office PC in the Indonesian locale splits a double-clicked CSV
at `;`, not at `,`, so every list that is offered as CSV is offered as XLSX too.

Written with openpyxl's write-only mode: rows stream into the file one by one (memory stays
bounded however long the list), and the file is served from a temporary file.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"  # as an Indonesian office writes a date; Excel shows it in its locale


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=None)
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        # control characters are not allowed in the file; a leading "=" stays text, never a formula
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def xlsx_response(
    *,
    filename: str,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] = (),
) -> FileResponse:
    """One sheet: a bold, frozen heading row, then `rows` (str, int, date or None per cell)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for text in headings:
        cell = _cell(sheet, str(text))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
