from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ppid.models import SiteProfile
from ppid.roles import APPROVER_ROLES, DESK_ROLES, Role, has_role, roles_of
from ppid.surel import failed_mail_visible_to, surel_send_again

FAILED_MAIL_LIST_LIMIT = 200


def home(request):
    """Where a login lands: the first page of the user's own work, never one they cannot open
    (an approver has no desk; someone without a role sees the public pages)."""
    roles = roles_of(request.user)
    if roles & DESK_ROLES:
        return redirect("meja:beranda")
    if roles & set(APPROVER_ROLES):
        return redirect("persetujuan:antrean")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("publikasi:dik")


@login_not_required
@cache_control(max_age=3600, public=True)
def logo(request):
    """The office logo is public: it is on every page and every printed letterhead."""
    profile = SiteProfile.current()
    if not profile.logo:
        raise Http404
    try:
        return FileResponse(profile.logo.open("rb"), content_type="image/png")
    except FileNotFoundError as exc:
        raise Http404 from exc


def _require_ppid(request) -> None:
    if not has_role(request.user, Role.PPID):
        raise PermissionDenied


def surel_gagal(request):
    """The notification mail that could not be sent after every retry, for the PPID."""
    _require_ppid(request)
    failed = failed_mail_visible_to(request.user).order_by("-last_attempt_at", "-pk")
    return render(
        request,
        "ppid/surel_gagal.html",
        {"failed": failed[:FAILED_MAIL_LIST_LIMIT], "total": failed.count()},
    )


@require_POST
def surel_kirim_ulang(request):
    """Send failed mail once more: the one chosen, or all of it."""
    _require_ppid(request)
    if request.POST.get("semua"):
        ids = list(failed_mail_visible_to(request.user).values_list("pk", flat=True))
    else:
        ids = [int(v) for v in request.POST.getlist("surel") if v.isdigit()]
    count = surel_send_again(surel_ids=ids, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s message queued to be sent again.",
                "%(count)s messages queued to be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed message was chosen."))
    return redirect("surel_gagal")
