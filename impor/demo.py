"""Demo: each demo office brought in its old DIK list. Pinrang's PPID imported one (an entry
in force by the office's published decree among its rows, two rows with problems left out)
and has a second list uploaded and checked but not imported yet; Sidrap's PPID imported one."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dokumen.dik_template import COLUMNS
from impor import services
from impor.models import Impor
from ppid.models import Kantor
from publikasi.models import Keputusan

KEYS = [
    "title",
    "holding_unit",
    "state",
    "collected_on",
    "document_type",
    "legal_grounds",
    "test_material",
    "test_harm",
    "test_law",
    "test_public_interest",
    "test_weighing",
    "test_conclusion",
    "period_kind",
    "period_years",
    "period_wording",
    "period_start",
    "keputusan",
]


def _collected(title, unit, on, ground="Pasal 17 huruf h UU 14/2008"):
    return {
        "title": title,
        "holding_unit": unit,
        "state": "dikumpulkan",
        "collected_on": on,
        "document_type": "Dokumen kepegawaian dan badan ad hoc",
        "legal_grounds": ground,
    }


def _csv(rows: list[dict]) -> bytes:
    """A list as an office's Excel saves it for Indonesia: semicolons, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    with translation.override("id"):
        titles = {c.key: c.title for c in COLUMNS}
    writer.writerow([titles[k] for k in KEYS])
    for row in rows:
        writer.writerow([row.get(k, "") for k in KEYS])
    return out.getvalue().encode("utf-8-sig")


def _upload(by, kantor, name: str, rows: list[dict], *, run: bool) -> Impor | None:
    if Impor.objects.filter(kantor=kantor, original_name=name).exists():
        return None
    impor, _created = services.impor_upload(
        by=by, upload=SimpleUploadedFile(name, _csv(rows)), kantor=kantor
    )
    if run:
        services.impor_run(impor_id=impor.pk, by=by)
    return impor


def load(users, stdout) -> None:
    pinrang = Kantor.default()
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    decree = (
        Keputusan.objects.filter(kantor=pinrang, status=Keputusan.Status.PUBLISHED)
        .order_by("pk")
        .first()
    )
    in_force = {
        "title": "Berkas lamaran calon anggota PPK Pemilu 2024 yang memuat data pribadi",
        "holding_unit": "Subbagian Sumber Daya Manusia",
        "state": "ditetapkan",
        "collected_on": "12/01/2024",
        "document_type": "Dokumen kepegawaian dan badan ad hoc",
        "legal_grounds": "Pasal 17 huruf h UU 14/2008",
        "test_material": "Daftar riwayat hidup, KTP dan ijazah pelamar PPK.",
        "test_harm": "Mengungkap data pribadi pelamar.",
        "test_law": "UU 14/2008 Pasal 17 huruf h.",
        "test_public_interest": "Keterbukaan seleksi badan ad hoc.",
        "test_weighing": "Kerugian pelamar lebih besar daripada manfaat membukanya.",
        "test_conclusion": "dikecualikan",
        "period_kind": "Jangka waktu tetap",
        "period_years": "5",
        "period_wording": "5 (lima) tahun sejak ditetapkan",
        "period_start": "15/01/2024",
        "keputusan": decree.number if decree else "",
    }
    old_list = [
        _collected(
            "Nilai tes tertulis calon anggota PPS Pemilu 2024",
            "Subbagian Sumber Daya Manusia",
            "05/02/2024",
        ),
        _collected(
            "Surat keterangan kesehatan calon anggota KPPS Pemilu 2024",
            "Subbagian Sumber Daya Manusia",
            "14 Maret 2024",
        ),
        _collected(
            "Salinan KTP pemilih dalam daftar pemilih tambahan Pilkada 2024",
            "Subbagian Perencanaan, Data dan Informasi",
            "02/09/2024",
            ground="17h; 17g",
        ),
        in_force,
        # two rows the PPID left out: an unknown point of Pasal 17, a date that does not exist
        _collected("Catatan rapat pleno tertutup", "Sekretariat", "20/03/2024", "17h angka 9"),
        _collected("Notula rapat koordinasi pengamanan", "Sekretariat", "31/02/2024"),
    ]
    # the demo's summary stays short: the import pages show what was made
    [
        _upload(users["ppid"], pinrang, "daftar-dik-2024.csv", old_list, run=bool(decree)),
        _upload(
            users["ppid"],
            pinrang,
            "daftar-dik-2019.csv",
            [
                _collected(
                    "Berkas pendaftaran calon anggota DPRD Pemilu 2019",
                    "Subbagian Teknis Penyelenggaraan Pemilu",
                    "10/07/2019",
                ),
                _collected("Daftar hadir", "Sekretariat", "tujuh Juli"),
            ],
            run=False,
        ),
        _upload(
            users["ppid.sidrap"],
            sidrap,
            "dik-sidrap-2024.csv",
            [
                _collected(
                    "Formulir pendaftaran calon anggota PPK Sidenreng Rappang",
                    "Subbagian Sumber Daya Manusia",
                    "08/01/2024",
                ),
                _collected(
                    "Hasil wawancara calon anggota PPS Sidenreng Rappang",
                    "Subbagian Sumber Daya Manusia",
                    "22/01/2024",
                ),
            ],
            run=True,
        ),
    ]
