"""A leader's own account (name, second factor, deleting it) and the owner's "require a second
factor" setting. The second factor's own pages are allauth's (allauth.mfa) with our templates."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from survey.identity import accounts as rules
from survey.identity import mfa
from survey.workspace.access import owner_membership_or_404
from survey.workspace.accounts import NameField, safe_next


class NameForm(forms.Form):
    name = NameField()


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NameForm(request.POST or None, initial={"name": user.get_full_name()})
    if request.method == "POST" and form.is_valid():
        rules.rename(user=user, name=form.cleaned_data["name"])
        messages.success(request, _("Your name is saved."))
        return redirect(safe_next(request) or "account")
    context = {
        "form": form,
        "has_second_factor": mfa.has_second_factor(user),
        "next": safe_next(request),
    }
    return render(request, "identity/account.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Names what goes; refused while the user is the last owner of a company."""
    user = request.user
    blocking = rules.companies_only_owned_by(user)
    if request.method == "POST" and not blocking:
        rules.delete_account(user=user)
        logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("login")
    context = {
        "memberships": user.memberships.select_related("company").order_by("company__name"),
        "blocking": blocking,
    }
    return render(request, "identity/account_delete.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def company_mfa(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    if request.method == "POST":
        required = request.POST.get("required") == "1"
        if required and not mfa.has_second_factor(request.user):
            messages.error(request, _("Set up your own second factor first."))
        else:
            mfa.set_required(company=company, actor=request.user, required=required)
            messages.success(
                request,
                _("Leaders now sign in with a second factor.")
                if required
                else _("A second factor is no longer required."),
            )
        return redirect("workspace:company_mfa", company_id=company.pk)
    leaders = [
        (membership.user, mfa.has_second_factor(membership.user))
        for membership in company.memberships.select_related("user").order_by("user__email")
    ]
    return render(
        request,
        "identity/company_mfa.html",
        {"company": company, "leaders": leaders, "own": mfa.has_second_factor(request.user)},
    )
