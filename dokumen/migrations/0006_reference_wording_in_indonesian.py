"""Reference texts in Indonesian and in the words of the regulation.

Pasal 17 huruf j read "(e.g. UU 23/2006 …)", English on the public page of the legal grounds
and in the prints; the summary of PKPU 22/2023 Pasal 25 ayat (3) named the six parts of the
consequence test otherwise than the regulation does. A row the office has since edited in the
admin is left as it is."""

from django.db import migrations

WORDING = {
    "17j": (
        "informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang "
        "(e.g. UU 23/2006 Adminduk NIK/KK; UU 27/2022 PDP)",
        "informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang "
        "(misalnya UU 23/2006 Adminduk untuk NIK/KK; UU 27/2022 PDP)",
    ),
    "pkpu22-25-3": (
        "Uji konsekuensi memuat: (a) materi, sifat dan cakupan informasi; (b) akibat yang "
        "timbul apabila informasi dibuka; (c) dasar hukum; (d) kepentingan publik untuk "
        "membuka; (e) pertimbangan antara (b) dan (d); (f) kesimpulan: dikecualikan atau "
        "terbuka.",
        "Tata cara pengujian konsekuensi meliputi: (a) mengidentifikasi materi, sifat, dan "
        "lingkup informasi yang akan dikecualikan; (b) mengidentifikasi potensi konsekuensi "
        "bahaya akibat dibukanya informasi; (c) mengidentifikasi undang-undang yang menjadi "
        "dasar hukum; (d) mengidentifikasi kepentingan publik; (e) melakukan penyeimbangan "
        "antara potensi konsekuensi bahaya dengan kepentingan publik; (f) menyimpulkan hasil "
        "pengujian: dikecualikan atau terbuka.",
    ),
}


def forwards(apps, schema_editor):
    DasarHukum = apps.get_model("dokumen", "DasarHukum")
    for code, (old, new) in WORDING.items():
        DasarHukum.objects.filter(code=code, summary=old).update(summary=new)


def backwards(apps, schema_editor):
    DasarHukum = apps.get_model("dokumen", "DasarHukum")
    for code, (old, new) in WORDING.items():
        DasarHukum.objects.filter(code=code, summary=new).update(summary=old)


class Migration(migrations.Migration):
    dependencies = [("dokumen", "0005_partial_upload")]
    operations = [migrations.RunPython(forwards, backwards)]
