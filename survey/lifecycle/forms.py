from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from survey.lifecycle.retention import RETENTION_CHOICES


def retention_label(days: int | None) -> str:
    if days is None:
        return str(_("Keep it until we erase it or delete the company"))
    return str(
        ngettext_lazy(
            "Erase it %(days)d day after the round closes",
            "Erase it %(days)d days after the round closes",
            days,
        )
        % {"days": days}
    )


class RetentionForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Personal data of closed rounds"),
        choices=[],
        coerce=lambda value: int(value) if value else None,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Names, e-mail addresses, links, device hashes, answers and comments of each "
            "person. The published results stay: they name nobody."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            ("" if days is None else str(days), retention_label(days)) for days in RETENTION_CHOICES
        ]


class DeleteCompanyForm(forms.Form):
    name = forms.CharField(
        label=_("Type the company's name to confirm"),
        max_length=200,
    )

    def __init__(self, *args, company, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if " ".join(name.split()).casefold() != " ".join(self.company.name.split()).casefold():
            raise forms.ValidationError(_("That is not the company's name."))
        return name


class DataRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))
