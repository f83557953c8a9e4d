"""The forms of a round's participants list: its filter, and correcting an address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from survey.models import Department


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email contains"), required=False, max_length=200)
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", _("Both departments")), *Department.choices],
    )


class CorrectEmailForm(forms.Form):
    email = forms.EmailField(label=_("Correct email address"), max_length=254)

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == self.current:
            raise forms.ValidationError(_("This is the address they already have."))
        return email
