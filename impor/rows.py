"""Reading an office's existing DIK list (.xlsx or .csv) and checking every row of it.

Nothing here writes: `read_table` turns the file's bytes into headings and rows, `guess_mapping`
matches the headings to the template's columns (dokumen/dik_template.py), `check_rows` says for
every row what entry it would make and what keeps it from being imported, in the user's words.
The services import exactly the rows `check_rows` found valid.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dokumen.classification import classification_errors, period_end
from dokumen.dik_template import IMPORTABLE_STATES, IMPORTED, Column
from dokumen.models import (
    Conclusion,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    State,
)
from ppid.errors import ActionRefused

MAX_BYTES = 20 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb", "pebruari"),
            ("maret", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("agustus", "agu", "agt", "ags"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des"),
        ],
        start=1,
    )
    for name in names
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")
GROUND = re.compile(
    r"^(?:pasal\s*)?(?P<article>\d+)\s*(?:ayat\s*\(?\d+\)?\s*)?(?:huruf\s*)?(?P<letter>[a-z])"
    r"(?:\s*(?:angka\s*)?(?P<point>\d+))?(?:\s+uu.*)?$"
)


def plain(value) -> str:
    """A cell as text for matching: spaces collapsed, case folded."""
    return " ".join(str(value).split()).casefold()


@dataclass
class Table:
    headings: list[str]
    rows: list[tuple[int, list]]  # (the row's number in the spreadsheet, its cells)


def too_large() -> ActionRefused:
    return ActionRefused(
        _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}
    )


def read_table(data: bytes) -> Table:
    """The first sheet of a workbook, or a CSV (comma, semicolon or tab; UTF-8 or Windows);
    the first row holds the headings. Raises ActionRefused with what is wrong."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if data.startswith(XLSX_MAGIC):
        lines = _xlsx_lines(data)
    elif b"\x00" in data[:4096]:
        raise ActionRefused(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."))
    else:
        lines = _csv_lines(data)
    try:
        first = next(lines)
    except StopIteration:
        raise ActionRefused(_("The file is empty.")) from None
    headings = [str(h).strip() if h is not None else "" for h in first]
    rows = []
    for number, cells in enumerate(lines, start=2):
        cells = list(cells)
        if any(_cell_text(c) for c in cells):
            rows.append((number, cells + [None] * (len(headings) - len(cells))))
    if not rows:
        raise ActionRefused(_("The file has no rows under its headings."))
    return Table(headings=headings, rows=rows)


def _xlsx_lines(data: bytes):
    """The rows of the first sheet, read whole here: a damaged or hostile workbook (an XML
    entity bomb, refused by defusedxml under openpyxl) is refused in words, not a 500."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, SyntaxError) as exc:
        raise ActionRefused(
            _("The workbook cannot be read (%(error)s).") % {"error": exc.__class__.__name__}
        ) from None
    return iter(lines)


def _csv_lines(data: bytes):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # the heading row says the separator: an Indonesian Excel writes ";", others ","
    heading = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=heading.count)
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---------------------------------------------------------------- columns


def guess_mapping(headings: list[str]) -> dict[str, int | None]:
    """Each template column → the index of the file's column with its heading (in Indonesian
    or English, any case), else None."""
    from django.utils import translation

    index = {}
    for position, heading in enumerate(headings):
        index.setdefault(plain(heading), position)
    mapping = {}
    for column in IMPORTED:
        names = {plain(column.title), plain(column.key)}
        for language in ("id", "en"):
            with translation.override(language):
                names.add(plain(column.title))
        mapping[column.key] = next((index[n] for n in names if n in index), None)
    return mapping


def clean_mapping(raw: dict, headings: list[str]) -> dict[str, int | None]:
    """A mapping from a form or a stored row: known columns, indexes inside the file."""
    mapping = {}
    for column in IMPORTED:
        value = raw.get(column.key)
        try:
            position = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            position = None
        mapping[column.key] = (
            position if position is not None and 0 <= position < len(headings) else None
        )
    return mapping


def mapping_problems(mapping: dict[str, int | None]) -> list[str]:
    return [
        _("No column of the file is chosen for “%(column)s”.") % {"column": c.title}
        for c in IMPORTED
        if c.required and mapping.get(c.key) is None
    ]


# ---------------------------------------------------------------- reference data


class Reference:
    """The reference data and the office's decrees and entries a check needs, read once."""

    def __init__(self, *, decrees, existing):
        self.types = {}
        for t in JenisDokumen.objects.filter(active=True):
            self.types[plain(t.name)] = t
            self.types[plain(t.code)] = t
        self.kinds = {}
        for k in JenisJangkaWaktu.objects.all():
            self.kinds[plain(k.name)] = k
            self.kinds[plain(k.code)] = k
        self.grounds_by_name = {}
        self.letters: dict[tuple[str, str], dict[str, DasarHukum]] = {}
        grounds = DasarHukum.objects.filter(is_ground=True, active=True).select_related(
            "regulation"
        )
        for g in grounds:
            self.grounds_by_name[plain(g.code)] = g
            self.grounds_by_name[plain(g.citation)] = g
            points = self.letters.setdefault((g.article, g.letter.casefold()), {})
            points[g.point] = g
        # published decrees of the office, by number
        self.decrees: dict[str, list] = {}
        for k in decrees:
            self.decrees.setdefault(plain(k.number), []).append(k)
        # (title, date collected) → entry number, of the office's register
        self.existing = {(plain(title), on): pk for pk, title, on in existing}


# ---------------------------------------------------------------- rows


@dataclass
class CheckedRow:
    number: int
    title: str
    state: State = State.DIKUMPULKAN
    values: dict = field(default_factory=dict)
    grounds: list = field(default_factory=list)
    decree: object = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def key(self):
        return (plain(self.values.get("title") or ""), self.values.get("collected_on"))


def check_rows(table: Table, mapping: dict, reference: Reference) -> list[CheckedRow]:
    """Every row of the file, checked; a duplicate of an entry of the register or of an
    earlier row of the file is a problem of the row."""
    checked, seen = [], {}
    for number, cells in table.rows:
        row = _check_row(number, cells, mapping, reference)
        key = row.key()
        if key[0] and key[1]:
            if key in reference.existing:
                row.problems.append(
                    _("The same as entry no. %(number)s already in the register.")
                    % {"number": reference.existing[key]}
                )
            elif key in seen:
                row.problems.append(_("The same as row %(row)s of this file.") % {"row": seen[key]})
            else:
                seen[key] = number
        checked.append(row)
    return checked


def _check_row(number: int, cells: list, mapping: dict, reference: Reference) -> CheckedRow:
    raw = {
        c.key: (cells[mapping[c.key]] if mapping.get(c.key) is not None else None) for c in IMPORTED
    }
    columns = {c.key: c for c in IMPORTED}
    row = CheckedRow(number=number, title=_cell_text(raw["title"]))
    problem = row.problems.append
    values = row.values
    for key in (
        "title",
        "summary",
        "holding_unit",
        "earlier_designation",
        "other_law",
        "test_material",
        "test_harm",
        "test_law",
        "test_public_interest",
        "test_weighing",
        "period_wording",
    ):
        values[key] = _cell_text(raw[key])
    for key in ("title", "holding_unit"):
        if not values[key]:
            problem(_("“%(column)s” is empty.") % {"column": columns[key].title})
    for key in ("collected_on", "period_start", "period_review"):
        values[key] = _date(raw[key], columns[key], problem)
    if values["collected_on"] is None and not _cell_text(raw["collected_on"]):
        problem(_("“%(column)s” is empty.") % {"column": columns["collected_on"].title})

    values["document_type"] = _lookup(
        raw["document_type"], reference.types, _("Unknown document type “%(value)s”."), problem
    )
    values["period_kind"] = _lookup(
        raw["period_kind"], reference.kinds, _("Unknown period kind “%(value)s”."), problem
    )
    years = _cell_text(raw["period_years"])
    values["period_years"] = None
    if years:
        if years.isdigit() and 0 < int(years) < 1000:
            values["period_years"] = int(years)
        else:
            problem(
                _("The period in years “%(value)s” is not a whole number of years.")
                % {"value": years}
            )
    values["test_conclusion"] = _conclusion(raw["test_conclusion"], problem)
    row.grounds = _grounds(raw["legal_grounds"], reference, problem)
    row.state = _state(raw["state"], row)
    row.decree = _decree(raw["keputusan"], row, reference, columns["keputusan"])

    if row.state == State.DITETAPKAN:
        # in force by a decree: what the public DIK shows must be complete
        for key, messages in classification_errors(values, row.grounds).items():
            for message in messages:
                label = columns[key].title if key in columns else key
                problem(_("%(column)s: %(message)s") % {"column": label, "message": message})
    elif _fixed_without_years(values):
        problem(_("A fixed period needs its number of years."))
    _model_rules(values, problem)
    return row


def _fixed_without_years(values: dict) -> bool:
    kind = values["period_kind"]
    fixed = kind is not None and kind.behaviour == JenisJangkaWaktu.Behaviour.FIXED_YEARS
    return fixed and not values["period_years"]


def _model_rules(values: dict, problem) -> None:
    """The entry's own rules (title length, no future collection, review after start)."""
    from django.core.exceptions import ValidationError

    entri = Entri(
        kantor_id=0,  # a throwaway for its rules: no default office looked up per row
        title=values["title"],
        collected_on=values["collected_on"],
        period_start=values["period_start"],
        period_review=values["period_review"],
    )
    try:
        entri.clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            label = Entri._meta.get_field(key).verbose_name
            for message in messages:
                problem(_("%(column)s: %(message)s") % {"column": label, "message": message})


def _date(value, column: Column, problem) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if match and match.group(2).casefold() in MONTHS:
        try:
            return datetime.date(
                int(match.group(3)), MONTHS[match.group(2).casefold()], int(match.group(1))
            )
        except ValueError:
            pass
    problem(
        _("The date “%(value)s” in “%(column)s” cannot be read: write it like 14/03/2022.")
        % {"value": text, "column": column.title}
    )
    return None


def _lookup(value, table: dict, message: str, problem):
    text = _cell_text(value)
    if not text:
        return None
    found = table.get(plain(text))
    if found is None:
        problem(message % {"value": text})
    return found


def _conclusion(value, problem) -> str:
    text = plain(_cell_text(value))
    if not text:
        return ""
    for choice in Conclusion:
        if text in (choice.value, plain(choice.label)):
            return choice.value
    problem(
        _("Unknown conclusion “%(value)s”: write dikecualikan or terbuka.")
        % {"value": _cell_text(value)}
    )
    return ""


def _grounds(value, reference: Reference, problem) -> list[DasarHukum]:
    """`Pasal 17 huruf h UU 14/2008; 17j` → the grounds; an unknown letter or point is named."""
    grounds = []
    for part in re.split(r"[;\n]", _cell_text(value)):
        text = plain(part)
        if not text:
            continue
        ground = reference.grounds_by_name.get(text)
        if ground is None:
            ground = _ground_by_letter(text, part.strip(), reference, problem)
        if ground is not None and ground not in grounds:
            grounds.append(ground)
    return grounds


def _ground_by_letter(text: str, shown: str, reference: Reference, problem):
    match = GROUND.match(text)
    if match is None:
        problem(
            _(
                "Unknown legal ground “%(value)s”: write it like “Pasal 17 huruf h” or by its code (17h)."
            )
            % {"value": shown}
        )
        return None
    article, letter, point = match["article"], match["letter"], match["point"] or ""
    points = reference.letters.get((article, letter))
    if points is None:
        problem(
            _("UU 14/2008 Article %(article)s has no ground under letter %(letter)s (“%(value)s”).")
            % {"article": article, "letter": letter, "value": shown}
        )
        return None
    if point not in points:
        problem(
            _("Article %(article)s letter %(letter)s has no point %(point)s (“%(value)s”).")
            % {"article": article, "letter": letter, "point": point, "value": shown}
        )
        return None
    return points[point]


def _state(value, row: CheckedRow) -> State:
    text = plain(_cell_text(value))
    if not text:
        return State.DIKUMPULKAN
    for state in State:
        if text in (state.value, plain(state.label)):
            if state in IMPORTABLE_STATES:
                return state
            row.notes.append(
                _("The step “%(step)s” is not imported: the entry starts as collected.")
                % {"step": _cell_text(value)}
            )
            return State.DIKUMPULKAN
    row.problems.append(
        _("Unknown step “%(value)s”: write dikumpulkan or ditetapkan.")
        % {"value": _cell_text(value)}
    )
    return State.DIKUMPULKAN


def _decree(value, row: CheckedRow, reference: Reference, column: Column):
    text = _cell_text(value)
    if row.state != State.DITETAPKAN:
        if text:
            row.problems.append(
                _("A decree is named, but the step is not “%(step)s”.")
                % {"step": State.DITETAPKAN.label}
            )
        return None
    if not text:
        row.problems.append(
            _("An entry in force needs the decree that fixed it (column “%(column)s”).")
            % {"column": column.title}
        )
        return None
    found = reference.decrees.get(plain(text), [])
    if len(found) != 1:
        row.problems.append(
            _("This office has no published decree numbered “%(value)s”.") % {"value": text}
            if not found
            else _("More than one published decree is numbered “%(value)s”.") % {"value": text}
        )
        return None
    return found[0]


def entry_fields(row: CheckedRow) -> dict:
    """The entry's fields from a valid row (the office, actor and state are the service's)."""
    values = dict(row.values)
    values["period_end"] = period_end(
        values["period_kind"], values["period_start"], values["period_years"]
    )
    return values
