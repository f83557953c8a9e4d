"""Browser tests drive Debian's Chromium through Playwright; they never download a browser."""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Playwright runs an event loop in this thread; the ORM calls made by the tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = "Debian's Chromium is missing: apt-get install -y chromium"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": FLAGS}


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo(live_server):
    """The demo loaded on the live server: its links, dashboard URL and manager password."""
    out = StringIO()
    call_command("demo", base_url=live_server.url, stdout=out)
    text = out.getvalue()
    return {
        "links": re.findall(r"(http\S+/s/\S+/)\s+\(.*?, (\w+)\)", text),
        "dashboard": re.search(r"Dashboard: (\S+)", text).group(1),
        "password": re.search(r"with password (\S+)", text).group(1),
    }
