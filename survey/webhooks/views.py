"""A company's webhooks, for its owners: register an endpoint (its secret shown once), read
its delivery log, send a delivery again, switch an endpoint on again, remove it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from survey.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from survey.webhooks.outbox import queue
from survey.webhooks.safety import Refused, check
from survey.workspace.access import owner_membership_or_404

LOG_SHOWN = 100


class EndpointForm(forms.Form):
    url = forms.CharField(label=gettext_lazy("URL"), max_length=500)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Event.ROUND_CLOSED],
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        try:
            check(url)
        except Refused as error:
            raise forms.ValidationError(str(error)) from error
        return url


def endpoint_or_404(request: HttpRequest, company_id: int, endpoint_id: int) -> WebhookEndpoint:
    membership = owner_membership_or_404(request.user, company_id)
    return get_object_or_404(membership.company.webhook_endpoints, pk=endpoint_id)


@require_http_methods(["GET", "POST"])
@login_required
def webhooks(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    form = EndpointForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = WebhookEndpoint.objects.create(
            company=company,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            language=get_language() or "en",
            created_by=request.user if request.user.is_authenticated else None,
        )
        form = EndpointForm()  # the secret is on this page only: never redirected to
    context = {
        "company": company,
        "form": form,
        "created": created,
        "endpoints": company.webhook_endpoints.all(),
    }
    return render(request, "survey/workspace/webhooks.html", context)


@require_http_methods(["GET"])
@login_required
def webhook(request: HttpRequest, company_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = endpoint_or_404(request, company_id, endpoint_id)
    context = {
        "company": endpoint.company,
        "endpoint": endpoint,
        "deliveries": endpoint.deliveries.all()[:LOG_SHOWN],
    }
    return render(request, "survey/workspace/webhook.html", context)


@require_POST
@login_required
def webhook_resend(
    request: HttpRequest, company_id: int, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    endpoint = endpoint_or_404(request, company_id, endpoint_id)
    delivery = get_object_or_404(endpoint.deliveries, pk=delivery_id)
    # Sent anew: a day of retries from now if it fails (so an endpoint switched on again
    # is not switched off by the first missed delivery sent again).
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, attempts=0
    )
    queue([delivery.pk], manual=True)
    messages.success(request, _("The delivery was sent again; its row shows how it went."))
    return redirect("workspace:webhook", company_id=company_id, endpoint_id=endpoint.pk)


@require_POST
@login_required
def webhook_enable(request: HttpRequest, company_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = endpoint_or_404(request, company_id, endpoint_id)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, disabled_at=None)
    messages.success(request, _("The endpoint is on again and gets new events."))
    return redirect("workspace:webhook", company_id=company_id, endpoint_id=endpoint.pk)


@require_POST
@login_required
def webhook_remove(request: HttpRequest, company_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = endpoint_or_404(request, company_id, endpoint_id)
    endpoint.delete()
    messages.success(request, _("The endpoint is removed; it gets no more events."))
    return redirect("workspace:webhooks", company_id=company_id)
