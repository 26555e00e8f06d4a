from django import forms
from django.utils.translation import gettext_lazy as _


class SendForm(forms.Form):
    nomor_surat = forms.CharField(label=_("Cover letter number"), max_length=100)
    tanggal_surat = forms.DateField(
        label=_("Cover letter date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    tujuan = forms.CharField(label=_("Addressed to"), max_length=200)
    surat = forms.FileField(label=_("Cover letter (PDF, optional)"), required=False)
