"""Reference data of retention, editable by the administrators; the entries' retention, holds
and disposals are read-only here (their services are the only way to change them)."""

from django.contrib import admin

from retensi.models import JadwalRetensi, TingkatKeamanan


@admin.register(TingkatKeamanan)
class TingkatKeamananAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]


@admin.register(JadwalRetensi)
class JadwalRetensiAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kantor", "active_years", "inactive_years", "disposition"]
    list_filter = ["disposition", "active"]
    search_fields = ["code", "name"]
