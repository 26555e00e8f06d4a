from django import forms
from django.utils.translation import gettext_lazy as _

from ppid.errors import without_ids


class SendForm(forms.Form):
    nomor_surat = forms.CharField(label=_("Cover letter number"), max_length=100)
    tanggal_surat = forms.DateField(
        label=_("Cover letter date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    tujuan = forms.CharField(label=_("Addressed to"), max_length=200)
    surat = forms.FileField(label=_("Cover letter (PDF, optional)"), required=False)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is not None and len(offices) > 1:
            # someone serving several offices says for which one, like on the entry form
            kantor = forms.ModelChoiceField(
                label=_("Office"),
                queryset=offices,
                empty_label=_("— choose —"),
                help_text=_("The office that sends the proposal; its entries only."),
            )
            without_ids(kantor)
            self.fields = {"kantor": kantor, **self.fields}

    def letter(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("nomor_surat", "tanggal_surat", "tujuan")}
