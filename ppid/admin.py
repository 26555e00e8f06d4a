from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ppid.models import SiteProfile, Surel
from ppid.surel import surel_send_again

admin.site.site_header = _("DIK desk administration")
admin.site.site_title = _("DIK desk")


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["office_name", "city"]

    def has_add_permission(self, request):
        return not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Surel)
class SurelAdmin(admin.ModelAdmin):
    """The outbox, read-only: filter on "failed" to see what never left; send it again."""

    list_display = [
        "created_at",
        "subject",
        "recipient_list",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "recipients"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = readonly_fields = [
        "created_at",
        "recipient_list",
        "subject",
        "body",
        "status",
        "attempts",
        "last_attempt_at",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "retried_at",
        "retried_by",
    ]

    @admin.display(description=_("recipients"))
    def recipient_list(self, surel):
        return ", ".join(surel.recipients)

    @admin.display(description=_("last error"))
    def short_error(self, surel):
        return Truncator(surel.last_error).chars(80)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed mail again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = surel_send_again(surel_ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s failed message queued to be sent again.",
                "%(count)s failed messages queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
