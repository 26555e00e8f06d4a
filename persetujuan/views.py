"""The review queue, the decisions on an entry, submitting and the approval sheet.

Views parse forms, call the services, turn ActionRefused into a message and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dokumen import lifecycle
from dokumen.lifecycle import deciders
from dokumen.models import Action, Entri, State
from dokumen.selectors import entries_visible_to, file_text_snippets
from persetujuan import services
from persetujuan.filters import AntreanFilter
from persetujuan.forms import ApproveForm, BatchApproveForm, ReturnForm, WithdrawForm
from persetujuan.models import Putaran
from persetujuan.selectors import (
    awaiting_roles,
    deciding_roles,
    decisions_prefetch,
    open_rounds_prefetch,
    queue_counts,
    queue_page_for,
)
from persetujuan.sheet import sheet_entries
from ppid.errors import ActionRefused
from ppid.pdf import pdf_response
from ppid.roles import Role, ordered, roles_of


def _entry_url(entri) -> str:
    return reverse("meja:entri_detail", args=[entri.pk])


def _visible_entri(request, pk: int) -> Entri:
    return get_object_or_404(entries_visible_to(request.user), pk=pk)


def _latest_round(entri) -> Putaran | None:
    return (
        entri.rounds.select_related("opened_by")
        .prefetch_related(decisions_prefetch())
        .order_by("-number")
        .first()
    )


def _decision_roles(user, putaran) -> list[Role]:
    """Roles a posted decision may name: the waiting ones; else the user's own, so that the
    service gives the real reason (already decided, round closed) instead of a form error."""
    return deciding_roles(user, putaran) or ordered(roles_of(user)) or list(Role)


def _seen_state(request) -> str | None:
    return request.POST.get("state") or None


# ---------------------------------------------------------------- the queue


QUEUE_PAGE_SIZE = 25  # as the staff list of entries


@login_required
def antrean(request):
    """The review queue, searched, filtered and paginated like the staff list: the batch form
    approves what is ticked on this page, and returns to the same page and filters."""
    user = request.user
    if not (lifecycle.may_take(user, Action.APPROVE) or lifecycle.may_take(user, Action.SUBMIT)):
        raise PermissionDenied
    my_roles = ordered(roles_of(user) & deciders())
    here = request.path + (f"?{request.GET.urlencode()}" if request.GET else "")

    if request.method == "POST":
        form = BatchApproveForm(request.POST, roles=my_roles or list(Role))
        ids = request.POST.getlist("entri")
        if not ids:
            messages.error(request, _("Choose at least one entry."))
            return redirect(here)
        if form.is_valid():
            try:
                decisions = services.approve_batch(
                    entri_ids=ids, by=user, role=form.cleaned_data["role"]
                )
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s entry approved as %(role)s.",
                        "%(count)s entries approved as %(role)s.",
                        len(decisions),
                    )
                    % {"count": len(decisions), "role": form.cleaned_data["role"]},
                )
            return redirect(here)
        selected = {str(pk) for pk in ids}
    else:
        form = None
        selected = set()

    filterset = AntreanFilter(request.GET, queryset=queue_page_for(user), request=request)
    filtered = any(filterset.data.get(name) for name in filterset.filters)
    waiting, per_role = queue_counts(user)  # the whole queue's, not this page's
    paginator = Paginator(filterset.qs, QUEUE_PAGE_SIZE)
    if not filtered:
        # the whole queue: its size is counted already, and is the navigation's number too
        paginator.count = request.queue_count = waiting
    page = paginator.get_page(request.GET.get("page"))
    rows = []
    for entri in page.object_list:
        putaran = entri.awaiting_rounds[0] if entri.awaiting_rounds else None
        roles = awaiting_roles(user, putaran) if putaran else []
        decided = {d.role: d for d in putaran.decisions.all()} if putaran else {}
        rows.append(
            {
                "entri": entri,
                "round": putaran,
                "roles": roles,
                "decisions": [(role, decided.get(role)) for role in putaran.required_roles]
                if putaran
                else [],
                "selected": str(entri.pk) in selected,
            }
        )
    words = filterset.form.cleaned_data.get("q", "").strip() if filterset.is_valid() else ""
    if words and rows:
        # where in the files the words were found (dokumen.selectors), this page only
        found = file_text_snippets(user, words, entri_ids=[row["entri"].pk for row in rows])
        for row in rows:
            row["snippets"] = found.get(row["entri"].pk, [])
    batch_roles = [role for role in my_roles if per_role.get(role)]
    if form is None:
        form = BatchApproveForm(roles=batch_roles or my_roles)
    return render(
        request,
        "persetujuan/antrean.html",
        {
            "rows": rows,
            "page": page,
            "filter": filterset,
            "filtered": filtered,
            "role_counts": [(role, per_role.get(role, 0)) for role in my_roles],
            "form": form,
            "is_ppid_page": lifecycle.may_take(user, Action.SUBMIT),
        },
        status=200 if request.method == "GET" else 400,
    )


# ---------------------------------------------------------------- decisions on one entry


def _decide_page(request, pk, form_class, template, do):
    entri = _visible_entri(request, pk)
    putaran = _latest_round(entri)
    if request.method == "POST":
        form = form_class(request.POST, roles=_decision_roles(request.user, putaran))
        if form.is_valid():
            try:
                do(entri, form.cleaned_data)
            except ActionRefused as exc:
                messages.error(request, str(exc))
            return redirect(_entry_url(entri))
        status = 400
    else:
        roles = deciding_roles(request.user, putaran)
        if not roles:
            messages.error(
                request, _("There is nothing for you to decide on this entry at the moment.")
            )
            return redirect(_entry_url(entri))
        form = form_class(roles=roles)
        status = 200
    return render(
        request,
        template,
        {"entri": entri, "round": putaran, "form": form},
        status=status,
    )


def setujui(request, pk: int):
    """Approve an entry for one role, after the confirmation step."""

    def do(entri, data):
        decision = services.approve(
            entri_id=entri.pk, by=request.user, role=data["role"], seen_state=_seen_state(request)
        )
        entri.refresh_from_db(fields=["state"])
        if entri.state == State.DISETUJUI:
            messages.success(
                request,
                _("Approved as %(role)s. Every required role has approved: the entry is approved.")
                % {"role": decision.role},
            )
        else:
            messages.success(request, _("Approved as %(role)s.") % {"role": decision.role})

    return _decide_page(request, pk, ApproveForm, "persetujuan/setujui.html", do)


def kembalikan(request, pk: int):
    """Return an entry to the PPID with a written reason."""

    def do(entri, data):
        decision = services.return_entri(
            entri_id=entri.pk,
            by=request.user,
            role=data["role"],
            reason=data["reason"],
            seen_state=_seen_state(request),
        )
        messages.success(request, _("Returned to the PPID as %(role)s.") % {"role": decision.role})

    return _decide_page(request, pk, ReturnForm, "persetujuan/kembalikan.html", do)


# ---------------------------------------------------------------- the PPID: submit, withdraw


@login_required
def ajukan(request):
    """The PPID's page: classified entries to submit (as a batch), and what is under way."""
    user = request.user
    if not lifecycle.may_take(user, Action.SUBMIT):
        raise PermissionDenied
    if request.method == "POST":
        try:
            rounds = services.entries_submit(entri_ids=request.POST.getlist("entri"), by=user)
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s entry submitted for approval.",
                    "%(count)s entries submitted for approval.",
                    len(rounds),
                )
                % {"count": len(rounds)},
            )
        return redirect("persetujuan:ajukan")

    visible = entries_visible_to(user).select_related("document_type", "period_kind")
    latest_rounds = Prefetch(
        "rounds",
        queryset=Putaran.objects.prefetch_related(decisions_prefetch()).order_by("-number"),
        to_attr="all_rounds",
    )
    classified = visible.filter(state=State.DIKLASIFIKASI).prefetch_related(
        "legal_grounds__regulation", latest_rounds
    )
    submitted = visible.filter(state=State.DIAJUKAN).prefetch_related(open_rounds_prefetch())
    approved = visible.filter(state=State.DISETUJUI).order_by("-state_changed_at", "-pk")

    classified_rows = []
    for entri in classified:
        last = entri.all_rounds[0] if entri.all_rounds else None
        returned = last if last and last.status == Putaran.Status.RETURNED else None
        reasons = [d for d in returned.decisions.all() if d.reason] if returned else []
        classified_rows.append({"entri": entri, "returned": returned, "reasons": reasons})
    submitted_rows = []
    for entri in submitted:
        putaran = entri.open_rounds[0] if entri.open_rounds else None
        decided = {d.role: d for d in putaran.decisions.all()} if putaran else {}
        submitted_rows.append(
            {
                "entri": entri,
                "round": putaran,
                "decisions": [(role, decided.get(role)) for role in putaran.required_roles]
                if putaran
                else [],
            }
        )
    return render(
        request,
        "persetujuan/ajukan.html",
        {
            "classified_rows": classified_rows,
            "submitted_rows": submitted_rows,
            "approved": approved,
        },
    )


@require_POST
def ajukan_entri(request, pk: int):
    entri = _visible_entri(request, pk)
    try:
        putaran = services.entri_submit(
            entri_id=entri.pk, by=request.user, seen_state=_seen_state(request)
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Submitted for approval (round %(number)s).") % {"number": putaran.number},
        )
    return redirect(_entry_url(entri))


@require_POST
def tarik(request, pk: int):
    entri = _visible_entri(request, pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.entri_withdraw(
            entri_id=entri.pk, by=request.user, note=note, seen_state=_seen_state(request)
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn: the entry is classified again."))
    return redirect(_entry_url(entri))


# ---------------------------------------------------------------- the approval sheet (PDF)


def lembar_pdf(request, pk: int):
    entri = _visible_entri(request, pk)
    return pdf_response(
        "persetujuan/lembar.html",
        {"sheets": sheet_entries([entri])},
        f"lembar-persetujuan-{entri.pk}.pdf",
        request,
        kantor=entri.kantor,
    )


def _parse_ids(values) -> list[int] | None:
    ids = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                return None
            ids.append(int(part))
    return list(dict.fromkeys(ids))


def lembar_batch_pdf(request):
    ids = _parse_ids(request.GET.getlist("ids"))
    if not ids:
        return HttpResponseBadRequest(
            _("Give the entry numbers separated by commas, for example ?ids=1,2,3."),
            content_type="text/plain; charset=utf-8",
        )
    entries = {e.pk: e for e in entries_visible_to(request.user).filter(pk__in=ids)}
    if len(entries) != len(ids):
        raise Http404
    return pdf_response(
        "persetujuan/lembar.html",
        {"sheets": sheet_entries([entries[pk] for pk in ids])},
        "lembar-persetujuan.pdf",
        request,
        kantor=entries[ids[0]].kantor,
    )
