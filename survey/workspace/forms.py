"""The forms of the leaders' workspace (rendered with crispy-forms, Bootstrap 5)."""

from datetime import date, datetime, time

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survey.core import csv_import
from survey.core.csv_import import Parsed, Person
from survey.models import (
    MAX_ANONYMITY_THRESHOLD,
    MIN_ANONYMITY_THRESHOLD,
    Company,
    Department,
    Role,
    Round,
)
from survey.writes.services import can_lower_threshold

THRESHOLD_HELP = _(
    "Staff answers are shown only for groups of at least this many people (3 to 10), "
    "so nobody can be singled out. Once the first person is invited it can be raised, "
    "not lowered."
)
CLOSE_HELP = _(
    "Results are published when the round closes: at the end of this day, or earlier "
    "if you close it. Leave empty to close it yourself."
)


def end_of_day(day: date | None) -> datetime | None:
    """The last second of `day` in the site's time zone: when a round with that close
    date closes."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def close_date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Close date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=CLOSE_HELP,
    )


def clean_close_date(day: date | None) -> date | None:
    if day is not None and end_of_day(day) <= timezone.now():
        raise forms.ValidationError(_("Choose a close date from today on."))
    return day


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


INVITED_ROLES = [
    ("manager", _("Manager: runs rounds, invites staff, changes the plan")),
    ("viewer", _("Viewer: reads published results, downloads and the plan, changes nothing")),
]


class ManagerInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("They get a link that makes them a member when they sign up or log in."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=INVITED_ROLES,
        initial="manager",
        required=False,  # a manager unless told otherwise
        widget=forms.RadioSelect,
    )

    def clean_role(self) -> str:
        return self.cleaned_data["role"] or "manager"

    language = forms.ChoiceField(
        label=_("Language of the email"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Used unless we already know the language they answer surveys in."),
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
    closes_on = close_date_field()

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anonymity_threshold"] = threshold_field(company.anonymity_threshold)
        self.order_fields(["title", "closes_on", "anonymity_threshold"])
        self.fields["marketing_head_email"].help_text = _(
            "Heads are told that their answers are shown as the heads' view."
        )

    def clean_closes_on(self) -> date | None:
        return clean_close_date(self.cleaned_data["closes_on"])

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
            heads.append(
                Person(
                    email=email.lower(),
                    name=name,
                    department=department,
                    role=Role.LEADER,
                    language=language,
                )
            )
        return heads


class RoundEditForm(forms.Form):
    """Title, threshold and close date of an open round; every change of the last two is
    in the audit log (survey.writes.services.update_round)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = close_date_field()

    def __init__(self, *args, survey_round: Round, **kwargs):
        initial = {
            "title": survey_round.title,
            "anonymity_threshold": survey_round.anonymity_threshold,
            "closes_on": timezone.localtime(survey_round.closes_at).date()
            if survey_round.closes_at
            else None,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.survey_round = survey_round
        self.fields["anonymity_threshold"] = threshold_field(survey_round.anonymity_threshold)

    def clean_closes_on(self) -> date | None:
        return clean_close_date(self.cleaned_data["closes_on"])

    def clean_anonymity_threshold(self) -> int:
        """Once the first person is invited it may rise, never fall: people were invited on
        the promise of groups at least this large. Whatever the answers: an error that
        appeared only once someone answered would tell the leader so."""
        value = self.cleaned_data["anonymity_threshold"]
        current = self.survey_round.anonymity_threshold
        if value < current and not can_lower_threshold(self.survey_round):
            raise self.threshold_locked_error()
        return value

    @staticmethod
    def threshold_locked_error() -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "People are already invited (or a shared link was turned on), so the "
                "threshold can be raised but not lowered."
            )
        )


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
    show_links = forms.BooleanField(
        label=_("Also show me their links, to send by chat"),
        required=False,
        help_text=_(
            "Shown once, on the next page. Every leader sees in the round's record that you "
            "saw them, and the results count the answers that came through them."
        ),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.parsed = Parsed(people=[], errors=[])

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
        if not cleaned.get("send_emails") and not cleaned.get("show_links"):
            raise forms.ValidationError(
                _("Choose how they get their links: by email, on screen to send by chat, or both.")
            )
        return cleaned


class FreshLinkForm(forms.Form):
    email = forms.EmailField(label=_("Their email"))
