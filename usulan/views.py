"""Proposals: the proposing PPID's list and sending, the provinsi's and KPU RI's queue, one
proposal with its steps; views parse, call a service, turn ActionRefused into a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dokumen.delivery import private_file_response
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role, offices_where
from publikasi.models import Keputusan
from publikasi.selectors import decrees_visible_to
from usulan import lifecycle, selectors, services
from usulan.forms import SendForm
from usulan.models import Aksi

SERVICES = {
    Aksi.TERIMA: lambda u, by, post: services.usulan_receive(
        usulan_id=u, by=by, note=post.get("note", "")
    ),
    Aksi.TERUSKAN: lambda u, by, post: services.usulan_forward(
        usulan_id=u, by=by, note=post.get("note", "")
    ),
    Aksi.KEMBALIKAN: lambda u, by, post: services.usulan_return(
        usulan_id=u, by=by, reason=post.get("reason", "")
    ),
    Aksi.PUTUSKAN: lambda u, by, post: services.usulan_decide(
        usulan_id=u, by=by, keputusan_id=_int(post.get("keputusan")), note=post.get("note", "")
    ),
}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _ppid_required(request):
    if not offices_where(request.user, {Role.PPID}):
        raise PermissionDenied


def daftar(request):
    _ppid_required(request)
    user = request.user
    return render(
        request,
        "usulan/daftar.html",
        {
            "outgoing": selectors.outgoing(user),
            "incoming": selectors.incoming(user),
            "handled": selectors.handled(user),
            "proposable": selectors.proposable_entries(user)[:200],
        },
    )


def baru(request):
    _ppid_required(request)
    proposable = selectors.proposable_entries(request.user)
    chosen = [_int(v) for v in request.POST.getlist("entri") or request.GET.getlist("entri")]
    offices = Kantor.objects.filter(pk__in=offices_where(request.user, {Role.PPID})).order_by(
        "kode"
    )
    form = SendForm(request.POST or None, request.FILES or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            usulan = services.usulan_send(
                by=request.user,
                entri_ids=chosen,
                data=form.letter(),
                surat=form.cleaned_data.get("surat"),
                kantor=form.cleaned_data.get("kantor"),
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, str(usulan))
            return redirect("usulan:detail", pk=usulan.pk)
    return render(
        request,
        "usulan/baru.html",
        {
            "form": form,
            "proposable": proposable.select_related("kantor"),
            "chosen": set(chosen),
            "several_offices": len(offices) > 1,
        },
    )


def _visible(request, pk: int):
    return get_object_or_404(selectors.usulan_visible_to(request.user), pk=pk)


def detail(request, pk: int):
    usulan = _visible(request, pk)
    steps = lifecycle.actions_for(usulan, request.user)
    can = {step.aksi.value: step for step in steps}
    decrees = (
        decrees_visible_to(request.user)
        .filter(kantor_id=usulan.pemegang_id)
        .exclude(status=Keputusan.Status.REVOKED)
        if "putuskan" in can
        else []
    )
    return render(
        request,
        "usulan/detail.html",
        {
            "usulan": usulan,
            "entries": usulan.entries.all().order_by("pk"),
            "attachments": selectors.attachments_of(usulan),
            "log": usulan.langkah.select_related("by", "kantor"),
            "can": can,
            "decrees": decrees,
        },
    )


@require_POST
def aksi(request, pk: int, aksi: str):
    usulan = _visible(request, pk)
    try:
        service = SERVICES[Aksi(aksi)]
    except ValueError:
        raise Http404 from None
    try:
        service(usulan.pk, request.user, request.POST)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, str(lifecycle.ACTIONS[Aksi(aksi)].label))
    return redirect(reverse("usulan:detail", args=[usulan.pk]))


def lampiran(request, pk: int, lampiran_pk: int):
    usulan = _visible(request, pk)
    item = get_object_or_404(selectors.attachments_of(usulan), pk=lampiran_pk)
    return private_file_response(
        request,
        item.file.storage,
        item.file.name,
        action="lihat",
        label=f"{usulan} — {item.nama}",
        kantor_id=usulan.kantor_id,
        filename=item.nama,
        content_type="application/pdf",
        as_attachment=False,
    )


def surat(request, pk: int):
    usulan = _visible(request, pk)
    if not usulan.surat_pdf:
        raise Http404
    return private_file_response(
        request,
        usulan.surat_pdf.storage,
        usulan.surat_pdf.name,
        action="lihat",
        label=f"{usulan} — surat pengantar",
        kantor_id=usulan.kantor_id,
        filename=f"surat-pengantar-{usulan.pk}.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
