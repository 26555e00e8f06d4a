from django import forms
from django.utils.translation import gettext_lazy as _

from dokumen.forms import offer_office_choice


class SendForm(forms.Form):
    nomor_surat = forms.CharField(label=_("Cover letter number"), max_length=100)
    tanggal_surat = forms.DateField(
        label=_("Cover letter date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    tujuan = forms.CharField(label=_("Addressed to"), max_length=200)
    surat = forms.FileField(label=_("Cover letter (PDF, optional)"), required=False)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_office_choice(
            self, offices, help_text=_("The office that sends the proposal; its entries only.")
        )

    def letter(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("nomor_surat", "tanggal_surat", "tujuan")}
