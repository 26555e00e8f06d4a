"""The section publikasi adds to the entry page: archiving (step 3) and the decrees (step 4)."""

from django.template.loader import render_to_string

from dokumen import lifecycle
from dokumen.archive import archive_missing
from dokumen.models import Action, State
from dokumen.selectors import hardcopy_of
from ppid.roles import DESK_ROLES, offices_where
from publikasi.selectors import decrees_followed_by, sees_decrees

SHOWN_FROM = (State.DISETUJUI, State.DIARSIPKAN, State.DITETAPKAN, State.TIDAK_BERLAKU)


def archive_and_decree_panel(request, entri) -> str | None:
    # every decree the entry follows: named, linked to its information, settling its proposal
    decrees = list(
        decrees_followed_by([entri.pk])
        .select_related("revoked_by", "kantor")
        .order_by("date", "pk")
    )
    if entri.state not in SHOWN_FROM and not decrees:
        return None
    user = request.user
    ready = entri.state == State.DISETUJUI
    # the PPID is shown what archiving still needs; the button only when nothing is missing
    may_archive_role = lifecycle.may_take(user, Action.ARCHIVE, entri.kantor_id)
    place = hardcopy_of(user, entri)
    return render_to_string(
        "publikasi/panel_entri.html",
        {
            "entri": entri,
            "decrees": decrees,
            "ready_to_archive": ready and may_archive_role,
            "missing": archive_missing(entri) if ready and may_archive_role else [],
            "staff_links": sees_decrees(user),
            # the staff page of a decree is its recording office's; another's is named only
            "own_offices": set(offices_where(user, DESK_ROLES)),
            "place": place,
        },
        request=request,
    )
