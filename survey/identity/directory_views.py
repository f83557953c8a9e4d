"""The owner's directory page: the SCIM address to give the identity provider, the tokens
(created and shown once, revoked), what the directory holds, and the record of it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from survey.identity import directory
from survey.identity.models import ScimToken
from survey.models import AuditEvent, Company
from survey.workspace.access import owner_membership_or_404

DIRECTORY_ACTIONS = [
    AuditEvent.Action.SCIM_TOKEN_CREATED,
    AuditEvent.Action.SCIM_TOKEN_USED,
    AuditEvent.Action.SCIM_TOKEN_REVOKED,
    AuditEvent.Action.DIRECTORY_INVITED,
]
RECORD_SHOWN = 100


class TokenForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("What is this token for?"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "For example: Entra ID, Okta. Only you and the other leaders see it."
        ),
    )


def context_for(request: HttpRequest, company: Company, form: TokenForm) -> dict:
    people = directory.invitable(company)
    return {
        "company": company,
        "form": form,
        "scim_url": request.build_absolute_uri(reverse("scim:root")),
        "tokens": company.scim_tokens.select_related("created_by"),
        "people": company.directory_people.count(),
        "invitable": len(people),
        "sales": sum(p.department == "sales" for p in people),
        "marketing": sum(p.department == "marketing" for p in people),
        "record": company.audit_events.filter(action__in=DIRECTORY_ACTIONS).select_related("actor")[
            :RECORD_SHOWN
        ],
    }


@require_http_methods(["GET", "POST"])
@login_required
def directory_settings(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    form = TokenForm(request.POST or None)
    context = context_for(request, company, form)
    if request.method == "POST" and form.is_valid():
        _token, value = directory.create_token(
            company=company, label=form.cleaned_data["label"], actor=request.user
        )
        # Rendered, not redirected: the token exists only in this response.
        context = context_for(request, company, TokenForm()) | {"new_token": value}
        response = render(request, "identity/directory.html", context)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "identity/directory.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request: HttpRequest, company_id: int, token_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    token = get_object_or_404(ScimToken, pk=token_id, company=company)
    directory.revoke_token(token=token, actor=request.user)
    messages.success(request, _("The token is revoked: the directory can no longer use it."))
    return redirect("workspace:directory", company_id=company.pk)
