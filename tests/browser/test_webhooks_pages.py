"""The webhooks pages in a real browser: the owner adds an endpoint (a refused address
first), sees its secret once, opens its delivery log and sends a delivery again to a real
receiver on 127.0.0.1. axe on every state, in English and Vietnamese, at 360 and 1280 px."""

import pytest
from playwright.sync_api import expect

from survey.models import Membership
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import LAPTOP, PHONE, log_in
from tests.survey.test_webhooks import Receiver

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"webhooks": "Webhooks", "add": "Add the endpoint", "again": "Send again"},
    "vi": {"webhooks": "Webhook", "add": "Thêm điểm nhận", "again": "Gửi lại"},
}


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("viewport,width", [(PHONE, 360), (LAPTOP, 1280)])
def test_an_owner_adds_an_endpoint_and_sends_a_delivery_again(
    page, demo, live_server, screenshot, settings, viewport, width, language
):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    words = WORDS[language]
    company = Membership.objects.get(user__username="manager@demo.example").company
    page.set_viewport_size(viewport)
    log_in(page, demo)
    expect(page.locator("main h1")).to_be_visible()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/companies/{company.pk}/")
    page.get_by_role("link", name=words["webhooks"], exact=True).click()
    expect(page.locator("main h1")).to_have_text(words["webhooks"])

    page.locator("#id_url").fill("https://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name=words["add"]).click()
    expect(page.locator("#id_url")).to_have_attribute("aria-invalid", "true")
    assert not WebhookEndpoint.objects.exists()
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"webhooks-refused-{language}-{width}")

    page.locator("#id_url").fill("https://8.8.8.8/alignment-events")
    page.get_by_role("button", name=words["add"]).click()
    endpoint = WebhookEndpoint.objects.get()
    expect(page.locator("#new-secret code")).to_have_text(endpoint.secret)
    fits(page, width)
    assert_no_axe_violations(page)
    screenshot(f"webhooks-added-{language}-{width}")

    # A delivery that failed, to a receiver that now answers (loopback: allowed from here on).
    receiver = Receiver(secret=endpoint.secret)
    try:
        settings.WEBHOOKS_ALLOW_HTTP = settings.WEBHOOKS_ALLOW_LOOPBACK = True
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=receiver.url)
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="round.closed",
            message_id="msg_browser",
            payload={"type": "round.closed", "timestamp": "2026-01-01T00:00:00+00:00", "data": {}},
            status=WebhookDelivery.Status.FAILED,
            attempts=1,
            response_code=500,
            error="HTTP 500",
        )
        page.reload()  # the list, with the endpoint's new address
        page.get_by_role("link", name=receiver.url).click()
        row = page.locator(f"#delivery-{delivery.pk}")
        expect(row).to_contain_text("500")
        fits(page, width)
        assert_no_axe_violations(page)
        screenshot(f"webhook-log-{language}-{width}")
        row.get_by_role("button", name=words["again"]).click()
        expect(page.locator(f"#delivery-{delivery.pk}")).to_contain_text("200")
        assert [event["type"] for event in receiver.verified] == ["round.closed"]
        assert_no_axe_violations(page)
        screenshot(f"webhook-sent-{language}-{width}")
    finally:
        receiver.stop()
