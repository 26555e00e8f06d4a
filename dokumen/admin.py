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
from dokumen.selectors import access_log_visible_to, entries_visible_to, files_visible_to


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
    list_display = ["__str__", "kantor", "level", "note"]
    list_filter = ["level", "kantor__tingkat"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows of the workflow, read-only. The system's administrators (superusers) see every
    office's; any other staff member sees what the selector `scoped` gives them, like on the
    site's own pages."""

    scoped = None  # fn(user) -> QuerySet: the selector of this model

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.scoped is None:
            return queryset
        return queryset.filter(pk__in=type(self).scoped(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entri)
class EntriAdmin(ReadOnlyAdmin):
    scoped = entries_visible_to
    list_display = ["title", "kantor", "state", "document_type", "collected_on"]
    list_filter = ["state", "document_type", "kantor__tingkat"]
    search_fields = ["title", "summary"]


@admin.register(Berkas)
class BerkasAdmin(ReadOnlyAdmin):
    scoped = files_visible_to
    list_display = ["original_name", "entri", "kind", "size", "uploaded_at", "removed_at"]
    exclude = ["file", "thumbnail"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["entri", "action", "from_state", "to_state", "by", "by_decree", "at"]

    @staticmethod
    def scoped(user):
        from dokumen.models import TransitionLog

        return TransitionLog.objects.filter(entri__in=entries_visible_to(user))


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    scoped = access_log_visible_to
    list_display = ["label", "kantor", "user", "action", "at", "ip"]
