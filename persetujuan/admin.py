"""Rounds and decisions are read-only in the admin: only the services decide."""

from django.contrib import admin

from dokumen.admin import ReadOnlyAdmin
from persetujuan.models import Persetujuan, Putaran


class PersetujuanInline(admin.TabularInline):
    model = Persetujuan
    fields = ["role", "result", "reason", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Putaran)
class PutaranAdmin(ReadOnlyAdmin):
    list_display = ["entri", "number", "status", "opened_by", "opened_at", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["entri", "opened_by"]
    inlines = [PersetujuanInline]
