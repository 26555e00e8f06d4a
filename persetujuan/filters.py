"""Search and filters of the review queue, like the staff list's (dokumen/filters.py)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dokumen.filters import with_file_text
from dokumen.models import DasarHukum, Entri, JenisDokumen


class AntreanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search title, summary and the text of the files"),
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
        value = value.strip()
        if not value:
            return queryset
        own = Q(title__icontains=value) | Q(summary__icontains=value)
        # and the text of the entry's files the approver may open (dokumen.filters)
        return with_file_text(queryset, own, user=getattr(self.request, "user", None), words=value)
