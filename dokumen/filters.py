"""Filters and sorting of the staff list of entries; the Formulir PDF prints the same selection."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from dokumen.models import Action, DasarHukum, Entri, JenisDokumen, State
from dokumen.search import STAFF, ranked, search_entries

SORTS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "collected_on": ("collected_on", "pk"),
    "-collected_on": ("-collected_on", "-pk"),
    "state": ("state_order", "-collected_on", "-pk"),
    "-state": ("-state_order", "-collected_on", "-pk"),
}
BEST_MATCH = "relevansi"  # with a search: dokumen.search.ranked; without, the default order
SORT_CHOICES = [
    (BEST_MATCH, _("Best match to the search")),
    ("-collected_on", _("Date collected, newest first")),
    ("collected_on", _("Date collected, oldest first")),
    ("title", _("Title, A–Z")),
    ("-title", _("Title, Z–A")),
    ("state", _("Step, first to last")),
    ("-state", _("Step, last to first")),
]
DEFAULT_SORT = "-collected_on"


def with_state_order(queryset):
    """The lifecycle order of the states, so sorting by step follows the SOP, not the alphabet."""
    return queryset.annotate(
        state_order=Case(
            *[When(state=state.value, then=Value(n)) for n, state in enumerate(State)],
            default=Value(len(State)),
            output_field=IntegerField(),
        )
    )


RETURNED = "dikembalikan"  # classified again because an approver returned it


def returned(queryset):
    """Entries an approver returned, waiting for the PPID (told apart from a withdrawal)."""
    return queryset.filter(state=State.DIKLASIFIKASI, state_action=Action.RETURN)


class EntriFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search title, summary, consequence test and the text of the files"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("Step"),
        choices=[*State.choices, (RETURNED, _("returned, waiting for the PPID"))],
        empty_label=_("All steps"),
        method="in_step",
    )
    document_type = django_filters.ModelChoiceFilter(
        label=_("Document type"),
        queryset=JenisDokumen.objects.all(),
        empty_label=_("All document types"),
    )
    legal_ground = django_filters.ModelChoiceFilter(
        label=_("Legal ground"),
        field_name="legal_grounds",
        queryset=DasarHukum.objects.filter(is_ground=True).select_related("regulation"),
        empty_label=_("All legal grounds"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year collected"),
        field_name="collected_on",
        lookup_expr="year",
        empty_label=_("All years"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Entri
        fields = ["q", "state", "document_type", "legal_ground", "year", "sort"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        years = self.queryset.order_by().dates("collected_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]
        self.filters["legal_ground"].field.label_from_instance = lambda g: g.citation

    def in_step(self, queryset, name, value):
        if value == RETURNED:
            return returned(queryset)
        return queryset.filter(state=value)

    def search(self, queryset, name, value):
        return search_entries(
            queryset, value, scope=STAFF, user=getattr(self.request, "user", None)
        )

    def sort_by(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so that a default applies too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        searched = bool((self.form.cleaned_data.get("q") or "").strip())
        sort = self.form.cleaned_data.get("sort") or (BEST_MATCH if searched else DEFAULT_SORT)
        if sort == BEST_MATCH:
            return ranked(queryset) if searched else queryset.order_by(*SORTS[DEFAULT_SORT])
        if sort.lstrip("-") == "state":
            queryset = with_state_order(queryset)
        return queryset.order_by(*SORTS[sort])
