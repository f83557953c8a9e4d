"""A round's people in a real browser: the links shown once can be copied one by one or
downloaded as a CSV made in the browser (and stay readable without JavaScript); the
participants list stacks on a phone; the invitation preview; axe on every page."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from survey.models import Round
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in
from tests.factories import close_open_round

pytestmark = pytest.mark.browser

LINES = """an@demo.example,Nguyễn An,sales,staff,vi
=cmd@demo.example,=HYPERLINK("x"),marketing,staff,en
jo@demo.example,"Jo ""JJ"" Smith",marketing,leader,en"""
LINK = re.compile(r"^http://[^/]+/s/[\w-]{32}/$")


def new_round(demo: dict) -> Round:
    shown = Round.objects.get(pk=int(re.search(r"/rounds/(\d+)/", demo["dashboard"])[1]))
    close_open_round(shown.company)  # the demo's: one open round per company
    return Round.objects.create(company=shown.company, title="Autumn")


def add_people(page, base: str, survey_round: Round, lines: str) -> None:
    page.goto(f"{base}/rounds/{survey_round.pk}/people/")
    page.locator("#id_lines").fill(lines)
    page.locator("#id_show_links").check()
    page.get_by_role("button", name="Add these people").click()
    expect(page.locator("main h1")).to_have_text("People added")


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_links_can_be_copied_and_downloaded_and_the_list_stacks(
    page, demo, live_server, screenshot, viewport, width
):
    survey_round = new_round(demo)
    page.set_viewport_size(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, demo)
    page.goto(f"{live_server.url}/rounds/{survey_round.pk}/people/")
    page.get_by_role("link", name="Preview the invitation email in English and Vietnamese").click()
    expect(page.locator(".email-preview")).to_have_count(2)
    expect(page.locator(".email-preview").first).to_contain_text("Alex Sample")
    expect(page.locator(".email-preview").nth(1)).to_contain_text("Nguyễn Văn Mẫu")
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"invitation-preview-en-{width}")

    add_people(page, live_server.url, survey_round, LINES)
    links = [text.strip() for text in page.locator("#new-links .link-once").all_inner_texts()]
    assert len(links) == 3 and all(LINK.match(link) for link in links)
    copy = page.locator("#new-links .copy-link").first
    expect(copy).to_be_visible()
    copy.click()
    expect(copy).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == links[0]
    expect(page.locator("#copy-status")).to_contain_text(links[0])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download these links as CSV").click()
    assert download.value.suggested_filename == f"links-{survey_round.pk}.csv"
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["name", "email", "department", "role", "language", "link"]
    by_email = {row[1]: row for row in rows[1:]}
    assert sorted(row[5] for row in rows[1:]) == sorted(links)
    assert by_email["an@demo.example"][:5] == [
        "Nguyễn An", "an@demo.example", "Sales", "Staff", "Vietnamese"
    ]  # fmt: skip
    assert by_email["jo@demo.example"][0] == 'Jo "JJ" Smith'
    assert by_email["'=cmd@demo.example"][0] == '\'=HYPERLINK("x")'  # opened as text
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"people-added-links-en-{width}")

    page.get_by_role("link", name="Participants").click()
    expect(page.locator("#participants .person")).to_have_count(3)
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"participants-en-{width}")
    page.locator("#id_department").select_option("marketing")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#participants .person")).to_have_count(2)

    page.get_by_role("link", name="Correct email of jo@demo.example").click()
    assert_no_axe_violations(page)
    page.get_by_label("Correct email address").fill("joe@demo.example")
    page.get_by_role("button", name="Invite at the new address").click()
    expect(page.locator(".alert-success")).to_contain_text("joe@demo.example is invited")
    page.get_by_role("link", name="Remove =cmd@demo.example").click()
    expect(page.locator("main h1")).to_have_text("Remove from the round?")
    assert_no_axe_violations(page)
    screenshot(f"participant-remove-en-{width}")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("#participants .person")).to_have_count(2)
    page.locator("#removed summary").click()
    expect(page.locator("#removed li")).to_have_count(2)
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"participants-after-changes-en-{width}")
    page.get_by_role("link", name="Autumn").click()
    expect(page.locator("#removed-note")).to_contain_text("Invited includes 2 people removed")
    fits(page, width)
    screenshot(f"round-with-removed-en-{width}")
    page.goto(f"{live_server.url}/rounds/{survey_round.pk}/participants/")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("main h1")).to_have_text("Người tham gia")
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"participants-vi-{width}")


def test_without_javascript_the_links_are_there_to_select(browser, demo, live_server, screenshot):
    survey_round = new_round(demo)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    log_in(page, demo)
    add_people(page, live_server.url, survey_round, "an@demo.example,An,sales")
    link = page.locator("#new-links .link-once")
    expect(link).to_be_visible()
    assert LINK.match(link.inner_text().strip())
    expect(page.locator("#new-links .copy-link")).to_be_hidden()
    expect(page.get_by_role("button", name="Download these links as CSV")).to_be_hidden()
    screenshot("people-added-links-nojs-360")
    context.close()
