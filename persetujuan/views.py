from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from dokumen.models import Entri, State
from ppid.roles import APPROVER_ROLES, Role, has_role


@login_required
def antrean(request):
    if not has_role(request.user, Role.PPID, *APPROVER_ROLES):
        raise PermissionDenied
    entries = Entri.objects.filter(state=State.DIAJUKAN).select_related("document_type")
    return render(request, "persetujuan/antrean.html", {"entries": entries})
