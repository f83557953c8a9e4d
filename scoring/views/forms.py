from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from scoring.advice import guide
from scoring.advice.playbook import ACTIONS
from scoring.core.scores import RelationshipType
from scoring.models import PlannedAction


class GuideForm(forms.Form):
    """The current type's conditions as two groups of checkboxes."""

    def __init__(self, *args: Any, current: RelationshipType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            guide.STAY: _("Reasons to stay where you are"),
            guide.MOVE: _("Reasons to tighten the relationship"),
        }
        for kind, label in labels.items():
            self.fields[kind] = forms.MultipleChoiceField(
                label=label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(c.key, c.text) for c in guide.conditions(current, kind)],
            )

    def ticked(self) -> list[str]:
        return [*self.cleaned_data[guide.STAY], *self.cleaned_data[guide.MOVE]]


class PlannedActionForm(forms.ModelForm[PlannedAction]):
    """An action of the plan: a playbook action, or a title in the leaders' own words."""

    playbook_key = forms.ChoiceField(
        label=_("Playbook action"),
        required=False,
        choices=[("", _("None: my own action"))] + [(a.key, a.title) for a in ACTIONS],
    )

    class Meta:
        model = PlannedAction
        fields = ["playbook_key", "title", "owner", "due_date", "status", "notes"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("Leave empty to use the playbook action's title."),
            "owner": _("The person who sees it through."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("playbook_key") and not cleaned.get("title", "").strip():
            raise forms.ValidationError(_("Choose a playbook action or give the action a title."))
        return cleaned


class MemberField(forms.ModelChoiceField[User]):
    """A member of the company, shown by their email (their username if they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.email or obj.username


class HeadsForm(forms.Form):
    """Who answers the two-key guide for each department: two different company members."""

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (
            ("sales_head", _("Head of sales")),
            ("marketing_head", _("Head of marketing")),
        ):
            self.fields[name] = MemberField(
                label=label, queryset=members, empty_label=_("Choose a member")
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sales, marketing = cleaned.get("sales_head"), cleaned.get("marketing_head")
        if sales is not None and sales == marketing:
            raise forms.ValidationError(_("Choose a different person for each department."))
        return cleaned


class OwnersForm(forms.Form):
    """An owner from sales and one from marketing: a member, or a name with an email."""

    DEPARTMENTS = (("sales", _("Owner from sales")), ("marketing", _("Owner from marketing")))

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _label in self.DEPARTMENTS:
            self.fields[f"{key}_member"] = MemberField(
                label=_("A member of the company"),
                queryset=members,
                required=False,
                empty_label=_("Someone else (name and email below)"),
            )
            self.fields[f"{key}_name"] = forms.CharField(
                label=_("Or a name"), max_length=200, required=False
            )
            self.fields[f"{key}_email"] = forms.EmailField(label=_("and an email"), required=False)
            self.fields[f"{key}_language"] = forms.ChoiceField(
                label=_("Language of their email"), choices=settings.LANGUAGES
            )

    def sides(self) -> list[tuple[str, list[BoundField]]]:
        """Each department's fields, for a fieldset per department."""
        names = ("member", "name", "email", "language")
        return [
            (str(label), [self[f"{key}_{n}"] for n in names]) for key, label in self.DEPARTMENTS
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key, _label in self.DEPARTMENTS:
            if cleaned.get(f"{key}_member") is None and not (
                cleaned.get(f"{key}_name", "").strip() and cleaned.get(f"{key}_email")
            ):
                self.add_error(
                    f"{key}_member",
                    _("Choose a member, or give a name and an email."),
                )
        return cleaned
