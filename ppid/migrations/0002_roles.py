"""Seed the office's roles as Django groups (their permissions: dokumen 0003)."""

from django.db import migrations

ROLES = [
    "Petugas Desk Layanan Informasi",
    "PPID",
    "Pembina PPID",
    "Tim Pertimbangan",
    "Atasan PPID",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("ppid", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
