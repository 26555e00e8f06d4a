from django import forms
from django.utils.translation import gettext_lazy as _


class _RoleForm(forms.Form):
    """The role to decide in: a person holding two roles chooses; with one role it is fixed."""

    role = forms.ChoiceField(label=_("Decide as"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.value) for r in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value
            self.fields["role"].widget = forms.HiddenInput()


class ApproveForm(_RoleForm):
    confirm = forms.BooleanField(
        label=_("I have read the entry, its classification and its files, and I approve it."),
        error_messages={"required": _("Tick the box to confirm that you have read the entry.")},
    )


class ReturnForm(_RoleForm):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The PPID sees this reason on the entry page."),
        error_messages={"required": _("Write the reason for returning the entry.")},
    )


class BatchApproveForm(_RoleForm):
    confirm = forms.BooleanField(
        label=_("I have read every selected entry and I approve them."),
        error_messages={"required": _("Tick the box to confirm that you have read the entries.")},
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
