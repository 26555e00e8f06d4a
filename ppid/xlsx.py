"""Spreadsheets (XLSX) for Excel: an office PC in the Indonesian locale splits a double-clicked CSV
at `;`, not at `,`, so every list that is offered as CSV is offered as XLSX too.

Streamed: the sheet's XML is written row by row as the rows come from the database, and zipped
as it goes by stream-zip; the first bytes leave before the second chunk of rows is read, and the
worker's memory holds one chunk, however long the list. The parts are the few an XLSX needs
(ECMA-376): one sheet of inline strings (no shared-string table to keep), a bold heading row
frozen at the top, dates as date cells in DD/MM/YYYY.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

from django.http import StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from stream_zip import ZIP_32, stream_zip

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"  # as an Indonesian office writes a date; Excel shows it in its locale
EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's 1900 date system
ROWS_PER_PIECE = 200  # rows of XML joined per piece handed to the zip: not one tiny write per row
# cell styles (xl/styles.xml cellXfs): 0 plain, 1 bold heading, 2 date
PLAIN, BOLD, DATE = 0, 1, 2

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(title: str) -> str:
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _cell(ref: str, value, style: int = PLAIN) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
        serial = (value - datetime.datetime(1899, 12, 30)).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATE}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    # control characters are not allowed in the file; text stays text ("=…" is never a formula)
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, letters: list[str], values: Sequence, style: int = PLAIN) -> str:
    while len(letters) < len(values):
        letters.append(get_column_letter(len(letters) + 1))
    cells = "".join(_cell(f"{letters[i]}{number}", v, style) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _sheet(headings: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> Iterator:
    letters: list[str] = []
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    yield (
        _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
        '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
        ' state="frozen"/></sheetView></sheetViews>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + _row(1, letters, [str(h) for h in headings], BOLD)
    ).encode()
    piece = []
    for number, values in enumerate(rows, start=2):
        piece.append(_row(number, letters, values))
        if len(piece) == ROWS_PER_PIECE:
            yield "".join(piece).encode()
            piece = []
    yield ("".join(piece) + "</sheetData></worksheet>").encode()


def xlsx_pieces(
    *,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] = (),
) -> Iterator[bytes]:
    """The bytes of the XLSX file, as they are made."""
    now = datetime.datetime.now()
    mode = 0o600

    def part(name, content):
        data = [content.encode()] if isinstance(content, str) else content
        return (name, now, mode, ZIP_32, data)

    return stream_zip(
        [
            part("[Content_Types].xml", CONTENT_TYPES),
            part("_rels/.rels", ROOT_RELS),
            part("xl/workbook.xml", _workbook(title[:31])),
            part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            part("xl/styles.xml", STYLES),
            part("xl/worksheets/sheet1.xml", _sheet(headings, rows, widths)),
        ]
    )


def xlsx_response(
    *,
    filename: str,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] = (),
) -> StreamingHttpResponse:
    """One sheet: a bold, frozen heading row, then `rows` (str, int, date or None per cell)."""
    response = StreamingHttpResponse(
        xlsx_pieces(title=title, headings=headings, rows=rows, widths=widths),
        content_type=CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
