"""The published DIK as open data (CSV, JSON and XLSX): documented fields whose names never change.

Only what the public page shows goes here; a new field may be added at the end, none renamed.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dokumen.models import Entri

# name, meaning — shown on /data/ and kept in this order in the CSV
FIELDS = [
    ("id", _("Stable number of the information in this register (integer).")),
    ("judul", _("The exempted information.")),
    ("jenis_dokumen", _("Document type.")),
    ("jenis_dokumen_kode", _("Code of the document type.")),
    (
        "dasar_hukum",
        _("Legal grounds: article, letter and regulation (UU 14/2008 Article 17)."),
    ),
    ("dasar_hukum_kode", _("Codes of the legal grounds, as anchors of /dasar-hukum/.")),
    ("dasar_hukum_lain", _("Other law relied on, as written.")),
    ("konsekuensi", _("Consequence test: the harm if the information were opened.")),
    ("kesimpulan", _("Conclusion of the consequence test (always “dikecualikan” here).")),
    ("jangka_waktu_jenis", _("Kind of exemption period.")),
    ("jangka_waktu", _("The period, as worded in the decision.")),
    ("jangka_waktu_tahun", _("Number of years of a fixed period; empty otherwise.")),
    ("mulai", _("Start of the period (YYYY-MM-DD).")),
    ("berakhir", _("End of a fixed period (YYYY-MM-DD); empty otherwise.")),
    ("keputusan_nomor", _("Number of the KPU decree that established it.")),
    ("keputusan_tanggal", _("Date of that decree (YYYY-MM-DD).")),
    ("keputusan_url", _("Address of the decree's page.")),
    (
        "status",
        _("“dikecualikan” while in force; “tidak_dikecualikan” once the information is open."),
    ),
    ("tidak_dikecualikan_sejak", _("Date the information opened (YYYY-MM-DD); empty in force.")),
    (
        "alasan_dibuka",
        _("Why it opened: “dicabut” (its decree was revoked) or “berakhir” (period ended)."),
    ),
    ("keputusan_pencabut_nomor", _("Number of the decree that revoked its decree.")),
    ("pengumuman_url", _("Address of the office's announcement of the change (PDF).")),
]
FIELD_NAMES = [name for name, _meaning in FIELDS]
LIST_SEPARATOR = " | "  # several grounds or decrees in one CSV cell

# the XLSX: the CSV's columns under headings an office reads, dates as real Excel dates
HEADINGS = {
    "id": _("Register number"),
    "judul": _("Exempted information"),
    "jenis_dokumen": _("Document type"),
    "jenis_dokumen_kode": _("Document type code"),
    "dasar_hukum": _("Legal grounds"),
    "dasar_hukum_kode": _("Legal ground codes"),
    "dasar_hukum_lain": _("Other law relied on"),
    "konsekuensi": _("Consequence"),
    "kesimpulan": _("Conclusion"),
    "jangka_waktu_jenis": _("Period kind"),
    "jangka_waktu": _("Period of exemption"),
    "jangka_waktu_tahun": _("Period in years"),
    "mulai": _("Period start"),
    "berakhir": _("Period end"),
    "keputusan_nomor": _("Decree number"),
    "keputusan_tanggal": _("Date of the decree"),
    "keputusan_url": _("Decree page"),
    "status": _("Status"),
    "tidak_dikecualikan_sejak": _("Open since"),
    "alasan_dibuka": _("Reason it opened"),
    "keputusan_pencabut_nomor": _("Revoking decree"),
    "pengumuman_url": _("Announcement"),
}
XLSX_WIDTHS = {"judul": 50, "dasar_hukum": 40, "konsekuensi": 60, "jangka_waktu": 40}
DATE_FIELDS = {"mulai", "berakhir", "keputusan_tanggal", "tidak_dikecualikan_sejak"}
IN_FORCE = "dikecualikan"
OPENED = "tidak_dikecualikan"


def _iso(date) -> str | None:
    return date.isoformat() if date else None


def record(entri: Entri, build_url) -> dict:
    """One row as JSON types (lists for several grounds and decrees)."""
    grounds = list(entri.legal_grounds.all())
    decrees = getattr(entri, "decrees", [])
    return {
        "id": entri.pk,
        "judul": entri.title,
        "jenis_dokumen": entri.document_type.name if entri.document_type else None,
        "jenis_dokumen_kode": entri.document_type.code if entri.document_type else None,
        "dasar_hukum": [g.citation for g in grounds],
        "dasar_hukum_kode": [g.code for g in grounds],
        "dasar_hukum_lain": entri.other_law or None,
        "konsekuensi": entri.test_harm,
        "kesimpulan": entri.test_conclusion,
        "jangka_waktu_jenis": entri.period_kind.name if entri.period_kind else None,
        "jangka_waktu": entri.period_wording,
        "jangka_waktu_tahun": entri.period_years,
        "mulai": _iso(entri.period_start),
        "berakhir": _iso(entri.period_end),
        "keputusan_nomor": [k.number for k in decrees],
        "keputusan_tanggal": [_iso(k.date) for k in decrees],
        "keputusan_url": [
            build_url(reverse("publikasi:keputusan_detail", args=[k.slug])) for k in decrees
        ],
        "status": IN_FORCE,
        "tidak_dikecualikan_sejak": None,
        "alasan_dibuka": None,
        "keputusan_pencabut_nomor": None,
        "pengumuman_url": None,
    }


def opened_record(opening, build_url) -> dict:
    """An entry no longer exempted (publikasi.models.InformasiDibuka): its row as it was in
    force, with since when and why it is open."""
    pengumuman = opening.pengumuman
    return {
        **record(opening.entri, build_url),
        "status": OPENED,
        "tidak_dikecualikan_sejak": _iso(timezone.localtime(opening.opened_at).date()),
        "alasan_dibuka": pengumuman.reason,
        "keputusan_pencabut_nomor": pengumuman.revoking.number if pengumuman.revoking else None,
        "pengumuman_url": build_url(reverse("publikasi:pengumuman_pdf", args=[pengumuman.slug])),
    }


def csv_row(data: dict) -> list[str]:
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, list):
            return LIST_SEPARATOR.join(str(v or "") for v in value)
        return str(value)

    return [cell(data[name]) for name in FIELD_NAMES]


def xlsx_headings() -> list[str]:
    return [str(HEADINGS[name]) for name in FIELD_NAMES]


def xlsx_widths() -> list[int]:
    return [XLSX_WIDTHS.get(name, 18) for name in FIELD_NAMES]


def xlsx_row(data: dict) -> list:
    """The CSV row with dates as dates (one decree's date too; several stay text, as in the CSV)."""
    row = []
    for name, text in zip(FIELD_NAMES, csv_row(data), strict=True):
        value = data[name]
        if name in DATE_FIELDS and value and (not isinstance(value, list) or len(value) == 1):
            row.append(datetime.date.fromisoformat(value[0] if isinstance(value, list) else value))
        elif isinstance(value, int) and not isinstance(value, bool):
            row.append(value)
        else:
            row.append(text or None)
    return row
