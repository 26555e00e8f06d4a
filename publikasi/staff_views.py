"""The publication desk (SOP step 4): the KPU RI decrees, their publication and other channels.

The desk and the PPID see it; only the PPID changes anything (the services check it again)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen import lifecycle
from dokumen.delivery import private_file_response
from dokumen.models import AccessLog, Action
from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import desk_required, offices_where
from publikasi import services
from publikasi.forms import (
    ChannelForm,
    ItemForm,
    KeputusanForm,
    LinkForm,
    PublishForm,
    ReachForm,
    RevokeForm,
)
from publikasi.models import Keputusan
from publikasi.selectors import (
    decrees_reaching,
    decrees_visible_to,
    items_reaching,
    linkable_entries,
    links_of_item_for,
    periods_to_review,
    public_items_of_decree,
    reach_choices,
    reached_offices,
)


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
        {
            "decrees": decrees,
            "reaching": decrees_reaching(request.user).order_by("-date", "-pk"),
            "reviews": periods_to_review(request.user),
        },
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
    # a new decree: the offices where the user records decrees (a choice when several);
    # a draft stays its office's
    offices = None
    if keputusan is None:
        offices = Kantor.objects.filter(
            pk__in=offices_where(request.user, lifecycle.roles_for(Action.ESTABLISH))
        ).order_by("kode")
    entries = entries_visible_to(request.user)
    if keputusan is not None:
        entries = entries.filter(kantor_id=keputusan.kantor_id)
    elif offices is not None and len(offices) == 1:
        entries = entries.filter(kantor_id=offices[0].pk)
    return KeputusanForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        entries_queryset=entries,
        offices=offices,
    )


def _save(request, form, *, keputusan=None):
    data = {f: form.cleaned_data[f] for f in services.KEPUTUSAN_FIELDS}
    pdf = form.cleaned_data.get("pdf")
    entries = form.cleaned_data["entries"]
    if keputusan is None:
        return services.keputusan_create(
            by=request.user,
            data=data,
            pdf=pdf,
            entries=entries,
            kantor=form.cleaned_data.get("kantor"),
        )
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


def _detail(
    request,
    keputusan,
    *,
    publish_form=None,
    revoke_form=None,
    channel_form=None,
    item_form=None,
    reach_form=None,
):
    is_ppid = lifecycle.may_take(request.user, Action.ESTABLISH)
    may_revoke = lifecycle.may_take(request.user, Action.REVOKE)
    draft = keputusan.status == Keputusan.Status.DRAFT
    published = keputusan.status == Keputusan.Status.PUBLISHED
    # items and reach are the deciding office's: its PPID records them on the draft
    decides = draft and lifecycle.may_take(request.user, Action.ESTABLISH, keputusan.kantor_id)
    reached = reached_offices(keputusan)
    if decides and reach_form is None:
        reach_form = ReachForm(
            initial={"all_below": keputusan.reaches_all_below, "offices": reached},
            choices=reach_choices(keputusan),
        )
    return render(
        request,
        "publikasi/staf/detail.html",
        {
            "keputusan": keputusan,
            "entries": keputusan.entries.select_related("document_type").order_by("title", "pk"),
            "items": public_items_of_decree(keputusan),
            "reached": reached,
            "channels": keputusan.channels.all(),
            "revokes": keputusan.revokes.all(),
            "history": keputusan.history.select_related("history_user").order_by("-history_date"),
            "publish_form": (publish_form or PublishForm()) if is_ppid and draft else None,
            "revoke_form": (revoke_form or RevokeForm()) if may_revoke and published else None,
            "channel_form": (channel_form or ChannelForm()) if is_ppid and not draft else None,
            "item_form": (item_form or ItemForm()) if decides else None,
            "reach_form": reach_form if decides else None,
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


@require_POST
@desk_required
def item_add(request, pk: int):
    """The deciding office records a piece of information its draft decree designates."""
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        fields = ("title", "description", "document_type", "period_wording")
        data = {f: form.cleaned_data[f] for f in fields}
        try:
            services.item_add(
                keputusan_id=pk,
                by=request.user,
                data=data,
                legal_grounds=form.cleaned_data["legal_grounds"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The information is recorded on the draft decree."))
            return redirect(reverse("publikasi_staf:detail", args=[pk]) + "#h-items")
    return _detail(request, keputusan, item_form=form)


@require_POST
@desk_required
def reach(request, pk: int):
    """The deciding office fixes the offices its draft decree decides for."""
    _require_ppid(request)
    keputusan = get_object_or_404(decrees_visible_to(request.user), pk=pk)
    form = ReachForm(request.POST, choices=reach_choices(keputusan))
    if form.is_valid():
        try:
            services.keputusan_set_reach(
                keputusan_id=pk,
                by=request.user,
                offices=form.cleaned_data["offices"],
                all_below=form.cleaned_data["all_below"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The reach of the draft decree is saved."))
            return redirect(reverse("publikasi_staf:detail", args=[pk]) + "#h-reach")
    return _detail(request, keputusan, reach_form=form)


@desk_required
def reaching_detail(request, pk: int, *, bound=None):
    """A decree of another office reaching the user's office: its information, the entries of
    the office linked to each, and for the PPID a form to link one more."""
    keputusan = get_object_or_404(decrees_reaching(request.user), pk=pk)
    entries = linkable_entries(request.user, keputusan)
    may_link = keputusan.status != Keputusan.Status.REVOKED and lifecycle.may_take(
        request.user, Action.ESTABLISH
    )
    items = []
    for item in public_items_of_decree(keputusan):
        form = None
        if may_link:
            form = (
                bound
                if bound is not None and bound.prefix == f"i{item.pk}"
                else LinkForm(entries=entries, prefix=f"i{item.pk}")
            )
        items.append((item, list(links_of_item_for(request.user, item)), form))
    return render(
        request,
        "publikasi/staf/menjangkau.html",
        {"keputusan": keputusan, "items": items, "has_entries": entries.exists()},
        status=400 if bound is not None else 200,
    )


@require_POST
@desk_required
def item_link(request, pk: int):
    """The PPID of an office in reach links its own entry to the decree's information."""
    _require_ppid(request)
    item = get_object_or_404(items_reaching(request.user), pk=pk)
    keputusan = item.keputusan
    form = LinkForm(
        request.POST, entries=linkable_entries(request.user, keputusan), prefix=f"i{pk}"
    )
    if form.is_valid():
        try:
            services.entri_link_to_item(
                entri_id=form.cleaned_data["entri"].pk, item_id=pk, by=request.user
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("“%(entry)s” now follows %(decree)s.")
                % {"entry": form.cleaned_data["entri"].title, "decree": keputusan},
            )
            return redirect("publikasi_staf:menjangkau", pk=keputusan.pk)
    return reaching_detail(request, keputusan.pk, bound=form)
