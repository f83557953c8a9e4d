"""The form that adds a company domain: normalised and refused here, so the owner sees
why next to what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from survey.identity.domains import NotADomain, normalise, refusal
from survey.models import Company


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=_("Your company's e-mail domain"),
        help_text=_("The part after @ in your staff's work addresses, for example acme.com."),
        max_length=300,
    )

    def __init__(self, *args, company: Company, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["domain"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean_domain(self) -> str:
        try:
            domain = normalise(self.cleaned_data["domain"])
        except NotADomain as error:
            raise forms.ValidationError(str(error)) from error
        reason = refusal(self.company, domain)
        if reason:
            raise forms.ValidationError(reason)
        return domain
