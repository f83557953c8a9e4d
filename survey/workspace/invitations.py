"""Getting people to answer: personal links by e-mail, shared links, reminders."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from survey.identity.anchor import anchor_of
from survey.models import Department, Role, SharedLink
from survey.plumbing.throttle import SHARED_LINK_JOINS, client_address
from survey.staff import browser
from survey.workspace.access import member_round_or_404, member_shared_link_or_404
from survey.workspace.forms import FreshLinkForm, PeopleForm
from survey.workspace.rounds import base_url
from survey.writes import services
from survey.writes.emails import survey_url
from survey.writes.services import close_due


@require_http_methods(["GET", "POST"])
@login_required
def add_people(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if not survey_round.is_open:
        messages.error(request, _("This round is closed: nobody more can be invited."))
        return redirect("workspace:round", round_id=survey_round.pk)
    form = PeopleForm(request.POST or None, request.FILES or None, language=get_language())
    context: dict = {"round": survey_round, "form": form}
    if request.method == "POST" and form.is_valid():
        added = services.add_respondents(
            survey_round=survey_round,
            people=form.parsed.people,
            actor=request.user,
            base_url=base_url(request),
            email=form.cleaned_data["send_emails"],
            show=form.cleaned_data["show_links"],
        )
        # Rendered, not redirected: the links exist only in this response. Posting the same
        # lines again adds nobody twice.
        links = [(r, survey_url(base_url(request), token)) for r, token in added.shown]
        context |= {"added": added, "links": links, "errors": form.parsed.errors}
        return render(request, "survey/workspace/people_added.html", context)
    status = 400 if form.errors else 200
    return render(request, "survey/workspace/people_form.html", context, status=status)


@require_POST
@login_required
def fresh_link(request: HttpRequest, round_id: int) -> HttpResponse:
    """Email someone a fresh link (never shown here): for a lost link or a new device."""
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    form = FreshLinkForm(request.POST)
    respondent = None
    if form.is_valid():
        email = form.cleaned_data["email"].lower()
        respondent = survey_round.respondents.filter(email=email, removed_at__isnull=True).first()
    if respondent is None or not survey_round.is_open:
        messages.error(request, _("Nobody with this email is in this open round."))
        return redirect("workspace:round", round_id=survey_round.pk)
    services.send_fresh_link(respondent=respondent, base_url=base_url(request), actor=request.user)
    messages.success(
        request,
        _("A fresh link is on its way to %(email)s. Only they can open it.")
        % {"email": respondent.email},
    )
    return redirect("workspace:round", round_id=survey_round.pk)


@require_POST
@login_required
def remind(request: HttpRequest, round_id: int) -> HttpResponse:
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    services.send_reminders(
        survey_round=survey_round, base_url=base_url(request), actor=request.user
    )
    messages.success(
        request,
        _(
            "Reminders are on their way to everyone invited by email who has not answered "
            "and was not reminded in the last 24 hours."
        ),
    )
    return redirect("workspace:round", round_id=survey_round.pk)


@require_POST
@login_required
def shared_link_toggle(request: HttpRequest, round_id: int, department: str, role: str):
    survey_round = member_round_or_404(request.user, round_id, to_change=True)
    if department not in Department.values or role not in Role.values:
        raise Http404("no such group")
    if not survey_round.is_open:
        messages.error(request, _("This round is closed: its shared links stay off."))
        return redirect("workspace:round", round_id=survey_round.pk)
    link = services.toggle_shared_link(
        survey_round=survey_round, department=department, role=role, actor=request.user
    )
    group = {"department": link.get_department_display(), "role": link.get_role_display()}
    if link.is_active:
        messages.success(request, _("The shared link for %(department)s, %(role)s is on.") % group)
    else:
        messages.success(request, _("The shared link for %(department)s, %(role)s is off.") % group)
    return redirect(
        reverse("workspace:round", kwargs={"round_id": survey_round.pk}) + "#shared-links"
    )


QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}  # PNG for print shops and chat apps


@require_GET
@login_required
def shared_link_qr(request: HttpRequest, link_id: int, kind: str = "svg") -> HttpResponse:
    link = member_shared_link_or_404(request.user, link_id)
    url = request.build_absolute_uri(reverse("survey:join", kwargs={"token": link.token}))
    image = io.BytesIO()
    options = {"xmldecl": False} if kind == "svg" else {}
    segno.make(url, error="m").save(image, kind=kind, scale=6, border=2, **options)
    return HttpResponse(image.getvalue(), content_type=QR_KINDS[kind])


@require_GET
def join(request: HttpRequest, token: str) -> HttpResponse:
    """A shared link: swapped for a cookie at once, so the token leaves the address bar."""
    link = get_object_or_404(SharedLink, token=token)
    response = redirect("survey:join_start")
    browser.remember_shared_link(response, link.pk)
    return response


@require_http_methods(["GET", "POST"])
def join_start(request: HttpRequest) -> HttpResponse:
    """Each visitor who presses Start becomes a fresh respondent, answering from this
    browser. A button rather than on arrival, so chat apps that preview links do not create
    respondents; never from a browser signed in as one of the company's leaders. The page
    gives the browser its device secret already, so a second press (or one whose answer was
    lost) opens the same survey instead of making a second respondent."""
    link = browser.opened_shared_link(request)
    if link is None:
        return render(request, "survey/no_link.html", status=404)
    survey_round = close_due(link.round)
    context = {"link": link, "round": survey_round}
    if not link.is_active or not survey_round.is_open:
        return render(request, "survey/join.html", context, status=410)
    user = request.user
    if user.is_authenticated and survey_round.company.memberships.filter(user=user).exists():
        return render(request, "survey/join.html", context | {"leader": True}, status=403)
    secret = browser.device_secret(request)
    started = secret and services.shared_link_respondent(link=link, secret=secret)
    if started:  # this browser already has its survey from this link
        return redirect("survey:respond", key=started.key)
    if request.method == "POST":
        address = client_address(request)
        if SHARED_LINK_JOINS.exceeded(address):
            return render(request, "survey/too_many.html", status=429)
        SHARED_LINK_JOINS.hit(address)
        secret = secret or browser.new_device_secret()
        respondent = services.join_shared_link(link=link, language=get_language(), secret=secret)
        response = redirect("survey:respond", key=respondent.key)
        browser.remember_device(response, secret)
        return response
    context["anchor"] = anchor_of(survey_round.company)
    response = render(request, "survey/join.html", context)
    if secret is None:
        browser.remember_device(response, browser.new_device_secret())
    return response
