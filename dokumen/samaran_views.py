"""Pages of redacted public copies (salinan yang disamarkan): upload one, or draw boxes over the
pages of one of the entry's files in the page editor (static/js/samarkan.js). Who may, and on
which entry, is the lifecycle's action ADD_REDACTED; reads go through the selectors."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dokumen import lifecycle
from dokumen.delivery import log_access, private_file_response
from dokumen.inspection import max_upload_bytes
from dokumen.models import AccessLog, Action
from dokumen.samaran import (
    page_count,
    page_png,
    redactable,
    salinan_add,
    salinan_approve,
    salinan_from_boxes,
)
from dokumen.selectors import entries_visible_to, files_visible_to, redacted_copies_visible_to
from ppid.errors import ActionRefused


class SalinanUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Redacted copy (PDF, JPEG or PNG)"),
        help_text=gettext_lazy(
            "Every page is turned into an image: no text of the file is kept in the copy."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def _entry_to_redact(request, pk: int):
    entri = get_object_or_404(entries_visible_to(request.user), pk=pk)
    if lifecycle.refusal(entri, Action.ADD_REDACTED, request.user) is not None:
        raise Http404  # the same as for an entry the user may not see
    return entri


def _done(request, entri, salinan):
    messages.success(
        request,
        _("The redacted copy “%(name)s” was added (%(pages)s pages, no text kept).")
        % {"name": salinan.original_name, "pages": salinan.pages},
    )
    return redirect(reverse("meja:entri_detail", args=[entri.pk]) + "#salinan")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def salinan_samaran(request, pk: int):
    """Add a redacted copy: upload one made elsewhere, or choose a file to redact here."""
    entri = _entry_to_redact(request, pk)
    form = SalinanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            salinan = salinan_add(
                entri_id=entri.pk, by=request.user, upload=form.cleaned_data["file"]
            )
        except ActionRefused as refused:
            form.add_error("file", str(refused))
        else:
            return _done(request, entri, salinan)
    files = [b for b in files_visible_to(request.user).filter(entri=entri) if redactable(b)]
    return render(
        request,
        "dokumen/salinan_samaran.html",
        {
            "entri": entri,
            "form": form,
            "files": files,
            "max_upload_bytes": max_upload_bytes(),
        },
    )


def _file_to_redact(request, pk: int):
    berkas = get_object_or_404(files_visible_to(request.user).select_related("entri"), pk=pk)
    _entry_to_redact(request, berkas.entri_id)
    if not redactable(berkas):
        raise Http404
    return berkas


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def samarkan(request, pk: int):
    """The page editor: the file's pages as images; the PPID draws boxes, the server burns
    them in."""
    berkas = _file_to_redact(request, pk)
    error = ""
    if request.method == "POST":
        try:
            salinan = salinan_from_boxes(
                berkas_id=berkas.pk, by=request.user, boxes=request.POST.get("boxes", "")
            )
        except ActionRefused as refused:
            error = str(refused)
        else:
            return _done(request, berkas.entri, salinan)
    return render(
        request,
        "dokumen/samarkan.html",
        {
            "berkas": berkas,
            "entri": berkas.entri,
            "pages": range(page_count(berkas)),
            "error": error,
            "boxes": request.POST.get("boxes", "[]"),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def salinan_setujui(request, pk: int):
    """Approve a redacted copy for the public page (the roles DIK_REDACTED_COPY_APPROVER_ROLES)."""
    salinan = get_object_or_404(redacted_copies_visible_to(request.user), pk=pk)
    try:
        salinan_approve(salinan_id=salinan.pk, by=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "The redacted copy “%(name)s” is approved: it is shown on the public page while the information is in force."
            )
            % {"name": salinan.original_name},
        )
    return redirect(reverse("meja:entri_detail", args=[salinan.entri_id]) + "#salinan")


@require_safe
def berkas_page(request, pk: int, page: int):
    """One page of a file as an image (the editor draws on it): for whoever may see the file."""
    berkas = get_object_or_404(files_visible_to(request.user).select_related("entri"), pk=pk)
    if not redactable(berkas) or not 1 <= page <= page_count(berkas):
        raise Http404
    try:
        png = page_png(berkas, page - 1)
    except ActionRefused:
        raise Http404 from None
    log_access(request, berkas, AccessLog.Action.PREVIEW, label=f"{berkas.original_name} #{page}")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def salinan_view(request, pk: int):
    """A redacted copy, for the staff of its entry (before and after its approval)."""
    salinan = get_object_or_404(redacted_copies_visible_to(request.user), pk=pk)
    return private_file_response(
        request,
        salinan.file.storage,
        salinan.file.name,
        action=AccessLog.Action.VIEW,
        label=salinan.original_name,
        kantor_id=salinan.entri.kantor_id,
        filename=salinan.original_name,
        content_type="application/pdf",
        as_attachment=False,
    )
