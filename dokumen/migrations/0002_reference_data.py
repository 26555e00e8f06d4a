"""Seed the reference tables from dokumen/reference/*.csv and the regulations the SOP names.

All of it stays editable in the admin: regulations change (PKPU 1/2015 → PKPU 22/2023).
"""

import csv
from pathlib import Path

from django.db import migrations

REFERENCE = Path(__file__).resolve().parent.parent / "reference"

REGULATIONS = [
    # code, short name, title, in force, replaced by, note
    ("uu-14-2008", "UU 14/2008", "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik", True, "", ""),
    ("pp-61-2010", "PP 61/2010", "Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik", True, "", ""),
    ("perki-1-2021", "Perki 1/2021", "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik", True, "", ""),
    ("perki-1-2010", "Perki 1/2010", "Peraturan Komisi Informasi Nomor 1 Tahun 2010 tentang Standar Layanan Informasi Publik", False, "perki-1-2021", "Dicabut dan diganti oleh Perki 1/2021."),
    ("pkpu-22-2023", "PKPU 22/2023", "Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi Publik", True, "", "Diubah dengan PKPU 11/2024 dan PKPU 4/2025. Uji konsekuensi: Pasal 25 ayat (3); lembar pengujian konsekuensi: Pasal 26 ayat (1)."),
    ("pkpu-11-2024", "PKPU 11/2024", "Peraturan Komisi Pemilihan Umum Nomor 11 Tahun 2024 tentang Perubahan atas Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi Publik", True, "", ""),
    ("pkpu-4-2025", "PKPU 4/2025", "Peraturan Komisi Pemilihan Umum Nomor 4 Tahun 2025 tentang Perubahan Kedua atas Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi Publik", True, "", "Memungkinkan pelimpahan uji konsekuensi kepada KPU Provinsi."),
    ("pkpu-1-2015", "PKPU 1/2015", "Peraturan Komisi Pemilihan Umum Nomor 1 Tahun 2015 tentang Pengelolaan dan Pelayanan Informasi Publik di Lingkungan Komisi Pemilihan Umum", False, "pkpu-22-2023", "Dicabut dan diganti oleh PKPU 22/2023."),
    ("pkpu-10-2018", "PKPU 10/2018", "Peraturan Komisi Pemilihan Umum Nomor 10 Tahun 2018 tentang Sosialisasi, Pendidikan Pemilih dan Partisipasi Masyarakat dalam Penyelenggaraan Pemilihan Umum", True, "", "Dasar hukum SOP 15/2022."),
    ("pkpu-14-2020", "PKPU 14/2020", "Peraturan Komisi Pemilihan Umum Nomor 14 Tahun 2020 tentang Susunan Organisasi dan Tata Kerja Sekretariat Jenderal KPU, KPU Provinsi dan KPU Kabupaten/Kota", True, "", "Dasar hukum SOP 15/2022."),
    ("kpts-kpu-88-2015", "Keputusan KPU 88/Kpts/KPU/2015", "Keputusan Komisi Pemilihan Umum Nomor 88/Kpts/KPU/Tahun 2015 tentang SOP Pengelolaan dan Pelayanan Informasi Publik di Lingkungan Komisi Pemilihan Umum", True, "", "Dasar hukum SOP 15/2022."),
    ("uu-23-2006", "UU 23/2006", "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan", True, "", "Dirujuk untuk NIK dan NKK (Pasal 17 huruf j UU 14/2008)."),
    ("uu-27-2022", "UU 27/2022", "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi", True, "", "Dirujuk untuk data pribadi (Pasal 17 huruf j UU 14/2008)."),
]

# Provisions cited beside the grounds of Pasal 17 (not selectable as a ground themselves).
CITED = [
    ("18-1", "uu-14-2008", "18", "1", "", "", "Tidak termasuk informasi yang dikecualikan: putusan badan peradilan; ketetapan, keputusan, peraturan, surat edaran atau bentuk kebijakan lain; surat perintah penghentian penyidikan atau penuntutan; rencana pengeluaran tahunan lembaga penegak hukum; laporan keuangan tahunan lembaga penegak hukum; laporan hasil pengembalian uang hasil korupsi; dan informasi lain sebagaimana Pasal 11 ayat (2)."),
    ("18-2", "uu-14-2008", "18", "2", "", "", "Tidak termasuk informasi yang dikecualikan sebagaimana Pasal 17 huruf g dan huruf h apabila pihak yang rahasianya diungkap memberikan persetujuan tertulis dan/atau pengungkapan berkaitan dengan posisi seseorang dalam jabatan-jabatan publik."),
    ("19", "uu-14-2008", "19", "", "", "", "PPID di setiap Badan Publik wajib melakukan pengujian tentang konsekuensi sebelum menyatakan Informasi Publik tertentu dikecualikan untuk diakses oleh setiap Orang."),
    ("20-1", "uu-14-2008", "20", "1", "", "", "Pengecualian sebagaimana dimaksud dalam Pasal 17 huruf a, huruf b, huruf c, huruf d, huruf e, dan huruf f tidak bersifat permanen."),
    ("20-2", "uu-14-2008", "20", "2", "", "", "Ketentuan lebih lanjut mengenai jangka waktu pengecualian diatur dengan Peraturan Pemerintah."),
    ("pkpu22-25-3", "pkpu-22-2023", "25", "3", "", "", "Tata cara pengujian konsekuensi meliputi: (a) mengidentifikasi materi, sifat, dan lingkup informasi yang akan dikecualikan; (b) mengidentifikasi potensi konsekuensi bahaya akibat dibukanya informasi; (c) mengidentifikasi undang-undang yang menjadi dasar hukum; (d) mengidentifikasi kepentingan publik; (e) melakukan penyeimbangan antara potensi konsekuensi bahaya dengan kepentingan publik; (f) menyimpulkan hasil pengujian: dikecualikan atau terbuka."),
    ("pkpu22-26-1", "pkpu-22-2023", "26", "1", "", "", "Hasil uji konsekuensi dituangkan dalam lembar pengujian konsekuensi."),
]


def seed(apps, schema_editor):
    Regulasi = apps.get_model("dokumen", "Regulasi")
    DasarHukum = apps.get_model("dokumen", "DasarHukum")
    JenisDokumen = apps.get_model("dokumen", "JenisDokumen")
    JenisJangkaWaktu = apps.get_model("dokumen", "JenisJangkaWaktu")

    by_code = {}
    for code, short, title, in_force, _replaced, note in REGULATIONS:
        by_code[code], _ = Regulasi.objects.get_or_create(
            code=code,
            defaults={"short_name": short, "title": title, "in_force": in_force, "note": note},
        )
    for code, *_rest, replaced, _note in REGULATIONS:
        if replaced:
            Regulasi.objects.filter(code=code).update(replaced_by=by_code[replaced])

    uu14 = by_code["uu-14-2008"]
    with open(REFERENCE / "pasal17.csv", encoding="utf-8") as fh:
        for order, row in enumerate(csv.DictReader(fh), start=1):
            DasarHukum.objects.get_or_create(
                code=row["kode"],
                defaults={
                    "regulation": uu14,
                    "article": row["pasal"],
                    "letter": row["huruf"],
                    "point": row["angka"],
                    "summary": row["ringkasan"],
                    "nature": row["sifat"],
                    "is_ground": True,
                    "order": order,
                },
            )
    for order, (code, reg, article, paragraph, letter, point, summary) in enumerate(CITED, start=100):
        DasarHukum.objects.get_or_create(
            code=code,
            defaults={
                "regulation": by_code[reg],
                "article": article,
                "paragraph": paragraph,
                "letter": letter,
                "point": point,
                "summary": summary,
                "order": order,
            },
        )

    with open(REFERENCE / "jenis_dokumen.csv", encoding="utf-8") as fh:
        for order, row in enumerate(csv.DictReader(fh), start=1):
            JenisDokumen.objects.get_or_create(
                code=row["kode"].lower().replace("_", "-"),
                defaults={"name": row["nama"], "example": row["contoh"], "order": order},
            )
    with open(REFERENCE / "jangka_waktu.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            JenisJangkaWaktu.objects.get_or_create(
                code=row["kode"].replace("_", "-"),
                defaults={"behaviour": row["kode"], "name": row["nama"], "description": row["keterangan"]},
            )


class Migration(migrations.Migration):
    dependencies = [("dokumen", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
