"""A company as a leader sets it up through the real pages, and everything the leader can
read of it while its round is open: every page, file and status code of every leader URL
(the names come from the permission matrix, so a new URL is covered as soon as it has a row),
every refused form submission, and every e-mail that reaches an address the leader holds.

Two worlds are built with the same steps and differ in one thing only (whether the victim V
answered, or only pressed Start); what the leader reads of them is compared after taking out
what differs by construction: CSRF tokens, nonces, database ids, link tokens, the world's own
tag in addresses, and times.
"""

import difflib
import io
import itertools
import re
import zipfile
from datetime import timedelta

import segno
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scoring.models import PlannedAction
from survey.models import (
    AuditEvent,
    CompanyInvitation,
    Membership,
    Respondent,
    Round,
    SharedLink,
)
from tests.factories import closed_round, make_company, make_user, post_data
from tests.test_permission_matrix import TABLE

TAGS = itertools.count()
RATINGS = {n: 2 for n in range(1, 21)}
EMAILED = re.compile(r"http://testserver/s/([\w-]{32})/")
# When every invitation of both worlds counts as sent: the reminder plan shows dates from it.
SENT_AT = timezone.now().replace(microsecond=0)

# Rows of the permission matrix a leader never reaches, or that end the open round or the
# leader's session: the survey pages of someone else's link and the password reset pages'
# tokens are covered by their own tests, closing is not "while the round is open".
NOT_READ = {
    "logout",
    "survey:respond",
    "survey:thanks",
    "survey:fresh_link",
    "survey:start",
    "survey:flag_names",  # a staff member's own survey, like the four above
}


# What a leader reads of an open round most often: compared after every step of the property
# test, every URL at its end.
CORE = {
    "home",
    "workspace:company",
    "workspace:round",
    "workspace:round_edit",
    "workspace:round_close",
    "workspace:participants",
    "workspace:participant_email",
    "scoring:dashboard",
}


def refused_posts(world: "World") -> list[tuple[str, str, dict]]:
    """(name, url, data) of the submissions that a leader can make and that are refused:
    each leader form with data it rejects, including the silent "has anyone answered?"
    check (lowering k with another field invalid)."""
    world.round.refresh_from_db()
    r, k = world.round.pk, world.round.anonymity_threshold
    v = world.person("v").pk
    action = PlannedAction.objects.get(round=world.round).pk
    own = world.company.memberships.get(user=world.user).pk
    return [
        ("round_edit lower k, bad title", f"/rounds/{r}/edit/", {"anonymity_threshold": k - 1}),
        (
            "round_edit lower k, past date",
            f"/rounds/{r}/edit/",
            {"title": "Twin", "anonymity_threshold": k - 1, "closes_on": "2020-01-01"},
        ),
        ("round_edit lower k", f"/rounds/{r}/edit/", {"title": "Twin", "anonymity_threshold": 3}),
        ("round_edit empty", f"/rounds/{r}/edit/", {}),
        ("round_create", f"/companies/{world.company.pk}/rounds/new/", {"title": "Second"}),
        ("round_close message too long", f"/rounds/{r}/close/", {"message": "x" * 5001}),
        ("add_people empty", f"/rounds/{r}/people/", {}),
        (
            "add_people bad",
            f"/rounds/{r}/people/",
            {"lines": "not an address", "send_emails": "on"},
        ),
        ("fresh_link unknown", f"/rounds/{r}/fresh-link/", {"email": "nobody@x.test"}),
        ("fresh_link empty", f"/rounds/{r}/fresh-link/", {}),
        ("participant_email empty", f"/rounds/{r}/participants/{v}/email/", {}),
        ("participant_email bad", f"/rounds/{r}/participants/{v}/email/", {"email": "x"}),
        (
            "participant_email taken",
            f"/rounds/{r}/participants/{v}/email/",
            {"email": world.address("p0")},
        ),
        ("shared_link_toggle bad group", f"/rounds/{r}/shared/sales/nobody/", {}),
        ("members empty", f"/companies/{world.company.pk}/members/", {}),
        ("company_create empty", "/companies/new/", {}),
        ("plan_add empty", f"/rounds/{r}/plan/add/", {"title": "x" * 300}),
        ("workshop_agree open round", f"/rounds/{r}/workshop/agree/3/", {"text": "x"}),
        ("workshop_action open round", f"/rounds/{r}/workshop/agreements/1/action/", {}),
        ("plan_edit bad", f"/rounds/{r}/plan/{action}/edit/", {"title": "x" * 300}),
        ("plan_status empty", f"/rounds/{r}/plan/{action}/status/", {}),
        ("two_key empty", reverse("scoring:two_key", kwargs={"round_id": r}), {}),
        ("two_key_heads empty", reverse("scoring:two_key_heads", kwargs={"round_id": r}), {}),
        ("member_remove self", f"/companies/{world.company.pk}/members/{own}/remove/", {}),
        ("set_language unknown", reverse("set_language"), {"language": "xx", "next": "/"}),
        ("company_delete_undo, nothing asked", f"/companies/{world.company.pk}/delete/undo/", {}),
        ("sso_test, nothing set up", f"/companies/{world.company.pk}/sso/test/", {}),
        ("sso_enforce, never tested", f"/companies/{world.company.pk}/sso/enforce/", {}),
        ("invite_directory, no directory", f"/rounds/{r}/directory/invite/", {}),
    ]


class World:
    """A company with an owner, an open round opened through the page, and the people the
    leader adds by e-mail (never links shown on screen)."""

    def __init__(self, *, k: int, capture) -> None:
        """`capture` is pytest-django's django_capture_on_commit_callbacks: the worker's
        e-mails go out once a request commits, as in production."""
        self.tag = f"zq{next(TAGS)}x"  # a string found nowhere else in a page
        self.capture = capture
        self.mails: list[mail.EmailMessage] = []  # what reached this world's addresses
        self.browsers: dict[str, Client] = {}  # the people's own browsers
        self.company = make_company(name="Acme", slug=f"acme-{self.tag}", threshold=k)
        self.user = make_user(self.address("boss"), self.company, role="owner")
        make_user(self.address("extra"), self.company)  # a manager, who can be removed
        self.leader = Client()
        self.leader.force_login(self.user)
        self.previous = closed_round(
            self.company, "Last year", opened_at=timezone.now() - timedelta(days=400)
        )
        new_round = {"title": "Twin", "anonymity_threshold": k}
        new_round |= {"sales_head": "later", "marketing_head": "later"}
        assert self.post(f"/companies/{self.company.pk}/rounds/new/", new_round).status_code == 302
        self.round = Round.objects.get(company=self.company, closed_at__isnull=True)
        invitation = CompanyInvitation(company=self.company, email=self.address("new"))
        self.invitation_token = invitation.issue_token()
        invitation.save()
        PlannedAction.objects.create(company=self.company, round=self.round, title="Meet")

    def address(self, who: str) -> str:
        return f"{who}@{self.tag}.test"

    def post(self, url: str, data: dict | None = None, client: Client | None = None):
        with self.capture(execute=True):
            before = len(mail.outbox)
            response = (client or self.leader).post(url, data or {})
        self.mails += [m for m in mail.outbox[before:] if self.tag in "".join(m.to)]
        return response

    def add(self, *who: str, department: str = "sales", role: str = "staff") -> None:
        lines = "\n".join(f"{self.address(w)},{w.upper()},{department},{role}" for w in who)
        data = {"lines": lines, "send_emails": "on"}
        assert self.post(f"/rounds/{self.round.pk}/people/", data).status_code == 200
        self.settle()

    def settle(self) -> None:
        """Every invitation of both worlds sent at the same moment (a frozen clock)."""
        self.round.respondents.exclude(invitation_status_at=None).update(
            invitation_status_at=SENT_AT
        )

    def person(self, who: str) -> Respondent:
        return self.round.respondents.filter(email=self.address(who)).order_by("-pk").first()

    def token(self, who: str) -> str:
        """The latest link e-mailed to `who` (read from their mailbox)."""
        mails = [m for m in self.mails if m.to == [self.address(who)]]
        return EMAILED.findall(mails[-1].body)[-1]

    def start(self, who: str) -> str:
        """`who` opens their e-mailed link and presses Start, in their own browser."""
        browser = self.browsers.setdefault(who, Client())
        assert browser.get(f"/s/{self.token(who)}/").status_code == 302
        started = self.post("/s/start/", client=browser)
        assert started.status_code == 302, started.content.decode()[:300]
        return started["Location"]

    def answer(self, who: str) -> None:
        url = self.start(who)
        assert self.post(url, post_data(RATINGS), client=self.browsers[who]).status_code == 302

    def shared_link(self, department: str = "sales", role: str = "staff") -> SharedLink:
        link = self.round.shared_links.filter(department=department, role=role).first()
        if link is None or not link.is_active:
            self.post(f"/rounds/{self.round.pk}/shared/{department}/{role}/")
        return self.round.shared_links.get(department=department, role=role)

    def join_shared(self, who: str) -> str:
        """`who` opens the shared link and presses Start: a respondent of their own."""
        browser = self.browsers.setdefault(who, Client())
        assert browser.get(f"/s/join/{self.shared_link().token}/").status_code == 302
        started = self.post("/s/join/", client=browser)
        assert started.status_code == 302
        return started["Location"]

    def answer_shared(self, who: str) -> None:
        url = self.join_shared(who)
        assert self.post(url, post_data(RATINGS), client=self.browsers[who]).status_code == 302

    def next_day(self) -> None:
        """Midnight passes: every answer so far was given yesterday."""
        self.round.respondents.exclude(submitted_at=None).update(
            submitted_at=timezone.now() - timedelta(days=1)
        )

    # What the leader reads

    def kwargs(self) -> dict[str, dict]:
        link = self.round.shared_links.first()
        planted = self.person("p0")
        return {
            "": {},
            "reset": {"uidb64": "MQ", "token": "set-password"},
            "signup": {"token": "not-a-signed-token"},
            "token": {"token": self.token("p0")} if planted else None,
            "closed": {"round_id": self.round.pk},
            "shared": {"token": link.token} if link else None,
            "round": {"round_id": self.round.pk},
            "company": {"company_id": self.company.pk},
            "invitation": {"token": self.invitation_token},
            "link": {"link_id": link.pk} if link else None,
            "action": {
                "round_id": self.round.pk,
                "action_id": PlannedAction.objects.get(round=self.round).pk,
            },
            "statement": {"round_id": self.round.pk, "statement": 3},
            "agreement": {"round_id": self.round.pk, "agreement_id": 1},
            "membership": {
                "company_id": self.company.pk,
                "membership_id": self.company.memberships.get(user=self.user).pk,
            },
            "participant": {"round_id": self.round.pk, "respondent_id": self.person("v").pk}
            if self.person("v")
            else None,
        }

    def urls(self) -> dict[str, str]:
        """Every leader URL of the permission matrix read with GET, filled for this world;
        the results pages also for the company's closed round."""
        kwargs = self.kwargs()
        urls = {}
        for name, row in TABLE.items():
            if name in NOT_READ or row.method != "get" or kwargs.get(row.kwargs) is None:
                continue
            urls[name] = reverse(name, kwargs=kwargs[row.kwargs])
            if row.kwargs == "closed":
                urls[f"{name} (last year)"] = reverse(name, kwargs={"round_id": self.previous.pk})
        return urls

    def read(self, url: str, client: Client | None = None) -> str:
        exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED)
        before = set(exported.values_list("pk", flat=True))
        response = (client or self.leader).get(url)
        text = self.normal(response)
        # Downloading everything goes on the record by design (the leader's own act); the
        # test reads it again and again, so it takes back the entries its reads made.
        exported.exclude(pk__in=before).delete()
        return text

    def normal(self, response) -> str:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("image/svg"):
            body = self.own_qr(body)
        elif response.get("Content-Type", "").startswith("image/png"):
            body = self.own_qr(body, kind="png")
        elif body.startswith(b"PK"):  # an XLSX: its parts, without the times it was made at
            body = unzipped(body)
        text = body.decode(errors="replace")
        head = [str(response.status_code)]
        for header in ("Content-Type", "Location", "Content-Disposition"):
            if response.has_header(header):
                head.append(f"{header}: {response[header]}")
        return self.scrub("\n".join(head) + "\n" + text)

    def own_qr(self, image: bytes, kind: str = "svg") -> bytes:
        """A QR code must be the one of this world's own shared link, nothing else."""
        link = self.round.shared_links.get()
        url = f"http://testserver{reverse('survey:join', kwargs={'token': link.token})}"
        expected = io.BytesIO()
        options = {"xmldecl": False} if kind == "svg" else {}
        segno.make(url, error="m").save(expected, kind=kind, scale=6, border=2, **options)
        assert image == expected.getvalue()
        return b"<QR of the world's own shared link>"

    def scrub(self, text: str) -> str:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        text = re.sub(r'nonce="[^"]+"', 'nonce=""', text)
        text = re.sub(r"/s/join/[\w-]+/", "/s/join/TOKEN/", text)
        text = re.sub(r"/s/[\w-]{32}/", "/s/TOKEN/", text)
        text = re.sub(r"/s/r/[\w-]{22}/", "/s/r/KEY/", text)
        text = re.sub(r"/invitations/[\w-]+/", "/invitations/TOKEN/", text)
        text = re.sub(r"(?<=/)\d+(?=[/\"?#.])", "N", text)  # ids in paths
        text = re.sub(r"\b([a-z]+-)\d+\b", r"\1N", text)  # ids in element ids
        text = re.sub(r"<time[^>]*>[^<]*</time>", "<time/>", text)
        text = re.sub(r'data-round="\d+"', 'data-round="N"', text)
        text = re.sub(r'"round": \{"id": \d+', '"round": {"id": N', text)
        text = re.sub(r'<option value="\d+">([^<@]+@)', r'<option value="N">\1', text)  # users
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", "T", text)
        # The export's record lists the export itself, made at the moment it was read.
        text = re.sub(r"(?m)^[^,\n]+(?=,[^,\n]*,[^,\n]*,exported,)", "T", text)
        # The company's export: the times and ids of its rows (each world has its own).
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00", "T", text)
        text = re.sub(r'"(id|[a-z_]+_id|round)": \d+', r'"\1": N', text)
        text = re.sub(r"(?m)^(\ufeff)?\d+,", r"\1N,", text)
        text = re.sub(r"(?m)^(T,)\d+,", r"\1N,", text)
        text = re.sub(r'("user": \{"name": "[^"]+", "id": ")[^"]+"', r'\1U"', text)
        # A second factor's setup: a new secret and challenge on every visit.
        text = re.sub(r'src="data:image/svg\+xml;base64,[^"]+"', 'src="QR"', text)
        text = re.sub(r'(id="totp-secret"[^>]*>)[A-Z2-7]+<', r"\1SECRET<", text)
        text = re.sub(r'"challenge": "[^"]+"', '"challenge": "C"', text)
        return text.replace(self.tag, "W").replace(f"acme-{self.tag}", "acme-W")

    def seen(self, only: set[str] | None = None) -> dict[str, str]:
        """Every leader URL as the leader reads it, and the planted person's start page in a
        signed-out browser (the leader holds that mailbox). The company page first: it is
        the company the menu shows as current."""
        self.leader.get(reverse("workspace:company", kwargs={"company_id": self.company.pk}))
        urls = {n: u for n, u in self.urls().items() if only is None or n in only}
        seen = {name: self.read(url) for name, url in urls.items()}
        if self.person("p0") and only is None:
            opened = Client()
            opened.get(f"/s/{self.token('p0')}/")
            seen["planted start page"] = self.read("/s/start/", opened)
        return seen

    def refusals(self) -> dict[str, str]:
        """Every refused submission of a leader form, as the leader reads the response."""
        return {name: self.normal(self.post(url, data)) for name, url, data in refused_posts(self)}

    def leaders_mail(self) -> list[str]:
        """The e-mails that reached an address the leader holds (everyone's but V's)."""
        return [
            self.scrub(f"{m.to} {m.subject}\n{m.body}")
            for m in self.mails
            if m.to != [self.address("v")]
        ]

    def members(self) -> list[Membership]:
        return list(self.company.memberships.order_by("pk"))


def unzipped(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(name, archive.read(name)) for name in sorted(archive.namelist())]
    moments = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    return b"\n".join(name.encode() + b"\n" + moments.sub(b"T", part) for name, part in parts)


def differences(first: dict[str, str], second: dict[str, str]) -> str:
    """Where two readings differ, as a diff: empty when they are the same."""
    out = []
    for name in sorted(first.keys() | second.keys()):
        a, b = first.get(name, "<missing>"), second.get(name, "<missing>")
        if a != b:
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
            out.append(f"== {name}\n" + "\n".join(list(diff)[2:40]))
    return "\n".join(out)


def assert_same(first: dict[str, str], second: dict[str, str]) -> None:
    diff = differences(first, second)
    assert not diff, diff
