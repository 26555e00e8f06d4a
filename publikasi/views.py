from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from dokumen.models import Entri, State


@login_not_required
def dik(request):
    entries = (
        Entri.objects.filter(state=State.DITETAPKAN)
        .select_related("document_type", "period_kind")
        .prefetch_related("legal_grounds__regulation")
    )
    return render(request, "publikasi/dik.html", {"entries": entries})
