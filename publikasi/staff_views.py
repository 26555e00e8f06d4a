"""The publication desk (SOP step 4): the KPU RI decrees, their publication and other channels.

The desk and the PPID see it; only the PPID changes anything (the services check it again)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen import lifecycle
from dokumen.delivery import private_file_response
from dokumen.models import AccessLog, Action
from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.roles import desk_required
from publikasi import services
from publikasi.forms import ChannelForm, KeputusanForm, PublishForm, RevokeForm
from publikasi.models import Keputusan
from publikasi.selectors import decrees_visible_to, periods_to_review


def _require_ppid(request) -> None:
    """Recording and publishing a decree is establishing its entries (the lifecycle's role)."""
    if not lifecycle.may_take(request.user, Action.ESTABLISH):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _refused(form, exc: ActionRefused) -> None:
    """A refused PDF belongs next to the file field; anything else above the form."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


@desk_required
def index(request):
    decrees = (
        decrees_visible_to(request.user)
        .annotate(n_entries=Count("entries", distinct=True))
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "publikasi/staf/index.html",
        {"decrees": decrees, "reviews": periods_to_review(request.user)},
    )


def _entry_form(request, *, keputusan=None):
    initial = {}
    if keputusan is not None:
        initial = {
            "number": keputusan.number,
            "date": keputusan.date,
            "title": keputusan.title,
            "issuer": keputusan.issuer,
            "entries": list(keputusan.entries.all()),
        }
    return KeputusanForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        entries_queryset=entries_visible_to(request.user),
    )


def _save(request, form, *, keputusan=None):
    data = {f: form.cleaned_data[f] for f in services.KEPUTUSAN_FIELDS}
    pdf = form.cleaned_data.get("pdf")
    entries = form.cleaned_data["entries"]
    if keputusan is None:
        return services.keputusan_create(by=request.user, data=data, pdf=pdf, entries=entries)
    return services.keputusan_update(
        keputusan_id=keputusan.pk, by=request.user, data=data, pdf=pdf, entries=entries
    )


@desk_required
def create(request):
    _require_ppid(request)
    form = _entry_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            keputusan = _save(request, form)
        except ActionRefused as exc:
            _refused(form, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The decree is recorded as a draft."))
            return redirect("publikasi_staf:detail", pk=keputusan.pk)
    return render(request, "publikasi/staf/form.html", {"form": form, "keputusan": None})


@desk_required
def edit(request, pk: int):
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    if keputusan.status != Keputusan.Status.DRAFT:
        messages.error(request, _("Only a draft decree can be changed."))
        return redirect("publikasi_staf:detail", pk=pk)
    form = _entry_form(request, keputusan=keputusan)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, keputusan=keputusan)
        except ActionRefused as exc:
            _refused(form, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("publikasi_staf:detail", pk=pk)
    return render(request, "publikasi/staf/form.html", {"form": form, "keputusan": keputusan})


def _detail(request, keputusan, *, publish_form=None, revoke_form=None, channel_form=None):
    is_ppid = lifecycle.may_take(request.user, Action.ESTABLISH)
    may_revoke = lifecycle.may_take(request.user, Action.REVOKE)
    draft = keputusan.status == Keputusan.Status.DRAFT
    published = keputusan.status == Keputusan.Status.PUBLISHED
    return render(
        request,
        "publikasi/staf/detail.html",
        {
            "keputusan": keputusan,
            "entries": keputusan.entries.select_related("document_type").order_by("title", "pk"),
            "channels": keputusan.channels.all(),
            "revokes": keputusan.revokes.all(),
            "history": keputusan.history.select_related("history_user").order_by("-history_date"),
            "publish_form": (publish_form or PublishForm()) if is_ppid and draft else None,
            "revoke_form": (revoke_form or RevokeForm()) if may_revoke and published else None,
            "channel_form": (channel_form or ChannelForm()) if is_ppid and not draft else None,
        },
    )


@desk_required
def detail(request, pk: int):
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    return _detail(request, keputusan)


@require_POST
@desk_required
def publish(request, pk: int):
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, keputusan, publish_form=form)
    try:
        keputusan = services.keputusan_publish(
            keputusan_id=pk,
            by=request.user,
            signature_override=form.cleaned_data["signature_override"],
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(decree)s is published; the entries it covers are now in the public DIK.")
            % {"decree": keputusan},
        )
    return redirect("publikasi_staf:detail", pk=pk)


@require_POST
@desk_required
def revoke(request, pk: int):
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    form = RevokeForm(request.POST, request.FILES)
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.KEPUTUSAN_FIELDS}
        try:
            revoker = services.keputusan_revoke(
                keputusan_id=pk,
                by=request.user,
                data=data,
                pdf=form.cleaned_data["pdf"],
                signature_override=form.cleaned_data["signature_override"],
            )
        except ActionRefused as exc:
            _refused(form, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(old)s is revoked by %(new)s.") % {"old": keputusan, "new": revoker},
            )
            return redirect("publikasi_staf:detail", pk=pk)
    return _detail(request, keputusan, revoke_form=form)


@require_POST
@desk_required
def channel_add(request, pk: int):
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            services.channel_add(keputusan_id=pk, by=request.user, data=form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The publication channel is recorded."))
            return redirect("publikasi_staf:detail", pk=pk)
    return _detail(request, keputusan, channel_form=form)


@desk_required
def pdf(request, pk: int):
    """The decree PDF for the staff, drafts included (the public view serves published ones)."""
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    # private storage: streamed, or in S3 mode a short-lived signed URL
    if not keputusan.pdf:
        raise Http404
    return private_file_response(
        request,
        keputusan.pdf.storage,
        keputusan.pdf.name,
        action=AccessLog.Action.VIEW,
        label=str(keputusan),
        kantor_id=keputusan.kantor_id,
        filename=f"keputusan-{keputusan.slug}.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
