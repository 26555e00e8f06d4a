"""Forms of the desk (the Formulir, SOP step 1) and of the PPID (classification, step 2).

A form only parses and cleans what was posted; the services in dokumen/services.py write it.
Errors the services raise as ValidationError({field: [...]}) are put next to their field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dokumen.labels import TEST_PARTS, field_label
from dokumen.models import DasarHukum, Entri, JenisDokumen, TempatSimpan
from dokumen.services import CLASSIFICATION_FIELDS, DESK_FIELDS
from ppid.errors import without_ids

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_ROWS = 3
CHOOSE = _("— choose —")
FIELDSETS = [
    (_("The information"), ("kantor", *DESK_FIELDS)),
    (_("Classification"), ("document_type", "legal_grounds", "other_law")),
    (_("Consequence test (PKPU 22/2023 Article 25(3))"), tuple(TEST_PARTS)),
    (
        _("Period (UU 14/2008 Article 20)"),
        ("period_kind", "period_years", "period_wording", "period_start", "period_review"),
    ),
]


class GroundsField(forms.ModelMultipleChoiceField):
    """Pasal 17 grounds as checkboxes: the citation and what it protects."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: DasarHukum) -> str:
        return f"{obj.citation} — {obj.summary}"


def grounds_choices(entri: Entri | None):
    """Active grounds, plus those an entry already holds (so an edit never drops them silently)."""
    condition = Q(is_ground=True, active=True)
    if entri is not None and entri.pk:
        condition |= Q(entries=entri)
    return DasarHukum.objects.filter(condition).distinct().select_related("regulation")


def _choose_label(field: forms.Field) -> None:
    """An empty choice that reads as an invitation, in the user's language."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
        field.choices = [("", CHOOSE), *field.choices[1:]]


class EntriForm(forms.ModelForm):
    """The fields of an entry a user may fill; the service saves them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # a callable model default (collected_on) would add a hidden “initial” input that
            # has_changed trusts; compare with the stored entry instead
            field.show_hidden_initial = False
            _choose_label(field)
            if isinstance(field, forms.ModelChoiceField):
                without_ids(field)
            if name in TEST_PARTS:
                field.label = field_label(name)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", TEXT_ROWS)
            if name == "document_type":
                field.queryset = JenisDokumen.objects.filter(
                    Q(active=True) | Q(pk=self.instance.document_type_id or 0)
                )
        if "legal_grounds" in self.fields:
            self.fields["legal_grounds"].queryset = grounds_choices(self.instance)

    class Meta:
        model = Entri
        fields = DESK_FIELDS
        widgets = {
            "collected_on": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_review": DATE_WIDGET,
        }
        field_classes = {"legal_grounds": GroundsField}

    def fieldsets(self):
        """The form's fields in the order and groups of the paper form."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def service_data(self, names=None) -> dict:
        """The cleaned values of the entry's own fields, as the services take them."""
        names = names or [n for n in self.fields if n != "legal_grounds"]
        return {name: self.cleaned_data[name] for name in names}

    def chosen_grounds(self):
        if "legal_grounds" not in self.fields:
            return None
        return list(self.cleaned_data["legal_grounds"])

    def add_service_errors(self, exc: ValidationError) -> None:
        """A service's field-level errors next to their fields; others above the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


def offer_office_choice(form: forms.BaseForm, offices, *, help_text: str = "") -> None:
    """Someone serving several offices (`offices`, a queryset of Kantor) says for which one:
    a first field `kantor` (the entry form, the decree form, the proposal form)."""
    if offices is None or len(offices) <= 1:
        return
    kantor = forms.ModelChoiceField(
        label=_("Office"), queryset=offices, empty_label=CHOOSE, help_text=help_text
    )
    without_ids(kantor)
    form.fields = {"kantor": kantor, **form.fields}


class DeskForm(EntriForm):
    """The desk's Formulir: the information, its unit, when it was collected; and for whom,
    when the user serves several offices (`offices`, a queryset of Kantor)."""

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_office_choice(self, offices)

    def service_data(self, names=None) -> dict:
        names = names or [n for n in self.fields if n not in ("legal_grounds", "kantor")]
        return super().service_data(names)

    def chosen_office(self):
        return self.cleaned_data.get("kantor")


class EntriFullForm(EntriForm):
    """The PPID edits everything: the desk's fields and the classification."""

    class Meta(EntriForm.Meta):
        fields = (*DESK_FIELDS, "legal_grounds", *CLASSIFICATION_FIELDS)


class ClassificationForm(EntriForm):
    """SOP step 2: what the PPID adds; every part becomes required (checked by the service)."""

    class Meta(EntriForm.Meta):
        fields = ("legal_grounds", *CLASSIFICATION_FIELDS)


class ReturnToDeskForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for returning it to the desk"), required=False, max_length=500
    )


class PlaceForm(forms.Form):
    ordner = forms.ModelChoiceField(
        label=_("Binder (ordner)"), queryset=TempatSimpan.objects.none()
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordner"].queryset = places.filter(
            level=TempatSimpan.Level.ORDNER, retired_at__isnull=True
        ).select_related("parent__parent__parent__parent")
        self.fields["ordner"].label_from_instance = lambda place: place.path
        without_ids(self.fields["ordner"])
