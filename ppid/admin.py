from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ppid.models import Kantor, Penugasan, SiteProfile, Surel
from ppid.roles import Role, offices_where
from ppid.surel import surel_send_again

admin.site.site_header = _("DIK desk administration")
admin.site.site_title = _("DIK desk")


@admin.register(Kantor)
class KantorAdmin(admin.ModelAdmin):
    """The 553 offices (reference data): names, codes and parents as KPU and Kemendagri
    change them."""

    list_display = ["singkatan", "kode", "tingkat", "induk", "slug"]
    list_filter = ["tingkat"]
    search_fields = ["nama", "singkatan", "kode", "slug"]
    list_select_related = ["induk"]
    autocomplete_fields = ["induk"]

    def has_delete_permission(self, request, obj=None):
        return False  # rows of every kind belong to an office


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    """Each office's letterhead: name, address, contact, logo."""

    list_display = ["office_name", "kantor", "city"]
    search_fields = ["office_name", "short_name"]
    autocomplete_fields = ["kantor"]

    def has_delete_permission(self, request, obj=None):
        return False


class PenugasanInline(admin.TabularInline):
    model = Penugasan
    extra = 1
    autocomplete_fields = ["kantor"]
    verbose_name = _("role in an office")
    verbose_name_plural = _("roles in offices")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DikUserAdmin(UserAdmin):
    """Users with the roles they hold in each office (groups are not used for roles)."""

    inlines = [PenugasanInline]


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

    def get_queryset(self, request):
        """A PPID on the admin sees the outbox of their offices; a superuser every office's."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(kantor_id__in=offices_where(request.user, {Role.PPID}))

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
