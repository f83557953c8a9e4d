"""Twin worlds, the same in every way but one: in the first the victim V answered (or only
pressed Start, on their e-mailed link or on the shared link), in the second V did not.
Random sequences of what a leader can do while the round is open (add people, resend,
correct, remove, remind, automatic reminders, shared links, settings, fresh links, planted
addresses answering, a day passing) run in both. After every step every leader URL of the
permission matrix (pages, files, status codes), every refused leader form and every e-mail
reaching an address the leader holds read byte for byte the same in both worlds, after
taking out CSRF tokens, nonces, ids, tokens and times (tests/survey/leader_world.py).

The one thing allowed to differ is k-anonymity's own: once midnight has passed and the other
people of V's group who answered are k - 1 or more independent, the group's count shows in
both worlds and counts V's answer, as the published results will. From then on the test only
checks that nothing but that count differs by more than V's one answer.

The model is tests/survey/test_participants_property.py (the participants list alone)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.identity.anchor import anchor_of, independent
from survey.reads.tracking import round_tracking
from tests.factories import post_data
from tests.survey.leader_world import CORE, RATINGS, World, assert_same

VARIANTS = ["answered", "started", "shared_started", "shared_answered"]
STEPS = st.sampled_from(
    [
        "add",
        "add_marketing",
        "resend_v",
        "resend_planted",
        "correct_planted",
        "remove_planted",
        "remove_v",
        "remind",
        "auto_off",
        "auto_on",
        "toggle_shared",
        "raise_k",
        "edit_title",
        "fresh_link_v",
        "planted_answers",
        "planted_joins_shared",
        "next_day",
    ]
)


class Twin(World):
    def __init__(self, *, k: int, planted: int, capture) -> None:
        super().__init__(k=k, capture=capture)
        self.planted = [f"p{n}" for n in range(max(planted, 1))]
        self.add("v", *self.planted)
        self.added = 0

    def victim(self, variant: str) -> None:
        if variant in ("answered", "started") and not self.current("v@"):
            return  # removed before: their links no longer work
        if variant == "answered":
            self.answer("v")
        elif variant == "started":
            self.start("v")
        else:  # on the shared link as it is now (turned off, it refuses V)
            browser = self.browsers.setdefault("v-shared", Client())
            link = self.round.shared_links.get(department="sales", role="staff")
            browser.get(f"/s/join/{link.token}/")
            started = self.post("/s/join/", client=browser)
            if started.status_code == 302 and variant == "shared_answered":
                self.post(started["Location"], post_data(RATINGS), client=browser)

    def current(self, who: str):
        return self.round.respondents.filter(
            email__startswith=f"{who}", removed_at__isnull=True
        ).first()

    def run(self, step: str, who: int) -> None:
        self.round.refresh_from_db()
        r = self.round.pk
        planted = self.planted[who % len(self.planted)]
        target = self.current(planted)
        if step == "add":
            self.added += 1
            self.add(f"n{self.added}")
        elif step == "add_marketing":
            self.added += 1
            self.add(f"m{self.added}", department="marketing")
        elif step in ("resend_v", "remove_v") and self.current("v@"):
            action = step.split("_")[0]
            self.post(f"/rounds/{r}/participants/{self.current('v@').pk}/{action}/")
        elif step in ("resend_planted", "remove_planted") and target:
            action = step.split("_")[0]
            self.post(f"/rounds/{r}/participants/{target.pk}/{action}/")
        elif step == "correct_planted" and target:
            self.added += 1
            new = self.address(f"{planted}x{self.added}")
            self.post(f"/rounds/{r}/participants/{target.pk}/email/", {"email": new})
        elif step == "remind":
            self.post(f"/rounds/{r}/remind/")
        elif step in ("auto_off", "auto_on"):
            self.post(f"/rounds/{r}/auto-reminders/", {"on": "1" if step == "auto_on" else "0"})
        elif step == "toggle_shared":
            self.post(f"/rounds/{r}/shared/sales/staff/")
        elif step == "raise_k" and self.round_k() < 10:
            data = {"title": "Twin", "anonymity_threshold": self.round_k() + 1}
            self.post(f"/rounds/{r}/edit/", data)
        elif step == "edit_title":
            self.post(f"/rounds/{r}/edit/", {"title": "Twin, renamed", "anonymity_threshold": 10})
        elif step == "fresh_link_v":
            self.post(f"/rounds/{r}/fresh-link/", {"email": self.address("v")})
        elif step == "planted_answers" and target and not target.submitted_at:
            if any(m.to == [target.email] for m in self.mails):
                self.answer(target.email.split("@")[0])
        elif step == "planted_joins_shared" and self.round.shared_links.filter(is_active=True):
            self.added += 1
            self.answer_shared(f"leader-phone-{self.added}")
        elif step == "next_day":
            self.next_day()
        self.settle()

    def round_k(self) -> int:
        self.round.refresh_from_db()
        return self.round.anonymity_threshold

    def others_independent(self) -> int:
        """Independent people of V's group, other than V, who answered before midnight."""
        tracking = round_tracking(self.round)
        answered = self.round.respondents.filter(
            independent(anchor_of(self.company)),
            department="sales",
            role="staff",
            submitted_at__lt=tracking.as_of,
        )
        return answered.exclude(email=self.address("v")).count()


def sales_staff(world: World):
    return next(g for g in round_tracking(world.round).groups if g.role == "staff")


@pytest.mark.parametrize("variant", VARIANTS)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    k=st.integers(3, 5),
    planted=st.integers(0, 5),
    when=st.integers(0, 6),
    steps=st.lists(st.tuples(STEPS, st.integers(0, 5)), max_size=6),
)
def test_nothing_a_leader_reads_while_open_tells_whether_the_victim_answered_or_started(
    db, django_capture_on_commit_callbacks, variant, k, planted, when, steps
):
    did = Twin(k=k, planted=planted, capture=django_capture_on_commit_callbacks)
    did_not = Twin(k=k, planted=planted, capture=django_capture_on_commit_callbacks)
    if variant.startswith("shared"):
        for world in (did, did_not):
            world.shared_link()
    may_differ = False  # k-anonymity's own difference, once V's group shows
    for index, (step, who) in enumerate([("start", 0), *steps]):
        if index == min(when, len(steps)):
            did.victim(variant)
        if step != "start":
            for world in (did, did_not):
                world.run(step, who)
        answered_counts = variant.endswith("answered")
        if answered_counts and did.others_independent() + 1 >= did.round_k():
            may_differ = True  # V's answer counts in a shown group, as it will when published
        if may_differ:
            gap = sales_staff(did).answered - sales_staff(did_not).answered
            assert gap in (0, 1)
            continue
        assert_same(did.seen(CORE), did_not.seen(CORE))
        assert did.leaders_mail() == did_not.leaders_mail()
    if not may_differ:
        assert_same(did.refusals(), did_not.refusals())
        assert_same(did.seen(), did_not.seen())
