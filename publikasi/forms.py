"""Forms of the publication desk: they only parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dokumen.forms import offer_office_choice
from dokumen.models import DasarHukum, Entri, JenisDokumen
from ppid.errors import without_ids
from ppid.models import Kantor
from publikasi.models import Keputusan, SaluranPublikasi
from publikasi.services import COVERABLE_STATES

DEFAULT_ISSUER = Keputusan._meta.get_field("issuer").default


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entri) -> str:
        return f"{obj.title} — {obj.get_state_display()}"


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entri) -> str:
        return f"{obj.title} — {obj.get_state_display()}"


class KeputusanForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=100,
        help_text=_("As written on the decree, e.g. 731 Tahun 2025"),
    )
    date = forms.DateField(label=_("Date of the decree"), widget=DateInput())
    title = forms.CharField(label=_("About (tentang)"), widget=forms.Textarea(attrs={"rows": 3}))
    issuer = forms.CharField(label=_("Issuer"), max_length=150, initial=DEFAULT_ISSUER)
    pdf = forms.FileField(
        label=_("Decree PDF"),
        required=False,
        help_text=_("The signed decree as a PDF. It becomes public when the decree is published."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    entries = EntryChoices(
        label=_("Entries covered"),
        queryset=Entri.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Archived entries the decree establishes as exempted."),
    )

    def __init__(self, *args, entries_queryset=None, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        without_ids(self.fields["entries"])
        offer_office_choice(
            self,
            offices,
            help_text=_("The office that records the decree; it covers that office's entries."),
        )
        self.fields["entries"].queryset = (
            entries_queryset.filter(state__in=COVERABLE_STATES).order_by("title", "pk")
            if entries_queryset is not None
            else Entri.objects.none()
        )


class OwnIds:
    """The decree page holds several forms with the same field names (date, confirm): each
    form's ids get its own prefix, so every label points at its own field."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PublishForm(OwnIds, forms.Form):
    id_prefix = "terbit"

    confirm = forms.BooleanField(
        label=_(
            "I confirm that KPU RI issued this decree and that its entries become the published DIK."
        ),
        error_messages={
            "required": _("Tick the box to confirm the publication: nothing was published yet.")
        },
    )
    signature_override = forms.CharField(
        label=_("Reason to publish although the PDF's signature check failed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the PDF was changed after signing or its signature cannot be checked; the reason is kept in the decree's history."
        ),
    )


class RevokeForm(OwnIds, forms.Form):
    id_prefix = "cabut"

    number = forms.CharField(
        label=_("Number of the revoking decree"),
        max_length=100,
        help_text=_("e.g. 805 Tahun 2025"),
    )
    date = forms.DateField(label=_("Date of the revoking decree"), widget=DateInput())
    title = forms.CharField(label=_("About (tentang)"), widget=forms.Textarea(attrs={"rows": 2}))
    issuer = forms.CharField(label=_("Issuer"), max_length=150, initial=DEFAULT_ISSUER)
    pdf = forms.FileField(
        label=_("PDF of the revoking decree"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm the revocation: the entries covered only by this decree are no longer exempted."
        ),
        error_messages={
            "required": _("Tick the box to confirm the revocation: nothing was revoked yet.")
        },
    )
    signature_override = forms.CharField(
        label=_("Reason to publish although the PDF's signature check failed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the PDF was changed after signing or its signature cannot be checked; the reason is kept in the decree's history."
        ),
    )


class ChannelForm(OwnIds, forms.ModelForm):
    id_prefix = "saluran"

    class Meta:
        model = SaluranPublikasi
        fields = ["channel", "date", "link", "note"]
        widgets = {"date": DateInput()}


class ItemForm(OwnIds, forms.Form):
    """A piece of information the draft decree designates, recorded once by the deciding office."""

    id_prefix = "informasi"

    title = forms.CharField(
        label=_("Information"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As the decree names it, e.g. the document and whose it is."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=JenisDokumen.objects.none(), required=False
    )
    legal_grounds = forms.ModelMultipleChoiceField(
        label=_("Legal grounds"),
        queryset=DasarHukum.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_wording = forms.CharField(
        label=_("Period, verbatim wording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_ids(self.fields["document_type"])
        without_ids(self.fields["legal_grounds"])
        self.fields["document_type"].queryset = JenisDokumen.objects.order_by("order", "name")
        self.fields["legal_grounds"].queryset = (
            DasarHukum.objects.filter(is_ground=True)
            .select_related("regulation")
            .order_by("order", "code")
        )


class ReachForm(OwnIds, forms.Form):
    """The offices a draft decree decides for: named ones, or every office under the decider."""

    id_prefix = "jangkauan"

    all_below = forms.BooleanField(
        label=_("Every office under the deciding office"),
        required=False,
        help_text=_("KPU RI: every office; a KPU Provinsi: its kabupaten/kota."),
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Offices reached"),
        queryset=Kantor.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The offices whose entries it decides, e.g. those that proposed them."),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        without_ids(self.fields["offices"])
        if choices is not None:
            self.fields["offices"].queryset = choices

    def clean(self):
        data = super().clean()
        if not data.get("all_below") and not data.get("offices"):
            raise forms.ValidationError(
                _("Choose the offices the decree reaches, or tick every office under it.")
            )
        return data


class LinkForm(forms.Form):
    """An office's own entry (its files, its binder) linked to a decree's information."""

    entri = EntryChoice(
        label=_("Your office's entry"),
        queryset=Entri.objects.none(),
        help_text=_("An archived entry of your office holding this information."),
        error_messages={"required": _("Choose the entry of your office to link.")},
    )

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        without_ids(self.fields["entri"])
        if entries is not None:
            self.fields["entri"].queryset = entries
