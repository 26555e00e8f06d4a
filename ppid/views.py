from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control

from ppid.models import SiteProfile


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
