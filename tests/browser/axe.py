"""axe-core in the browser tests: any WCAG 2.1 A or AA violation on a page fails the test.

axe-playwright-python ships axe-core itself, so nothing is downloaded.
"""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """One line per violation: the rule, its impact and the first few offending elements."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)
