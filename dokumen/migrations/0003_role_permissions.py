"""Give each role (group) the model permissions that match its work in the SOP.

The services check roles themselves; these permissions describe the roles in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Petugas Desk Layanan Informasi": [
        "dokumen.collect_entri", "dokumen.view_entri", "dokumen.add_entri", "dokumen.change_entri",
        "dokumen.view_berkas", "dokumen.add_berkas", "dokumen.view_tempatsimpan",
    ],
    "PPID": [
        "dokumen.collect_entri", "dokumen.classify_entri", "dokumen.view_entri", "dokumen.add_entri",
        "dokumen.change_entri", "dokumen.view_berkas", "dokumen.add_berkas", "dokumen.view_accesslog",
        "dokumen.view_tempatsimpan", "dokumen.add_tempatsimpan", "dokumen.change_tempatsimpan",
        "persetujuan.view_putaran", "persetujuan.view_persetujuan",
        "publikasi.view_keputusan", "publikasi.add_keputusan", "publikasi.change_keputusan",
        "publikasi.view_saluranpublikasi", "publikasi.add_saluranpublikasi",
    ],
    **{
        role: [
            "dokumen.decide_entri", "dokumen.view_entri", "dokumen.view_berkas",
            "persetujuan.view_putaran", "persetujuan.view_persetujuan", "persetujuan.add_persetujuan",
        ]
        for role in ("Pembina PPID", "Tim Pertimbangan", "Atasan PPID")
    },
}


def grant(apps, schema_editor):
    for label in ("dokumen", "persetujuan", "publikasi"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in GRANTS.items():
        group = Group.objects.get(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dokumen", "0002_reference_data"),
        ("ppid", "0002_roles"),
        ("persetujuan", "0001_initial"),
        ("publikasi", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
