"""Seed: the four security levels (PKPU 7/2021) and starting rows of a retention schedule for
the records of the DIK. The schedule rows are a start for the office to check against its own
Jadwal Retensi Arsip (PKPU 17/2023) and edit in the admin; they are not quoted from it."""

from django.db import migrations

LEVELS = [
    ("biasa", "Biasa", "Dapat dibaca oleh pegawai yang berkepentingan."),
    ("terbatas", "Terbatas", "Hanya untuk pejabat dan pegawai yang ditunjuk."),
    ("rahasia", "Rahasia", "Kebocorannya merugikan kepentingan lembaga atau orang."),
    ("sangat_rahasia", "Sangat Rahasia", "Kebocorannya membahayakan kepentingan negara."),
]
BASIS = "Awal untuk disesuaikan dengan Jadwal Retensi Arsip kantor (PKPU 17/2023)"
SCHEDULE = [
    ("DIK.01", "Dokumen persyaratan pencalonan", 2, 5, "musnah"),
    ("DIK.02", "Data pemilih dengan data pribadi", 2, 3, "musnah"),
    ("DIK.03", "Dokumen kepegawaian dan badan ad hoc", 2, 8, "dinilai_kembali"),
    ("DIK.04", "Keputusan penetapan informasi yang dikecualikan", 5, 10, "permanen"),
]


def seed(apps, schema_editor):
    Level = apps.get_model("retensi", "TingkatKeamanan")
    Jadwal = apps.get_model("retensi", "JadwalRetensi")
    for order, (code, name, description) in enumerate(LEVELS):
        Level.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    for code, name, active, inactive, disposition in SCHEDULE:
        Jadwal.objects.update_or_create(
            kantor=None,
            code=code,
            defaults={
                "name": name,
                "active_years": active,
                "inactive_years": inactive,
                "disposition": disposition,
                "basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("retensi", "0001_retention_holds_disposals")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
