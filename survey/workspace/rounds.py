"""The leaders' pages: home, companies and their members, rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from survey.models import Membership, Role, Round
from survey.reads.tracking import round_tracking, rounds_tracking
from survey.workspace.access import (
    member_round_or_404,
    membership_or_404,
    owner_membership_or_404,
    pending_invitation_or_404,
)
from survey.workspace.forms import (
    CompanyForm,
    ManagerInviteForm,
    RoundEditForm,
    RoundForm,
    end_of_day,
)
from survey.workspace.playback_forms import HeadsMessageForm
from survey.writes import playback, services
from survey.writes.emails import survey_url
from survey.writes.schedule import reminder_plan

CURRENT_COMPANY = "company_id"
AUDIT_SHOWN = 200


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")  # visitors learn what this is before logging in
    memberships = list(request.user.memberships.select_related("company"))
    rounds = list(Round.objects.filter(company__memberships__user=request.user))
    tracking = rounds_tracking(rounds)
    companies = [
        {
            "membership": membership,
            "rounds": [
                (r, tracking[r.pk]) for r in rounds if r.company_id == membership.company_id
            ],
        }
        for membership in sorted(memberships, key=lambda m: m.company.name.casefold())
    ]
    return render(request, "home.html", {"companies": companies})


@require_http_methods(["GET", "POST"])
@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = services.create_company(
            owner=request.user,
            name=form.cleaned_data["name"],
            anonymity_threshold=form.cleaned_data["anonymity_threshold"],
        )
        messages.success(request, _("Company created. Next, open your first round."))
        return redirect("workspace:company", company_id=company.pk)
    return render(request, "survey/workspace/company_form.html", {"form": form})


@require_GET
@login_required
def company(request: HttpRequest, company_id: int) -> HttpResponse:
    membership = membership_or_404(request.user, company_id)
    request.session[CURRENT_COMPANY] = company_id
    rounds = list(membership.company.rounds.all())
    tracking = rounds_tracking(rounds)
    context = {
        "company": membership.company,
        "membership": membership,
        "rounds": [(r, tracking[r.pk]) for r in rounds],
    }
    return render(request, "survey/workspace/company.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, company_id: int) -> HttpResponse:
    membership = owner_membership_or_404(request.user, company_id)
    company = membership.company
    form = ManagerInviteForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.invite_manager(
            company=company,
            email=email,
            invited_by=request.user,
            base_url=base_url(request),
            language=form.cleaned_data["language"] or get_language(),
            role=form.cleaned_data["role"],
        )
        messages.success(
            request, _("The invitation to %(email)s is on its way.") % {"email": email}
        )
        return redirect("workspace:members", company_id=company.pk)
    context = {
        "company": company,
        "form": form,
        "memberships": company.memberships.select_related("user").order_by("role", "user__email"),
        "invitations": company.invitations.filter(accepted_at__isnull=True),
    }
    return render(request, "survey/workspace/members.html", context)


@require_POST
@login_required
def member_remove(request: HttpRequest, company_id: int, membership_id: int) -> HttpResponse:
    owner = owner_membership_or_404(request.user, company_id)
    member = get_object_or_404(Membership, pk=membership_id, company_id=owner.company_id)
    if member.pk == owner.pk:
        messages.error(request, _("You cannot remove yourself: you own this company."))
    else:
        member.delete()
        messages.success(request, _("%(email)s is no longer a member.") % {"email": member.user})
    return redirect("workspace:members", company_id=company_id)


@require_http_methods(["GET", "POST"])
def join_company(request: HttpRequest, token: str) -> HttpResponse:
    invitation = pending_invitation_or_404(token)
    user = request.user
    is_invited = user.is_authenticated and user.email.lower() == invitation.email
    if request.method == "POST" and is_invited:
        services.accept_invitation(invitation=invitation, user=user)
        company = invitation.company
        messages.success(request, _("You are now a member of %(company)s.") % {"company": company})
        return redirect("workspace:company", company_id=company.pk)
    context = {"invitation": invitation, "is_invited": is_invited}
    return render(request, "survey/workspace/join_company.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest, company_id: int) -> HttpResponse:
    company = membership_or_404(request.user, company_id, to_change=True).company
    current = services.open_round_of(company)
    if current is not None:
        return round_already_open(request, current)
    form = RoundForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            survey_round, added = services.create_round(
                company=company,
                title=form.cleaned_data["title"],
                anonymity_threshold=form.cleaned_data["anonymity_threshold"],
                closes_at=end_of_day(form.cleaned_data["closes_on"]),
                heads=form.heads(request.user, get_language()),
                actor=request.user,
                base_url=base_url(request),
            )
        except services.RoundAlreadyOpen as refused:  # another leader was quicker
            return round_already_open(request, refused.open_round)
        messages.success(request, _("Round opened. Next, invite the staff of both departments."))
        show_own_link(request, added)
        return redirect("workspace:round", round_id=survey_round.pk)
    return render(request, "survey/workspace/round_form.html", {"form": form, "company": company})


def round_already_open(request: HttpRequest, open_round: Round) -> HttpResponse:
    """One open round per company: the page says so, with the way to the open one, instead
    of a form (409 to a post: nothing was opened)."""
    status = 409 if request.method == "POST" else 200
    context = {"company": open_round.company, "open_round": open_round}
    return render(request, "survey/workspace/round_already_open.html", context, status=status)


def show_own_link(request: HttpRequest, added: services.Added) -> None:
    """The creator's own link as a head, shown once (it is also emailed)."""
    for respondent, token in added.shown:
        url = survey_url(base_url(request), token)
        text = _("Your personal link as the head of %(department)s, shown only now:") % {
            "department": respondent.get_department_display().lower()
        }
        messages.info(request, format_html('{} <a href="{}">{}</a>', text, url, url))


@require_GET
@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    links = {(link.department, link.role): link for link in survey_round.shared_links.all()}
    tracking = round_tracking(survey_round)
    groups = [
        {"count": group, "link": links.get((group.department, group.role))}
        for group in tracking.groups
    ]
    # Shared links are mostly for staff: list theirs first.
    shared = sorted(groups, key=lambda group: group["count"].role != Role.STAFF)
    audit = survey_round.audit_events.select_related("actor")[:AUDIT_SHOWN]
    context = {
        "round": survey_round,
        "tracking": tracking,
        "groups": groups,
        "shared": shared,
        "audit": audit,
        "reminder_plan": reminder_plan(survey_round),
    }
    return render(request, "survey/workspace/round.html", context)


@require_POST
@login_required
def auto_reminders(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if survey_round.is_open:
        on = request.POST.get("on") == "1"
        services.set_auto_reminders(survey_round=survey_round, on=on, actor=request.user)
        if on:
            messages.success(request, _("Automatic reminders are on."))
        else:
            messages.success(request, _("Automatic reminders are off for this round."))
    return redirect("workspace:round", round_id=survey_round.pk)


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if not survey_round.is_open:
        messages.error(request, _("This round is closed: its settings can no longer change."))
        return redirect("workspace:round", round_id=survey_round.pk)
    form = RoundEditForm(request.POST or None, survey_round=survey_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                survey_round=survey_round,
                title=form.cleaned_data["title"],
                threshold=form.cleaned_data["anonymity_threshold"],
                closes_at=end_of_day(form.cleaned_data["closes_on"]),
                actor=request.user,
            )
        except services.ThresholdLocked:  # someone was invited since the form was checked
            form.add_error("anonymity_threshold", form.threshold_locked_error())
        else:
            messages.success(request, _("Round saved."))
            return redirect("workspace:round", round_id=survey_round.pk)
    context = {"form": form, "round": survey_round}
    return render(request, "survey/workspace/round_edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if not survey_round.is_open:
        return redirect("scoring:dashboard", round_id=survey_round.pk)
    posted = request.POST if request.method == "POST" else None  # empty is still a post
    form = HeadsMessageForm(posted, initial={"message": playback.message_of(survey_round)})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["message"]
        playback.keep_message(survey_round=survey_round, text=text, user=request.user)
        if "save_message" in request.POST:
            messages.success(request, _("The message is saved; it goes out with the results."))
            return redirect("workspace:round_close", round_id=survey_round.pk)
        services.close_round(survey_round=survey_round, actor=request.user)
        messages.success(request, _("Round closed and its results published."))
        return redirect("scoring:dashboard", round_id=survey_round.pk)
    context = {"round": survey_round, "tracking": round_tracking(survey_round), "form": form}
    return render(request, "survey/workspace/round_close.html", context)
