"""A leader runs a whole round from sign-up; staff answer in their own browsers."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from survey.models import Respondent, Via
from survey.writes.services import submit_answers
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-9"
CSV = """email,name,department,role,language
an@hoabinh.test,Nguyễn An,sales,staff,vi
binh@hoabinh.test,Trần Bình,sales,staff,vi
chi@hoabinh.test,Chi <b>Lê</b>,sales,staff,en
dung@hoabinh.test,Dũng,marketing,staff,vi
giang@hoabinh.test,Giang,marketing,staff,vi
ha@hoabinh.test,Hà,marketing,staff,en
not-an-email,Someone,marketing,staff,en
em@hoabinh.test,Em,finance,staff,en
"""


def sign_up_and_create_company(page, base: str, email: str, company: str) -> None:
    page.goto(base + "/signup/")
    page.locator("#id_email").fill(email)
    page.locator("main form button[type=submit]").click()  # the link comes by email
    expect(page.locator("main h1")).not_to_have_text(re.compile("^(Create|Tạo)"))
    message = [m for m in mail.outbox if m.to == [email]][-1]
    page.goto(re.search(r"(http\S+/signup/finish/\S+/)", message.body).group(1))
    page.locator("#id_name").fill("Lan Nguyen")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("main a.btn-primary").click()  # create your company
    page.locator("#id_name").fill(company)
    page.locator("#id_anonymity_threshold").fill("3")
    page.locator("main form button[type=submit]").click()


def open_round(page, title: str, marketing_head: str) -> None:
    page.locator("main .next-step a.btn-primary").click()  # open your first round
    page.locator("#id_title").fill(title)
    page.locator("#id_sales_head_0").check()  # me
    page.locator("#id_marketing_head_1").check()  # someone else
    page.locator("#id_marketing_head_email").fill(marketing_head)
    page.locator("main form button[type=submit]").click()


def answer_all(page, rating: int) -> None:
    for number in range(1, 21):
        page.locator(f"label[for=s{number}-{rating}]").click()
    page.locator("form.survey-form button[type=submit]").click()


def link_in_mail(address: str) -> str:
    message = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"(http\S+/s/[\w-]{32}/)", message.body).group(1)


def answer_in_the_database(round_id: int, emails: list[str], rating: int) -> None:
    """As if they had answered through the links e-mailed to them."""
    for respondent in Respondent.objects.filter(round_id=round_id, email__in=emails):
        Respondent.objects.filter(pk=respondent.pk).update(claimed_via=Via.EMAIL)
        submit_answers(respondent=respondent, ratings={n: rating for n in range(1, 21)})


def test_a_leader_runs_a_round_from_sign_up_to_the_dashboard(
    page, browser, live_server, screenshot, tmp_path
):
    base = live_server.url
    page.set_viewport_size(LAPTOP)
    sign_up_and_create_company(page, base, "lan@hoabinh.test", "Hòa Bình Trading")
    expect(page.get_by_text("Company created. Next, open your first round.")).to_be_visible()
    open_round(page, "Spring 2026", "hoa@hoabinh.test")
    expect(page.get_by_text("Your personal link as the head of sales")).to_be_visible()
    round_id = int(re.search(r"/rounds/(\d+)/manage/", page.url).group(1))
    screenshot("round-empty-en-1280")

    page.get_by_role("link", name="Invite people").first.click()
    csv = tmp_path / "people.csv"
    csv.write_text(CSV, encoding="utf-8")
    page.locator("#id_file").set_input_files(str(csv))
    page.locator("#id_show_links").check()
    page.get_by_role("button", name="Add these people").click()
    expect(page.get_by_text("6 people added.")).to_be_visible()
    expect(page.locator("#line-errors li")).to_have_count(2)
    expect(page.locator("#line-errors")).to_contain_text("Line 8:")
    expect(page.locator("#new-links")).to_contain_text("Chi <b>Lê</b>")  # shown as text
    screenshot("people-added-en-1280")

    page.get_by_role("link", name="Back to the round").click()
    marketing = page.locator("form[action$='/shared/marketing/staff/'] button")
    marketing.click()
    expect(page.get_by_text("The shared link for Marketing, Staff is on.")).to_be_visible()
    shared = page.locator(".shared-url").input_value()
    expect(page.locator("img.qr")).to_have_js_property("complete", True)
    screenshot("round-shared-en-1280")

    # Two staff members answer on their phones, in browsers of their own.
    by_email = browser.new_context(viewport=PHONE)
    staff = by_email.new_page()
    staff.goto(link_in_mail("chi@hoabinh.test"))
    expect(staff).to_have_url(re.compile(r"/s/start/$"))  # the token left the address bar
    staff.get_by_role("button", name="Start the survey").click()
    answer_all(staff, 4)
    expect(staff.locator(".score-value strong")).to_have_text("80")
    by_chat = browser.new_context(viewport=PHONE)
    joiner = by_chat.new_page()
    joiner.goto(shared)
    joiner.get_by_role("button", name="Start the survey").click()
    answer_all(joiner, 2)
    expect(joiner.locator(".score-value strong")).to_have_text("40")
    again = joiner.url.replace("/thanks/", "/")
    joiner.goto(again)  # a return visit from the browser's history
    expect(joiner.get_by_text("You have already answered.")).to_be_visible()

    # Issue 15: counts show from k answers of people invited by e-mail, up to last midnight.
    page.reload()
    sales_staff = page.locator("[data-group='sales-staff'] td")
    expect(sales_staff.nth(1)).to_have_text("shown from 3 answers")
    answer_in_the_database(round_id, ["an@hoabinh.test", "binh@hoabinh.test"], 3)
    # Marketing is shown once 3 of its people invited by e-mail answered: the shared
    # link's answers count in its figures but never make it reach k.
    answer_in_the_database(round_id, ["dung@hoabinh.test", "giang@hoabinh.test"], 2)
    answer_in_the_database(round_id, ["ha@hoabinh.test"], 3)
    page.reload()
    expect(sales_staff.nth(1)).to_have_text("shown from 3 answers")  # all of them today
    answered = Respondent.objects.filter(round_id=round_id, submitted_at__isnull=False)
    answered.update(submitted_at=timezone.now() - timedelta(days=1))  # the next day
    page.reload()
    expect(sales_staff.nth(1)).to_have_text("3")

    # Nobody is reminded on the day of their invitation: these were invited two days ago.
    invited = Respondent.objects.filter(round_id=round_id)
    invited.update(invitation_status_at=timezone.now() - timedelta(days=2))
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Remind those who have not answered").click()
    expect(page.get_by_text("Reminders are on their way")).to_be_visible()
    reminded = sorted(m.to[0] for m in mail.outbox[sent_before:])
    assert reminded == ["hoa@hoabinh.test", "lan@hoabinh.test"]  # the two heads, not staff

    marketing_joiner = browser.new_context(viewport=PHONE).new_page()
    marketing_joiner.goto(shared)
    marketing_joiner.get_by_role("button", name="Start the survey").click()
    answer_all(marketing_joiner, 3)

    page.get_by_role("link", name="Close the round").click()
    expect(page.get_by_role("heading", name="Close this round?")).to_be_visible()
    screenshot("close-en-1280")
    page.locator("main form button.btn-danger").click()
    expect(page.get_by_text("Round closed and its results published.")).to_be_visible()
    staff.goto(staff.url.replace("/thanks/", "/"))
    # The company's published results, the same page whether or not this person answered.
    expect(staff.get_by_role("heading", level=1)).to_contain_text("The results of")
    expect(staff.locator("#combined-level")).to_be_visible()

    expect(page.get_by_role("heading", name="Combined level")).to_be_visible()
    expect(page.locator("#top-statements li")).to_have_count(3)
    screenshot("dashboard-after-round-en-1280")
    page.get_by_role("link", name="Statements", exact=True).click()
    expect(page.locator("#statement-gaps tbody tr")).to_have_count(20)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/rounds/{round_id}/manage/")
    screenshot("round-closed-en-360")


def test_the_workspace_in_vietnamese_on_a_phone(page, browser, live_server, screenshot):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(base + "/signup/")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo tài khoản")
    screenshot("signup-vi-360")
    sign_up_and_create_company(page, base, "lan@hoabinh.test", "Hòa Bình")
    expect(page.get_by_text("Đã tạo công ty.")).to_be_visible()
    screenshot("company-empty-vi-360")
    page.locator("main .next-step a.btn-primary").click()
    screenshot("round-form-vi-360")
    page.locator("main form button[type=submit]").click()  # defaults: heads decided later
    expect(page.get_by_text("Đã mở đợt đánh giá.")).to_be_visible()

    page.get_by_role("link", name="Mời mọi người").first.click()
    page.locator("#id_lines").fill("an@hoabinh.test, An, bán hàng\nbinh@hoabinh.test,,kế toán")
    page.get_by_role("button", name="Thêm những người này").click()
    expect(page.get_by_text("Đã thêm 1 người.")).to_be_visible()
    expect(page.locator("#line-errors")).to_contain_text("Bộ phận không hợp lệ “kế toán”")
    screenshot("people-added-vi-360")
    page.get_by_role("link", name="Quay lại đợt đánh giá").click()
    page.locator("form[action$='/shared/sales/staff/'] button").click()
    expect(page.get_by_text("Đường dẫn chung cho Bán hàng, Nhân viên đã bật.")).to_be_visible()
    expect(page.locator("img.qr")).to_have_js_property("complete", True)
    screenshot("round-vi-360")
    page.set_viewport_size(LAPTOP)
    screenshot("round-vi-1280")

    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(base + "/")
    visitor.goto(page.locator(".shared-url").input_value())
    visitor.get_by_role("button", name="Tiếng Việt").click()
    expect(visitor.get_by_role("button", name="Bắt đầu khảo sát")).to_be_visible()
    visitor.screenshot(path=str(SCREENSHOTS / "join-vi-360.png"), full_page=True)
