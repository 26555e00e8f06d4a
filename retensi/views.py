"""Retention pages: what the archive has due, and one entry's retention, holds and disposal.
Views parse, call a service and turn its refusal into a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.roles import Role, roles_of
from retensi import selectors, services
from retensi.models import Pemusnahan, PenahananHukum, TingkatKeamanan


def _reader_required(request):
    if not selectors.sees_retention(request.user):
        raise PermissionDenied


def index(request):
    _reader_required(request)
    return render(request, "retensi/index.html", {"due": selectors.due_for(request.user)})


def _entri(request, pk: int):
    _reader_required(request)
    return get_object_or_404(entries_visible_to(request.user), pk=pk)


def entri(request, pk: int):
    entri = _entri(request, pk)
    retensi = selectors.retention_visible_to(request.user).filter(entri=entri).first()
    roles = roles_of(request.user, entri.kantor_id)
    disposals = selectors.disposals_visible_to(request.user).filter(entri=entri)
    return render(
        request,
        "retensi/entri.html",
        {
            "entri": entri,
            "retensi": retensi,
            "is_office_ppid": Role.PPID in roles,
            "is_office_atasan": Role.ATASAN in roles,
            "schedules": selectors.schedules_for(entri.kantor_id),
            "levels": TingkatKeamanan.objects.all(),
            "holds": selectors.holds_visible_to(request.user).filter(entri=entri),
            "reasons": PenahananHukum.Reason.choices,
            "disposals": disposals.prefetch_related("log__by"),
            "refusal": services.disposal_refusal(entri, retensi),
            "under_way": disposals.exclude(status=Pemusnahan.Status.REFUSED).exists(),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _do(request, pk: int, write, success: str):
    entri = _entri(request, pk)
    try:
        write(entri)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("retensi:entri", pk=entri.pk)


@require_POST
def atur(request, pk: int):
    return _do(
        request,
        pk,
        lambda e: services.retensi_set(
            entri_id=e.pk,
            by=request.user,
            jadwal_id=_int(request.POST.get("jadwal")),
            keamanan_id=_int(request.POST.get("keamanan")),
        ),
        _("The retention and security level are saved."),
    )


@require_POST
def tahan(request, pk: int):
    return _do(
        request,
        pk,
        lambda e: services.hold_start(
            entri_id=e.pk,
            by=request.user,
            reason=request.POST.get("reason", ""),
            description=request.POST.get("description", ""),
        ),
        _("The legal hold is recorded: the records are kept whatever their retention."),
    )


@require_POST
def lepas(request, pk: int, hold_pk: int):
    return _do(
        request,
        pk,
        lambda e: services.hold_release(
            hold_id=_own(selectors.holds_visible_to(request.user), e, hold_pk),
            by=request.user,
            note=request.POST.get("note", ""),
        ),
        _("The legal hold is released."),
    )


def _own(queryset, entri, pk: int) -> int:
    """A hold or disposal of this entry (another id is refused like a missing one)."""
    found = queryset.filter(entri=entri, pk=pk).values_list("pk", flat=True).first()
    if found is None:
        raise ActionRefused(_("This does not exist or is not available to you."))
    return found


@require_POST
def usul_musnah(request, pk: int):
    return _do(
        request,
        pk,
        lambda e: services.disposal_propose(
            entri_id=e.pk, by=request.user, note=request.POST.get("note", "")
        ),
        _("The disposal is proposed; the Atasan PPID decides."),
    )


@require_POST
def putuskan(request, pk: int, pemusnahan_pk: int):
    approve = request.POST.get("decision") == "setujui"
    return _do(
        request,
        pk,
        lambda e: services.disposal_decide(
            pemusnahan_id=_own(selectors.disposals_visible_to(request.user), e, pemusnahan_pk),
            by=request.user,
            approve=approve,
            note=request.POST.get("note", ""),
        ),
        _("The disposal is approved.") if approve else _("The disposal is refused."),
    )


@require_POST
def laksanakan(request, pk: int, pemusnahan_pk: int):
    return _do(
        request,
        pk,
        lambda e: services.disposal_carry_out(
            pemusnahan_id=_own(selectors.disposals_visible_to(request.user), e, pemusnahan_pk),
            by=request.user,
            note=request.POST.get("note", ""),
        ),
        _("The disposal is recorded as carried out."),
    )
