"""The owners' Your data page (retention, export, deleting the company) and the public page
where anyone asks what the product holds about their e-mail address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from survey.lifecycle import deletion, export, retention, subject
from survey.lifecycle.forms import DataRequestForm, DeleteCompanyForm, RetentionForm
from survey.models import AuditEvent
from survey.plumbing.throttle import DATA_REPORTS, DATA_REQUESTS, client_address
from survey.workspace.access import owner_membership_or_404
from survey.writes.services import record


@require_http_methods(["GET", "POST"])
@login_required
def data(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    initial = {"days": "" if company.retention_days is None else str(company.retention_days)}
    form = RetentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        retention.set_retention(company=company, days=form.cleaned_data["days"], actor=request.user)
        messages.success(request, _("Saved: the daily job erases what is due."))
        return redirect("workspace:data", company_id=company.pk)
    context = {
        "company": company,
        "form": form,
        "goes": deletion.what_goes(company),
        "due_at": deletion.due_at(company),
        "grace_days": deletion.GRACE.days,
    }
    return render(request, "survey/workspace/data.html", context)


@require_safe
@login_required
def data_export(request: HttpRequest, company_id: int) -> StreamingHttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    record(
        company=company, action=AuditEvent.Action.EXPORTED, actor=request.user, survey_round=None
    )
    response = StreamingHttpResponse(export.archive(company), content_type="application/zip")
    name = f"{company.slug}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def company_delete(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    form = DeleteCompanyForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        deletion.ask(company=company, actor=request.user)
        messages.warning(
            request,
            _("The company will be deleted in %(days)d days. Until then any owner can undo it.")
            % {"days": deletion.GRACE.days},
        )
        return redirect("workspace:data", company_id=company.pk)
    context = {
        "company": company,
        "form": form,
        "goes": deletion.what_goes(company),
        "grace_days": deletion.GRACE.days,
        "due_at": deletion.due_at(company),
    }
    return render(request, "survey/workspace/company_delete.html", context)


@require_POST
@login_required
def company_delete_undo(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    if company.deletion_requested_at is not None:
        deletion.undo(company=company, actor=request.user)
        messages.success(request, _("The company will not be deleted."))
    return redirect("workspace:data", company_id=company.pk)


@require_http_methods(["GET", "POST"])
def data_request(request: HttpRequest) -> HttpResponse:
    """Whatever the address, the same answer: look in that inbox. Only the mailbox's
    holder reads what is held about it."""
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if DATA_REQUESTS.exceeded(address):
            return render(request, "survey/too_many.html", status=429)
        DATA_REQUESTS.hit(address)
        email = form.cleaned_data["email"].strip().lower()
        if DATA_REPORTS.hit(email) <= DATA_REPORTS.max_hits:
            subject.request_report(email=email, language=get_language())
        return render(request, "lifecycle/data_request_sent.html", {"email": email})
    return render(request, "lifecycle/data_request.html", {"form": form})
