"""Admin for reference data and places. Entries and files are read-only here: the workflow's
services are the only way to change them."""

from django.contrib import admin

from dokumen.models import (
    AccessLog,
    Berkas,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    Regulasi,
    TempatSimpan,
    TransitionLog,
)


@admin.register(Regulasi)
class RegulasiAdmin(admin.ModelAdmin):
    list_display = ["short_name", "title", "in_force", "replaced_by"]
    list_filter = ["in_force"]
    search_fields = ["short_name", "title"]


@admin.register(DasarHukum)
class DasarHukumAdmin(admin.ModelAdmin):
    list_display = ["code", "citation", "summary", "nature", "is_ground", "active"]
    list_filter = ["is_ground", "active", "regulation", "nature"]
    search_fields = ["code", "summary"]
    list_select_related = ["regulation"]


@admin.register(JenisDokumen)
class JenisDokumenAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name"]


@admin.register(JenisJangkaWaktu)
class JenisJangkaWaktuAdmin(admin.ModelAdmin):
    list_display = ["name", "behaviour"]


@admin.register(TempatSimpan)
class TempatSimpanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "note"]
    list_filter = ["level"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entri)
class EntriAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "document_type", "collected_on"]
    list_filter = ["state", "document_type"]
    search_fields = ["title", "summary"]


@admin.register(Berkas)
class BerkasAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "entri", "kind", "size", "uploaded_at", "removed_at"]
    exclude = ["file", "thumbnail"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["entri", "from_state", "to_state", "by", "at"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["berkas", "user", "action", "at", "ip"]
