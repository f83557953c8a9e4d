"""Getting people to answer: personal links by e-mail, shared links, reminders."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from survey import services
from survey.access import member_round_or_404, member_shared_link_or_404
from survey.emails import survey_url
from survey.models import Department, Role, SharedLink
from survey.throttle import SHARED_LINK_JOINS, client_address
from survey.workspace import base_url
from survey.workspace_forms import PeopleForm, ReissueForm


@require_http_methods(["GET", "POST"])
@login_required
def add_people(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    if not round.is_open:
        messages.error(request, _("This round is closed. Reopen it to invite more people."))
        return redirect("workspace:round", round_id=round.pk)
    form = PeopleForm(request.POST or None, request.FILES or None, language=get_language())
    context: dict = {"round": round, "form": form}
    if request.method == "POST" and form.is_valid():
        added = services.add_respondents(round=round, people=form.parsed.people)
        sent = 0
        if form.cleaned_data["send_emails"]:
            sent = services.send_invitations(
                invitations=added.invitations, base_url=base_url(request)
            )
        # Rendered, not redirected: the links exist only in this response. Posting the same
        # lines again adds nobody twice.
        links = [(r, survey_url(base_url(request), token)) for r, token in added.invitations]
        context |= {"added": added, "links": links, "errors": form.parsed.errors, "sent": sent}
        return render(request, "survey/workspace/people_added.html", context)
    status = 400 if form.errors else 200
    return render(request, "survey/workspace/people_form.html", context, status=status)


@require_POST
@login_required
def reissue(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    form = ReissueForm(request.POST)
    respondent = None
    if form.is_valid():
        respondent = round.respondents.filter(email=form.cleaned_data["email"].lower()).first()
    if respondent is None:
        messages.error(request, _("Nobody with this email is in this round."))
        return redirect("workspace:round", round_id=round.pk)
    token = services.reissue_link(respondent=respondent)
    services.send_invitations(invitations=[(respondent, token)], base_url=base_url(request))
    url = survey_url(base_url(request), token)
    text = _("New link for %(email)s, emailed to them and shown only now:") % {
        "email": respondent.email
    }
    messages.success(request, format_html('{} <a href="{}">{}</a>', text, url, url))
    return redirect("workspace:round", round_id=round.pk)


@require_POST
@login_required
def remind(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    services.send_reminders(round=round, base_url=base_url(request))
    messages.success(
        request,
        _(
            "Reminders sent to everyone invited by email who has not answered and was not "
            "reminded in the last 24 hours."
        ),
    )
    return redirect("workspace:round", round_id=round.pk)


@require_POST
@login_required
def shared_link_toggle(request: HttpRequest, round_id: int, department: str, role: str):
    round = member_round_or_404(request.user, round_id)
    if department not in Department.values or role not in Role.values:
        raise Http404("no such group")
    link, created = SharedLink.objects.get_or_create(round=round, department=department, role=role)
    if not created:
        link.is_active = not link.is_active
        link.save(update_fields=["is_active"])
    group = {"department": link.get_department_display(), "role": link.get_role_display()}
    if link.is_active:
        messages.success(request, _("The shared link for %(department)s, %(role)s is on.") % group)
    else:
        messages.success(request, _("The shared link for %(department)s, %(role)s is off.") % group)
    return redirect(reverse("workspace:round", kwargs={"round_id": round.pk}) + "#shared-links")


@require_GET
@login_required
def shared_link_qr(request: HttpRequest, link_id: int) -> HttpResponse:
    link = member_shared_link_or_404(request.user, link_id)
    url = request.build_absolute_uri(reverse("survey:join", kwargs={"token": link.token}))
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=6, border=2, xmldecl=False)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """A shared link: each visitor who presses Start becomes a fresh respondent. A button
    rather than on arrival, so chat apps that preview links do not create respondents."""
    link = get_object_or_404(SharedLink.objects.select_related("round__company"), token=token)
    context = {"link": link, "round": link.round}
    if not link.is_active or not link.round.is_open:
        return render(request, "survey/join.html", context, status=410)
    if request.method == "POST":
        address = client_address(request)
        if SHARED_LINK_JOINS.exceeded(address):
            return render(request, "survey/too_many.html", status=429)
        SHARED_LINK_JOINS.hit(address)
        _respondent, personal = services.join_shared_link(link=link, language=get_language())
        return redirect("survey:respond", token=personal)
    return render(request, "survey/join.html", context)
