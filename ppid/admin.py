from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ppid.models import SiteProfile

admin.site.site_header = _("DIK desk administration")
admin.site.site_title = _("DIK desk")


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["office_name", "city"]

    def has_add_permission(self, request):
        return not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
