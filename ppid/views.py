from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.cache import cache_control

from ppid.models import SiteProfile
from ppid.roles import APPROVER_ROLES, DESK_ROLES, roles_of


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
