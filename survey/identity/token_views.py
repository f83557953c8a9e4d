"""A company's API tokens: the owner creates one (shown once), sees each one's last use,
and revokes it; managers are refused (403), another company's token is a 404."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from survey.identity.models import ApiToken
from survey.models import AuditEvent
from survey.workspace.access import owner_membership_or_404
from survey.writes.api_tokens import create_token, revoke_token

TOKEN_ACTIONS = [
    AuditEvent.Action.API_TOKEN_CREATED,
    AuditEvent.Action.API_TOKEN_NEW_ADDRESS,
    AuditEvent.Action.API_TOKEN_REVOKED,
]
RECORD_SHOWN = 50
EXPIRY_CHOICES = [(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What it is for, e.g. “Power BI”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("It may read"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiToken.Scope.RESULTS],
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        row, token = create_token(
            company=company,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            actor=request.user,
        )
        created = {"row": row, "token": token}  # shown on this answer only, never again
        form = TokenForm()
    context = {
        "company": company,
        "form": form,
        "created": created,
        "tokens": company.api_tokens.all(),
        "now": timezone.now(),
        "record": company.audit_events.filter(action__in=TOKEN_ACTIONS).select_related("actor")[
            :RECORD_SHOWN
        ],
    }
    # Leaders' pages are never cached (survey.middleware), so the new token stays on this answer.
    return render(request, "survey/workspace/api_tokens.html", context)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, company_id: int, token_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    token = get_object_or_404(ApiToken, pk=token_id, company=company)
    revoke_token(token=token, actor=request.user)
    return redirect("workspace:api_tokens", company_id=company.pk)
