"""The 553 KPU offices as reference data: read and check ppid/reference/kantor.csv.

The CSV is generated from a package of Kemendagri regions by `manage.py kantor_reference`; the app
only reads it. Only the csv module here: a data migration may call or copy this as it is.
"""

import csv
import re
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "reference" / "kantor.csv"
COLUMNS = ("kode", "tingkat", "nama_wilayah", "nama_kantor", "singkatan", "slug", "induk")
RI, PROVINSI, KABKOTA = "ri", "provinsi", "kabkota"
# UU 7/2017: one KPU RI, one KPU per provinsi, one per kabupaten/kota (38 + 514 since the 2022 Papua split)
EXPECTED_COUNTS = {RI: 1, PROVINSI: 38, KABKOTA: 514}
RI_KODE = "RI"

_KODE = {
    RI: re.compile(r"RI"),
    PROVINSI: re.compile(r"\d{2}"),
    KABKOTA: re.compile(r"\d{2}\.\d{2}"),
}
_PARENT_TINGKAT = {RI: None, PROVINSI: RI, KABKOTA: PROVINSI}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_LISTED = 20


def offices_from_csv(path=None) -> list[dict]:
    """The offices in the CSV (default: the committed one), in file order, checked as a whole.

    Raises ValueError naming every problem (with its line) when the table is not a complete,
    consistent set of 1 KPU RI, 38 KPU Provinsi and 514 KPU Kabupaten/Kota.
    """
    path = Path(path) if path is not None else CSV_PATH
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        if header != COLUMNS:
            raise ValueError(
                f"{path}: the header must be {','.join(COLUMNS)}; found {','.join(header) or 'nothing'}."
            )
        rows = list(reader)
    return offices_from_rows(rows, source=str(path))


def offices_from_rows(rows, *, source="office table") -> list[dict]:
    """Checks rows (dicts with COLUMNS) as offices_from_csv does; returns them as plain dicts.

    Line numbers in the messages count the header as line 1, as in the CSV file.
    """
    offices = []
    problems = []
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in COLUMNS):
            problems.append(f"line {line}: expected {len(COLUMNS)} columns")
            continue
        office = {c: row[c].strip() for c in COLUMNS}
        office["_line"] = line
        offices.append(office)

    by_kode = {}
    seen_slug = {}
    for office in offices:
        line, kode, tingkat, slug = (
            office["_line"],
            office["kode"],
            office["tingkat"],
            office["slug"],
        )
        if tingkat not in _KODE:
            problems.append(
                f"line {line}: tingkat {tingkat!r} is not one of {', '.join(EXPECTED_COUNTS)}"
            )
            continue
        if not _KODE[tingkat].fullmatch(kode):
            problems.append(f"line {line}: kode {kode!r} is not a valid code for tingkat {tingkat}")
        for column in ("nama_wilayah", "nama_kantor", "singkatan"):
            if not office[column]:
                problems.append(f"line {line}: {column} is empty (kode {kode})")
        if not _SLUG.fullmatch(slug):
            problems.append(
                f"line {line}: slug {slug!r} must be lowercase letters, digits and single hyphens"
            )
        if kode in by_kode:
            problems.append(
                f"line {line}: duplicate kode {kode!r} (first on line {by_kode[kode]['_line']})"
            )
        else:
            by_kode[kode] = office
        if slug in seen_slug:
            first = seen_slug[slug]
            problems.append(
                f"line {line}: duplicate slug {slug!r} (kode {kode}); already used on line "
                f"{first['_line']} (kode {first['kode']})"
            )
        else:
            seen_slug[slug] = office

    for office in offices:
        line, kode, tingkat, induk = (
            office["_line"],
            office["kode"],
            office["tingkat"],
            office["induk"],
        )
        if tingkat not in _PARENT_TINGKAT:
            continue
        expected = _PARENT_TINGKAT[tingkat]
        if expected is None:
            if induk:
                problems.append(f"line {line}: KPU RI has no parent, but induk is {induk!r}")
            continue
        parent = by_kode.get(induk)
        if not induk:
            problems.append(f"line {line}: kode {kode} has no induk (its {expected} office)")
        elif parent is None:
            problems.append(
                f"line {line}: kode {kode} has induk {induk!r}, which is not in the table"
            )
        elif parent["tingkat"] != expected:
            problems.append(
                f"line {line}: kode {kode} ({tingkat}) has induk {induk!r}, a {parent['tingkat']} "
                f"office; its parent must be a {expected} office"
            )
        elif tingkat == KABKOTA and not kode.startswith(induk + "."):
            problems.append(
                f"line {line}: kode {kode} does not lie in its induk's province {induk!r}"
            )

    counts = {t: sum(1 for o in offices if o["tingkat"] == t) for t in EXPECTED_COUNTS}
    for tingkat, expected in EXPECTED_COUNTS.items():
        if counts[tingkat] != expected:
            problems.append(f"expected {expected} {tingkat} offices, found {counts[tingkat]}")

    if problems:
        listed = problems[:_MAX_LISTED]
        more = len(problems) - len(listed)
        raise ValueError(
            f"{source}: {len(problems)} problem(s) in the office table:\n  "
            + "\n  ".join(listed)
            + (f"\n  ... and {more} more" if more else "")
        )
    for office in offices:
        del office["_line"]
    return offices
