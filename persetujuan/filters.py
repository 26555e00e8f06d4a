"""Search and filters of the review queue, like the staff list's (dokumen/filters.py)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dokumen.models import DasarHukum, Entri, JenisDokumen
from dokumen.search import STAFF, search_entries


class AntreanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search title, summary, consequence test and the text of the files"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
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

    class Meta:
        model = Entri
        fields = ["q", "document_type", "legal_ground"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["legal_ground"].field.label_from_instance = lambda g: g.citation

    def search(self, queryset, name, value):
        return search_entries(
            queryset, value, scope=STAFF, user=getattr(self.request, "user", None)
        )
