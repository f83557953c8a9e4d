"""Twin rounds, the same in every way but one: in the first the victim answered, in the
second they only started on their phone. Random sequences of what a leader can do from the participants list
(resend, correct an address, remove, invite again, remind), and colleagues answering, run
in both. After every step the participants list reads the same in both rounds, the
withdrawn page is the same, and no count differs by more than the victim's own answer:
nothing the leader does can tell the two rounds apart."""

import itertools
import re

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.models import Company, Membership, Respondent
from survey.reads.tracking import round_tracking
from tests.factories import make_user, post_data, start_survey
from tests.survey.test_participants import LINK, shape

WORLDS = itertools.count()
RATINGS = {n: 2 for n in range(1, 21)}
ACTIONS = st.sampled_from(
    ["add", "resend", "correct", "remove", "invite_again", "remind", "colleague_answers"]
)
WHO = st.sampled_from(["v", "c0", "c1", "c2"])


class Round:
    def __init__(self, k: int, victim_answers: bool) -> None:
        number = next(WORLDS)
        company = Company.objects.create(name="Acme", slug=f"twin{number}")
        user = make_user(f"boss{number}@twin.test")
        Membership.objects.create(user=user, company=company, role="owner")
        self.leader = Client()
        self.leader.force_login(user)
        self.round = company.rounds.create(title="Twin", anonymity_threshold=k)
        self.base = f"/rounds/{self.round.pk}"
        self.tokens: dict[str, list[str]] = {}  # every link shown, by address
        self.corrections = itertools.count()
        for who in ("v", "c0", "c1", "c2"):
            self.add(f"{who}@twin.test")
        if victim_answers:
            self.answer("v@twin.test")
        else:  # started on their phone, like the victim who answered
            start_survey(Client(), self.tokens["v@twin.test"][-1])

    def add(self, email: str) -> None:
        data = {"lines": f"{email},,sales", "send_emails": "on", "show_links": "on"}
        html = self.leader.post(f"{self.base}/people/", data).content.decode()
        self.tokens.setdefault(email, []).extend(LINK.findall(html))

    def current(self, prefix: str) -> Respondent | None:
        return (
            self.round.respondents.filter(email__startswith=prefix, removed_at__isnull=True)
            .order_by("pk")
            .first()
        )

    def answer(self, email: str) -> None:
        browser = Client()
        url = start_survey(browser, self.tokens[email][-1])
        assert browser.post(url, post_data(RATINGS)).status_code == 302

    def run(self, action: str, who: str) -> None:
        person = self.current(who)
        if action == "add":
            self.add(f"n{next(self.corrections)}@twin.test")
        elif action == "invite_again":
            self.add(f"{who}@twin.test")
        elif action == "remind":
            self.leader.post(f"{self.base}/remind/")
        elif action == "colleague_answers" and person and who != "v":
            if person.email in self.tokens and not person.submitted_at:
                self.answer(person.email)
        elif person is not None and action in ("resend", "remove"):
            self.leader.post(f"{self.base}/participants/{person.pk}/{action}/")
        elif person is not None and action == "correct":
            new = f"{who}.{next(self.corrections)}@twin.test"
            self.leader.post(f"{self.base}/participants/{person.pk}/email/", {"email": new})

    def main(self, path: str, client: Client | None = None) -> str:
        response = (client or self.leader).get(path, follow=True)
        html = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
        return f"{response.status_code} {shape(html)}"

    def seen(self) -> list[str]:
        """What the leader sees of people, and what any browser sees at the victim's link."""
        return [
            self.main(f"{self.base}/participants/"),
            self.main(f"/s/{self.tokens['v@twin.test'][0]}/", Client()),
        ]


def counts(survey_round: Round) -> list[tuple[int, bool]]:
    return [(g.invited, g.shown) for g in round_tracking(survey_round.round).groups]


def answered(survey_round: Round) -> int:
    return sum(g.answered for g in round_tracking(survey_round.round).groups if g.shown)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(k=st.integers(3, 5), steps=st.lists(st.tuples(ACTIONS, WHO), max_size=7))
def test_no_sequence_of_participant_actions_tells_whether_the_victim_answered(db, k, steps):
    did, did_not = Round(k, victim_answers=True), Round(k, victim_answers=False)
    for action, who in steps:
        for world in (did, did_not):
            world.run(action, who)
        assert did.seen() == did_not.seen()
        assert counts(did) == counts(did_not)
        shown = round_tracking(did.round).groups[1].shown  # sales staff
        # The victim's own answer, counted (removed or not) wherever their group is shown.
        assert answered(did) - answered(did_not) == (1 if shown else 0)
