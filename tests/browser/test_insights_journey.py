import pytest
from playwright.sync_api import expect

from tests.browser.pages import LAPTOP, PHONE, log_in

pytestmark = pytest.mark.browser


EXPECTED = {
    "en": {
        # one reason to stay and two to move: they contradict, whatever the count
        "recommendation": "The reasons contradict each other",
        "carried": "Carried over from Autumn 2025",
        "added": "is in the plan.",
        "done": "Done",
    },
    "vi": {
        "recommendation": "Các lý do mâu thuẫn nhau",
        "carried": "Chuyển tiếp từ Autumn 2025",
        "added": "vào kế hoạch.",
        "done": "Đã xong",
    },
}


def log_in_speaking(page, demo, language: str) -> None:
    log_in(page, demo)
    if language == "vi":
        page.locator("button[name=language][value=vi]").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_leaders_answer_the_guide_and_work_the_action_plan(
    page, demo, screenshot, language, viewport, width
):
    words = EXPECTED[language]
    page.set_viewport_size(viewport)
    log_in_speaking(page, demo, language)

    page.locator("#next-step a[href$='/guide/']").first.click()  # the overview's next step
    for key in ("simple_offer", "short_life_cycles", "customised_during_sale"):
        page.locator(f"input[value={key}]").check()
    page.locator(".guide-form button[type=submit]").click()
    expect(page.locator("#recommendation")).to_contain_text(words["recommendation"])
    expect(page.locator("#recommendation li")).to_have_count(3)
    expect(page.locator("input[value=short_life_cycles]")).to_be_checked()
    screenshot(f"guide-{language}-{width}")

    page.locator(".results-tabs a[href$='/plan/']").click()
    carried = page.locator(".plan-item", has_text=words["carried"])
    expect(carried).to_have_count(1)

    page.locator(".playbook-action a.btn-primary").first.click()
    page.locator("#id_owner").fill("Quynh Pham")
    page.locator("#id_due_date").fill("2027-03-31")
    screenshot(f"plan-form-{language}-{width}")
    page.locator("form button.btn-primary").click()
    expect(page.locator(".alert-success")).to_contain_text(words["added"])

    mine = page.locator(".plan-item", has_text="Quynh Pham")
    mine.locator("button.btn-success").click()
    expect(mine.locator(".status-badge")).to_have_text(words["done"])
    expect(page.locator(".playbook-action .badge")).to_have_count(2)  # the carried one and mine
    screenshot(f"plan-{language}-{width}")

    page.locator(".results-tabs a").first.click()  # back to the overview
    expect(page.locator("#recommendation")).to_contain_text(words["recommendation"])
    expect(page.locator("#dashboard-plan .plan-item")).to_have_count(1)  # open: the carried one
    screenshot(f"dashboard-insights-{language}-{width}")
    page.locator(".results-tabs a[href$='/trends/']").click()
    expect(page.locator("#trend-table tbody tr")).to_have_count(2)
