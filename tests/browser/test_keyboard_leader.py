"""The leaders' main journey with the keyboard alone: sign up, create the company, open a
round, add people, close the round and open its results, pressing only Tab, Enter and Space
and typing. Following the link in an email is the one step taken outside the product.

Each control is reached by pressing Tab from where the focus is, as a keyboard user does;
a control Tab never reaches fails the test, and so does one that shows no focus ring.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from survey.models import Respondent, Via
from survey.writes.services import submit_answers
from tests.browser.pages import LAPTOP, PHONE

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-9"
PEOPLE = [
    ("an@hoabinh.test", "An", "sales"),
    ("binh@hoabinh.test", "Bình", "sales"),
    ("chi@hoabinh.test", "Chi", "sales"),
    ("dung@hoabinh.test", "Dũng", "marketing"),
    ("em@hoabinh.test", "Em", "marketing"),
    ("giang@hoabinh.test", "Giang", "marketing"),
]
MOST_TABS = 120

# A focused control shows it: an outline, or a box shadow (Bootstrap's focus ring).
FOCUS_SHOWN = """el => {
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
}"""


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focus is on `selector` (the first match)."""
    target = page.locator(selector).first
    expect(target).to_be_attached()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert target.evaluate(FOCUS_SHOWN), f"{selector} has focus but shows none"
            return
    raise AssertionError(f"Tab never reaches {selector} on {page.url}")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def press(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_a_leader_runs_a_round_with_the_keyboard_alone(page, live_server, viewport):
    base = live_server.url
    email = f"lan{viewport['width']}@hoabinh.test"
    page.set_viewport_size(viewport)

    page.goto(base + "/")
    press(page, "main a[href='/signup/']")
    type_into(page, "#id_email", email)
    press(page, "main form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("Check your email")
    message = [m for m in mail.outbox if m.to == [email]][-1]
    page.goto(re.search(r"(http\S+/signup/finish/\S+/)", message.body).group(1))
    type_into(page, "#id_name", "Lan Nguyen")
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    press(page, "main form button[type=submit]")

    press(page, "main a.btn-primary")  # create your company
    type_into(page, "#id_name", "Hòa Bình Trading")
    type_into(page, "#id_anonymity_threshold", "3")
    press(page, "main form button[type=submit]")
    expect(page.get_by_text("Company created. Next, open your first round.")).to_be_visible()

    press(page, "main .next-step a.btn-primary")  # open your first round
    type_into(page, "#id_title", "Spring 2026")
    tab_to(page, "input[name=sales_head]:checked")  # Tab enters a radio group at its choice
    while not page.locator("#id_sales_head_0").is_checked():
        page.keyboard.press("ArrowUp")  # up to "I am the head of sales"
    expect(page.locator("#id_sales_head_0")).to_be_focused()
    press(page, "main form button[type=submit]")
    expect(page.get_by_text("Your personal link as the head of sales")).to_be_visible()
    round_id = int(re.search(r"/rounds/(\d+)/manage/", page.url).group(1))

    press(page, f"main a[href='/rounds/{round_id}/people/']")
    tab_to(page, "#id_lines")
    for address, name, department in PEOPLE:
        page.keyboard.type(f"{address}, {name}, {department}")
        page.keyboard.press("Enter")  # a new line in the box, not a submit
    press(page, "main form button[type=submit]")
    expect(page.get_by_text("6 people added.")).to_be_visible()

    # They answer through the links e-mailed to them (so they count toward k).
    staff = Respondent.objects.filter(round_id=round_id, role="staff")
    staff.update(claimed_via=Via.EMAIL)
    for respondent in staff:
        rating = 4 if respondent.department == "sales" else 3
        submit_answers(respondent=respondent, ratings={n: rating for n in range(1, 21)})

    press(page, f"main a[href='/rounds/{round_id}/manage/']")  # back to the round
    press(page, f"main a[href='/rounds/{round_id}/close/']")
    expect(page.get_by_role("heading", name="Close this round?")).to_be_visible()
    press(page, "main form button.btn-danger")
    expect(page.get_by_text("Round closed and its results published.")).to_be_visible()

    expect(page.get_by_role("heading", name="Combined level")).to_be_visible()
    expect(page.locator("#combined-level")).to_have_text("70.0")
    press(page, f".results-tabs a[href='/rounds/{round_id}/statements/']")
    expect(page.locator("#statement-gaps tbody tr")).to_have_count(20)
