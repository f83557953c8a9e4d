"""A company's e-mail domains: the owner adds one, publishes a TXT record, checks it, and
may remove it; managers see the page and its record but change nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from survey.identity import domains as identity
from survey.identity.domains import Outcome
from survey.models import AuditEvent, Company, CompanyDomain, Membership
from survey.plumbing.throttle import DOMAIN_CHECKS
from survey.workspace.access import membership_or_404, owner_domain_or_404
from survey.workspace.domain_forms import DomainForm
from survey.writes import domains as writes

DOMAIN_ACTIONS = [
    AuditEvent.Action.DOMAIN_ADDED,
    AuditEvent.Action.DOMAIN_VERIFIED,
    AuditEvent.Action.DOMAIN_REMOVED,
]
RECORD_SHOWN = 100


def domains_url(company_domain: CompanyDomain) -> str:
    """The page from its top, where the message saying what happened stands."""
    return reverse("workspace:domains", kwargs={"company_id": company_domain.company_id})


def has_open_round(company: Company) -> bool:
    return any(r.is_open for r in company.rounds.filter(closed_at__isnull=True))


@require_http_methods(["GET", "POST"])
@login_required
def domains(request: HttpRequest, company_id: int) -> HttpResponse:
    membership = membership_or_404(request.user, company_id)
    company = membership.company
    is_owner = membership.role == Membership.Role.OWNER
    if request.method == "POST" and not is_owner:
        raise PermissionDenied
    form = DomainForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        domain = form.cleaned_data["domain"]
        try:
            added = writes.add_domain(company=company, domain=domain, actor=request.user)
        except writes.AlreadyInList:
            form.add_error("domain", _("This domain is already in your list."))
        else:
            messages.success(
                request,
                _("%(domain)s added. Publish the TXT record below, then press Check now.")
                % {"domain": identity.unicode_form(domain)},
            )
            return redirect(domains_url(added))
    context = {
        "company": company,
        "is_owner": is_owner,
        "form": form,
        "domains": [shown(d) for d in company.domains.all()],
        "record": company.audit_events.filter(action__in=DOMAIN_ACTIONS).select_related("actor")[
            :RECORD_SHOWN
        ],
    }
    return render(request, "survey/workspace/domains.html", context)


def shown(company_domain: CompanyDomain) -> dict:
    return {
        "domain": company_domain,
        "name": identity.unicode_form(company_domain.domain),
        "record_name": identity.record_name(company_domain.domain),
        # Where a narrow screen may break the name: after each dot (<wbr> adds no text).
        "record_labels": identity.record_name(company_domain.domain).split("."),
        "record_value": identity.record_value(company_domain.token),
    }


@require_POST
@login_required
def domain_check(request: HttpRequest, company_id: int, domain_id: int) -> HttpResponse:
    company_domain = owner_domain_or_404(request.user, company_id, domain_id)
    name = identity.unicode_form(company_domain.domain)
    if company_domain.verified_at is not None:
        messages.info(request, _("%(domain)s is already verified.") % {"domain": name})
    elif DOMAIN_CHECKS.hit(str(company_id)) > DOMAIN_CHECKS.max_hits:
        messages.error(
            request,
            _("Your domains were checked many times in the last hour. Try again later."),
        )
    else:
        lookup = identity.look_up(company_domain.domain, company_domain.token)
        outcome = writes.record_check(
            company_domain=company_domain, lookup=lookup, actor=request.user
        )
        say(request, company_domain, outcome, lookup)
    return redirect(domains_url(company_domain))


def say(
    request: HttpRequest,
    company_domain: CompanyDomain,
    outcome: Outcome,
    lookup: identity.Lookup,
) -> None:
    """One plain sentence for each thing a check can find."""
    names = {
        "domain": identity.unicode_form(company_domain.domain),
        "name": identity.record_name(company_domain.domain),
        "value": identity.record_value(company_domain.token),
        "found": "; ".join(lookup.values)[:300],
    }
    if outcome == Outcome.MATCH:
        text = _(
            "%(domain)s is verified. From now on, staff count toward the anonymity "
            "threshold only if they were emailed at a verified domain."
        )
        messages.success(request, text % names)
        return
    texts = {
        Outcome.OTHER_VALUE: _(
            "%(name)s has a TXT record, but not the one we gave: it holds “%(found)s”. "
            "Change its value to %(value)s and check again."
        ),
        Outcome.AT_DOMAIN_ITSELF: _(
            "The value is published at %(domain)s itself. Publish it at %(name)s instead "
            "(at many DNS providers the name to enter is just _salesmarketing)."
        ),
        Outcome.MISSING: _(
            "There is no TXT record at %(name)s yet. A new record can take from a few "
            "minutes to a few hours to show; check again later."
        ),
        Outcome.NO_SUCH_DOMAIN: _(
            "%(domain)s does not exist in DNS. Check its spelling; if it is wrong, remove "
            "it and add the right one."
        ),
        Outcome.UNREACHABLE: _(
            "The DNS servers did not answer in time, so nothing was checked. Try again in a minute."
        ),
        Outcome.TAKEN: _(
            "%(domain)s is already verified by another company, so it cannot be verified "
            "for yours. A domain belongs to one company only."
        ),
    }
    # Not there yet, or DNS did not answer: wait and try again. The others need a change.
    transient = outcome in (Outcome.MISSING, Outcome.UNREACHABLE)
    (messages.warning if transient else messages.error)(request, texts[outcome] % names)


@require_http_methods(["GET", "POST"])
@login_required
def domain_remove(request: HttpRequest, company_id: int, domain_id: int) -> HttpResponse:
    company_domain = owner_domain_or_404(request.user, company_id, domain_id)
    company = company_domain.company
    blocked = company_domain.verified_at is not None and has_open_round(company)
    if request.method == "POST" and not blocked:
        try:
            writes.remove_domain(company_domain=company_domain, actor=request.user)
        except writes.OpenRoundUsesIt:
            blocked = True
        else:
            messages.success(
                request,
                _("%(domain)s is removed.")
                % {"domain": identity.unicode_form(company_domain.domain)},
            )
            return redirect("workspace:domains", company_id=company.pk)
    context = {"company": company, "shown": shown(company_domain), "blocked": blocked}
    return render(request, "survey/workspace/domain_remove.html", context)
