"""The forms of the leaders' workspace (rendered with crispy-forms, Bootstrap 5)."""

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from survey import csv_import
from survey.csv_import import Parsed, Person
from survey.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    Company,
    Department,
    Role,
    Round,
)

THRESHOLD_HELP = _(
    "Staff answers are shown only for groups of at least this many people (3 to 10), "
    "so nobody can be singled out; it cannot change once answers come in."
)


def threshold_field(initial: int = 5) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Anonymity threshold"),
        initial=initial,
        min_value=MIN_ANONYMITY_THRESHOLD,
        max_value=MAX_ANONYMITY_THRESHOLD,
        validators=[
            MinValueValidator(MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(MAX_ANONYMITY_THRESHOLD),
        ],
        help_text=THRESHOLD_HELP,
    )


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name"]
        labels = {"name": _("Company name")}

    anonymity_threshold = threshold_field()


class ManagerInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("They get a link that makes them a manager when they sign up or log in."),
    )


HEAD_CHOICES = [
    ("me", _("Me")),
    ("someone", _("Someone else, by email")),
    ("later", _("Decide later")),
]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Spring survey"))
    sales_head = forms.ChoiceField(
        label=_("Who answers as the head of sales?"),
        choices=HEAD_CHOICES,
        initial="later",
        widget=forms.RadioSelect,
    )
    sales_head_email = forms.EmailField(label=_("Head of sales' email"), required=False)
    marketing_head = forms.ChoiceField(
        label=_("Who answers as the head of marketing?"),
        choices=HEAD_CHOICES,
        initial="later",
        widget=forms.RadioSelect,
    )
    marketing_head_email = forms.EmailField(label=_("Head of marketing's email"), required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anonymity_threshold"] = threshold_field(company.anonymity_threshold)
        self.order_fields(["title", "anonymity_threshold"])
        self.fields["marketing_head_email"].help_text = _(
            "Heads are told that their answers are shown as the heads' view."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sales_head") == cleaned.get("marketing_head") == "me":
            raise forms.ValidationError(_("You can answer as the head of one department only."))
        for department in Department.values:
            email = cleaned.get(f"{department}_head_email")
            if cleaned.get(f"{department}_head") == "someone" and not email:
                self.add_error(f"{department}_head_email", _("Enter their email address."))
        return cleaned

    def heads(self, user: AbstractBaseUser, language: str) -> list[Person]:
        heads = []
        for department in Department.values:
            choice = self.cleaned_data[f"{department}_head"]
            if choice == "later":
                continue
            email = user.email if choice == "me" else self.cleaned_data[f"{department}_head_email"]
            name = user.get_full_name() if choice == "me" else ""
            heads.append(Person(email.lower(), name, department, Role.LEADER, language))
        return heads


class RoundEditForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "anonymity_threshold"]
        help_texts = {"anonymity_threshold": THRESHOLD_HELP}

    def clean_anonymity_threshold(self) -> int:
        """Fixed once answers are in: lowering it would show smaller groups, and raising it
        regroups the staff batches (figures of 10 people, then of 6, single out 4)."""
        value = self.cleaned_data["anonymity_threshold"]
        round = self.instance
        current = Round.objects.get(pk=round.pk).anonymity_threshold
        answered = round.respondents.filter(submitted_at__isnull=False).exists()
        if value != current and answered:
            raise forms.ValidationError(_("Answers are in, so the threshold can no longer change."))
        return value


class PeopleForm(forms.Form):
    lines = forms.CharField(
        label=_("Paste one person per line"),
        required=False,
        max_length=csv_import.MAX_BYTES,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "an@example.com, An Nguyen, sales, staff, vi"}
        ),
        help_text=_(
            "email, name (optional), department (sales or marketing), role (staff or "
            "leader; staff if empty), language (en or vi; optional). Copied spreadsheet "
            "cells work too."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a CSV file"),
        required=False,
        help_text=_(
            "The same columns, at most 2,000 lines and 1 MB; a first line of "
            "column names is allowed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    send_emails = forms.BooleanField(
        label=_("Email each new person their personal link now"), required=False, initial=True
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.parsed = Parsed([], [])

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("lines", "")
        if upload and text:
            raise forms.ValidationError(_("Paste lines or upload a file, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Paste some lines or choose a file."))
        try:
            if upload:
                if upload.size > csv_import.MAX_BYTES:
                    raise csv_import.Rejected(
                        _("The file is larger than 1 MB. Split it into smaller files.")
                    )
                text = csv_import.decode(upload.read())
            self.parsed = csv_import.parse_people(text, default_language=self.language)
        except csv_import.Rejected as error:
            raise forms.ValidationError(str(error)) from error
        if not self.parsed.people and not self.parsed.errors:
            raise forms.ValidationError(_("There is nobody on these lines."))
        return cleaned


class ReissueForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email"),
        help_text=_("They get a new link by email; the old one stops working."),
    )
