import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, DateField, F, Prefetch, When
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dokumen import lifecycle, panels, services
from dokumen.berkas_views import files_section
from dokumen.filters import RETURNED, EntriFilter
from dokumen.forms import ClassificationForm, DeskForm, EntriFullForm, PlaceForm, ReturnToDeskForm
from dokumen.history import entri_history
from dokumen.models import Action, DasarHukum, State
from dokumen.selectors import (
    entries_visible_to,
    file_text_snippets,
    hardcopy_of,
    places_visible_to,
    redacted_copies_visible_to,
    sees_places,
)
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.pdf import pdf_response
from ppid.roles import Role, desk_required, has_role, offices_where, required_approver_roles

PAGE_SIZE = 25


def seen_state(request) -> str | None:
    """The entry's state when the user's page was drawn (a hidden field of every action's form)."""
    return request.POST.get("state") or None


@desk_required
def beranda(request):
    counts, returned = {}, 0
    per_step_and_action = (
        entries_visible_to(request.user)
        .order_by()
        .values_list("state", "state_action")
        .annotate(n=Count("pk"))
        .values_list("state", "state_action", "n")
    )
    for state, action, n in per_step_and_action:  # one query: counts, and the returned ones
        counts[state] = counts.get(state, 0) + n
        if state == State.DIKLASIFIKASI and action == Action.RETURN:
            returned += n
    per_state = [(state, counts.get(state.value, 0)) for state in State]
    return render(
        request,
        "dokumen/beranda.html",
        {
            "per_state": per_state,
            "returned_count": returned,
            "returned_filter": RETURNED,
            **time_standard(request.user, counts),
        },
    )


COLLECTION_STANDARD_DAYS = 14  # SOP step 1: weeks 1 to 2
OPEN_STATES = (
    State.DIKUMPULKAN,
    State.DIKLASIFIKASI,
    State.DIAJUKAN,
    State.DISETUJUI,
    State.DIARSIPKAN,
)
AGE_LIST_LIMIT = 50


def waits_on(state: State) -> tuple[str, str]:
    """Who the next step of an entry in `state` waits on, and what that step is."""
    approvers = ", ".join(role.value for role in required_approver_roles())
    return {
        State.DIKUMPULKAN: (
            f"{Role.DESK.value}, {Role.PPID.value}",
            _("collection, then classification"),
        ),
        State.DIKLASIFIKASI: (Role.PPID.value, _("submission for approval")),
        State.DIAJUKAN: (approvers, _("approval")),
        State.DISETUJUI: (Role.PPID.value, _("files, binder and archiving")),
        State.DIARSIPKAN: (_("KPU RI, then the PPID"), _("the decree and its publication")),
    }[state]


def time_standard(user, counts: dict) -> dict:
    """SOP time standard: each open entry's age in its step, late collection flagged (two queries).

    Step 1's clock runs from the day the information was collected, not from the day the desk
    typed it in; the later steps' from the transition into them."""
    today = timezone.localdate()
    entries = list(
        entries_visible_to(user)
        .filter(state__in=OPEN_STATES)
        .only("pk", "title", "state", "state_changed_at", "collected_on")
        .annotate(
            step_since=Case(
                When(state=State.DIKUMPULKAN, then=F("collected_on")),
                default=TruncDate("state_changed_at"),
                output_field=DateField(),
            )
        )
        .order_by("step_since", "pk")[:AGE_LIST_LIMIT]
    )
    for entri in entries:
        entri.days_in_step = (today - entri.step_since).days
        entri.collection_late = (
            entri.state == State.DIKUMPULKAN
            and (today - entri.collected_on).days > COLLECTION_STANDARD_DAYS
        )
    open_total = sum(counts.get(state.value, 0) for state in OPEN_STATES)
    waiting = []
    if has_role(user, Role.PPID):
        for state in OPEN_STATES:
            who, step = waits_on(state)
            waiting.append((state, counts.get(state.value, 0), who, step))
    return {
        "aging": entries,
        "aging_more": max(open_total - len(entries), 0),
        "late_collections": entries_visible_to(user)
        .filter(
            state=State.DIKUMPULKAN,
            collected_on__lt=today - datetime.timedelta(days=COLLECTION_STANDARD_DAYS),
        )
        .count(),
        "collection_standard_days": COLLECTION_STANDARD_DAYS,
        "waiting_on": waiting,
    }


# ---------------------------------------------------------------- entries (SOP steps 1–3)


def _staff_entries(user):
    """The entries a desk/PPID user works on, with what the list and the prints show."""
    return (
        entries_visible_to(user)
        .select_related("document_type", "period_kind")
        .prefetch_related(
            Prefetch("legal_grounds", queryset=DasarHukum.objects.select_related("regulation"))
        )
    )


def _get_entri(request, pk: int):
    return get_object_or_404(entries_visible_to(request.user), pk=pk)


@desk_required
def entri_list(request):
    filterset = EntriFilter(request.GET, queryset=_staff_entries(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    words = filterset.form.cleaned_data.get("q", "").strip() if filterset.is_valid() else ""
    if words and page.object_list:
        # where in the files the words were found, for this page's entries only (one query)
        found = file_text_snippets(request.user, words, entri_ids=[e.pk for e in page])
        for entri in page:
            entri.snippets = found.get(entri.pk, [])
    return render(
        request,
        "dokumen/entri_list.html",
        {"filter": filterset, "page": page, "entries": page.object_list},
    )


def _save(request, form, write, success: str):
    """Call the service; its refusal becomes a message, its field errors land on the form."""
    try:
        entri = write()
    except ActionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        form.add_service_errors(exc)
    else:
        messages.success(request, success)
        return redirect("meja:entri_detail", pk=entri.pk)
    return None


@desk_required
def entri_create(request):
    offices = Kantor.objects.filter(
        pk__in=offices_where(request.user, lifecycle.roles_for(Action.COLLECT))
    )
    form = DeskForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda: services.entri_create(
                by=request.user, data=form.service_data(), kantor=form.chosen_office()
            ),
            _("The entry was saved on the Formulir."),
        )
        if response:
            return response
    return render(
        request,
        "dokumen/entri_form.html",
        {"form": form, "title": _("New entry"), "submit": _("Save entry")},
    )


def _refused_page(request, entri, action: Action):
    """An action's form the entry's state does not allow (opened, or posted from a stale tab):
    say why and what can be done, show the entry. (A page that is only stale, the action still
    possible, is refused by the service and shown again with what was typed.)"""
    refusal = lifecycle.refusal(entri, action, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("meja:entri_detail", pk=entri.pk)
    return None


@desk_required
def entri_edit(request, pk: int):
    entri = _get_entri(request, pk)
    if refused := _refused_page(request, entri, Action.EDIT):
        return refused
    seen = seen_state(request) if request.method == "POST" else entri.state
    may_classify = lifecycle.may_take(request.user, Action.CLASSIFY, entri.kantor_id)
    form_class = EntriFullForm if may_classify else DeskForm
    form = form_class(request.POST or None, instance=entri)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda: services.entri_update(
                entri_id=pk,
                by=request.user,
                data=form.service_data(),
                legal_grounds=form.chosen_grounds(),
                seen_state=seen,
            ),
            _("The changes were saved.") if form.has_changed() else _("Nothing was changed."),
        )
        if response:
            return response
        entri.refresh_from_db(fields=["state"])  # refused: the next deliberate save sees it
        seen = entri.state
    return render(
        request,
        "dokumen/entri_form.html",
        {
            "form": form,
            "entri": entri,
            "seen_state": seen,
            "title": _("Edit entry"),
            "submit": _("Save changes"),
            "voids_round": entri.state in lifecycle.UNDER_APPROVAL,
        },
    )


@desk_required
def entri_classify(request, pk: int):
    entri = _get_entri(request, pk)
    if not lifecycle.may_take(request.user, Action.CLASSIFY, entri.kantor_id):
        raise PermissionDenied
    if refused := _refused_page(request, entri, Action.CLASSIFY):
        return refused
    seen = seen_state(request) if request.method == "POST" else entri.state
    form = ClassificationForm(request.POST or None, instance=entri)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda: services.entri_classify(
                entri_id=pk,
                by=request.user,
                data=form.service_data(),
                legal_grounds=form.chosen_grounds(),
                seen_state=seen,
            ),
            _("The entry is classified."),
        )
        if response:
            return response
        entri.refresh_from_db(fields=["state"])
        seen = entri.state
    return render(
        request,
        "dokumen/entri_form.html",
        {
            "form": form,
            "entri": entri,
            "seen_state": seen,
            "title": _("Classify entry"),
            "submit": _("Classify"),
            "intro": _(
                "Every part is required: document type, legal ground, the six parts of the "
                "consequence test and the period."
            ),
        },
    )


@desk_required
@require_POST
def entri_return(request, pk: int):
    entri = _get_entri(request, pk)
    form = ReturnToDeskForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.entri_return_to_desk(
            entri_id=entri.pk, by=request.user, note=note, seen_state=seen_state(request)
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The entry was returned to the desk."))
    return redirect("meja:entri_detail", pk=entri.pk)


@desk_required
@require_POST
def entri_place(request, pk: int):
    entri = _get_entri(request, pk)
    form = PlaceForm(request.POST, places=places_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a binder (ordner) as the hardcopy place."))
        return redirect("meja:entri_detail", pk=entri.pk)
    try:
        entri = services.entri_place(
            entri_id=entri.pk, by=request.user, ordner_id=form.cleaned_data["ordner"].pk
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The hardcopy is in %(place)s, archive number %(number)s.")
            % {"place": form.cleaned_data["ordner"].path, "number": entri.archive_code},
        )
    return redirect("meja:entri_detail", pk=entri.pk)


# ---------------------------------------------------------------- printed forms


def _formulir_context(entries, **extra) -> dict:
    return {"entries": entries, "signed_on": timezone.localdate(), **extra}


@desk_required
def formulir_pdf(request):
    """The Formulir Daftar Informasi Publik yang Dikecualikan: the list's selection, printed."""
    filterset = EntriFilter(request.GET, queryset=_staff_entries(request.user), request=request)
    applied = [
        (filterset.form[name].label, _filter_value_label(filterset, name))
        for name in ("q", "state", "document_type", "legal_ground", "year")
        if filterset.form.is_valid() and filterset.form.cleaned_data.get(name)
    ]
    return pdf_response(
        "dokumen/pdf/formulir.html",
        _formulir_context(list(filterset.qs), applied=applied),
        "formulir-dik.pdf",
        request,
        kantor=Kantor.objects.filter(
            pk__in=offices_where(request.user, lifecycle.roles_for(Action.PRINT))
        ).first(),
    )


def _filter_value_label(filterset, name: str) -> str:
    value = filterset.form.cleaned_data[name]
    if name == "state":
        return str(dict(filterset.form.fields["state"].choices).get(value, value))
    if name == "legal_ground":
        return value.citation
    return str(value)


@desk_required
def entri_formulir_pdf(request, pk: int):
    entri = get_object_or_404(_staff_entries(request.user), pk=pk)
    return pdf_response(
        "dokumen/pdf/formulir.html",
        _formulir_context([entri], single=True),
        f"formulir-dik-{entri.pk}.pdf",
        request,
        kantor=entri.kantor,
    )


@desk_required
def entri_uji_pdf(request, pk: int):
    """The lembar pengujian konsekuensi: the six parts of PKPU 22/2023 Article 25(3)."""
    entri = get_object_or_404(_staff_entries(request.user), pk=pk)
    return pdf_response(
        "dokumen/pdf/uji_konsekuensi.html",
        {"entri": entri, "signed_on": timezone.localdate()},
        f"uji-konsekuensi-{entri.pk}.pdf",
        request,
        kantor=entri.kantor,
    )


@login_required
def entri_detail(request, pk: int):
    """One entry, for everyone who may see it (the selector decides; 404 otherwise). What the
    user may do comes from the lifecycle's table, the main step first."""
    user = request.user
    entri = get_object_or_404(
        entries_visible_to(user).select_related("document_type", "period_kind", "collected_by"),
        pk=pk,
    )
    actions = lifecycle.actions_for(entri, user)
    can = {step.action.value: step for step in actions}
    transitions = list(entri.transitions.select_related("by", "decree_publisher"))
    latest = transitions[-1] if transitions else None
    hardcopy = hardcopy_of(user, entri)
    return render(
        request,
        "dokumen/entri_detail.html",
        {
            "entri": entri,
            "grounds": entri.legal_grounds.select_related("regulation"),
            "transitions": transitions,
            "actions": actions,
            "can": can,
            "returned": latest if latest and latest.action == Action.RETURN else None,
            "sees_places": sees_places(user, entri.kantor_id),
            "hardcopy": hardcopy,
            "place_form": (
                PlaceForm(places=places_visible_to(user), initial={"ordner": entri.ordner_id})
                if "tempatkan" in can
                else None
            ),
            "return_form": ReturnToDeskForm(),
            "panels": panels.render(request, entri),
            "history": entri_history(entri, with_places=sees_places(user, entri.kantor_id)),
            "redacted_copies": redacted_copies_visible_to(user).filter(entri=entri),
            **files_section(request, entri),
        },
    )
