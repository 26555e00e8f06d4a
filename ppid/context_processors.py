import functools

from dokumen.lifecycle import deciders
from persetujuan.selectors import review_count
from ppid.models import SiteProfile
from ppid.roles import DESK_ROLES, Role, roles_of
from ppid.surel import failed_mail_visible_to


def _review_count(request) -> int:
    """The number waiting for the user: the count the review queue's own page already made
    when it shows the whole queue (`request.queue_count`), else one query."""
    counted = getattr(request, "queue_count", None)
    return review_count(request.user) if counted is None else counted


def site(request):
    roles = roles_of(request.user)
    return {
        "site_profile": SiteProfile.current(),
        "user_roles": roles,
        "is_ppid": Role.PPID in roles,
        "is_desk": bool(roles & DESK_ROLES),
        "is_approver": bool(roles & deciders()),
        "is_staff_member": bool(roles) or getattr(request.user, "is_staff", False),
        # a callable: one query at most, only for someone holding a role, on a page that shows
        # the navigation, and none on the review queue itself
        "review_count": functools.cache(lambda: _review_count(request)) if roles else 0,
        # a callable: counted (one query) only on a page that shows it, the PPID's desk
        "failed_mail_count": functools.cache(lambda: failed_mail_visible_to(request.user).count())
        if Role.PPID in roles
        else 0,
    }
