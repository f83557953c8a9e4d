"""What the browser tests share: viewport sizes and logging in as the demo's manager."""

from playwright.sync_api import Page

PHONE = {"width": 360, "height": 800}
LAPTOP = {"width": 1280, "height": 900}


def log_in(page: Page, demo: dict) -> None:
    """Open the demo dashboard, which asks to log in first, and log in as its manager."""
    page.goto(demo["dashboard"])
    page.get_by_label("Email").fill("manager@demo.example")
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Log in").click()
