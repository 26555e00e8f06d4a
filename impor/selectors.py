"""Every read of imported lists: the PPID of an office sees the lists uploaded for it."""

from django.db.models import QuerySet

from dokumen import lifecycle
from dokumen.models import Action
from impor.models import Impor
from ppid.roles import offices_where


def import_offices(user) -> list[int]:
    """The offices whose lists the user imports (where they hold a role that takes IMPORT)."""
    return offices_where(user, lifecycle.roles_for(Action.IMPORT))


def imports_visible_to(user) -> QuerySet[Impor]:
    offices = import_offices(user)
    if not offices:
        return Impor.objects.none()
    return Impor.objects.filter(kantor_id__in=offices).select_related(
        "kantor", "uploaded_by", "imported_by"
    )
