"""The section publikasi adds to the entry page: archiving (step 3) and the decrees (step 4)."""

from django.template.loader import render_to_string

from dokumen.archive import archive_missing
from dokumen.models import State
from ppid.roles import Role, roles_of

SHOWN_FROM = (State.DISETUJUI, State.DIARSIPKAN, State.DITETAPKAN, State.TIDAK_BERLAKU)


def archive_and_decree_panel(request, entri) -> str | None:
    decrees = list(entri.keputusan.select_related("revoked_by").order_by("date", "pk"))
    if entri.state not in SHOWN_FROM and not decrees:
        return None
    roles = roles_of(request.user)
    is_desk = bool(roles & {Role.DESK, Role.PPID})
    ready = entri.state == State.DISETUJUI
    return render_to_string(
        "publikasi/panel_entri.html",
        {
            "entri": entri,
            "decrees": decrees,
            "ready_to_archive": ready,
            "missing": archive_missing(entri) if ready and is_desk else [],
            "can_archive": ready and Role.PPID in roles,
            "staff_links": is_desk,
            "place": entri.ordner.path if entri.ordner_id and is_desk else "",
        },
        request=request,
    )
