"""axe-core on every page of the product, in English and Vietnamese, at 360 and 1280 px:
any WCAG 2.1 A or AA violation fails. A screenshot of each page is written to
artifacts/screenshots/every-page/ to be looked at.

PAGES names a way to reach every page a person can see, by its URL pattern's name; a
second test fails when a URL pattern is added without being listed here (or in NOT_PAGES,
for URLs that answer with a file, a redirect or only to a POST).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from survey.models import Company, CompanyDomain, Round, SurveyLink
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint
from survey.writes.services import SCREEN_LINK_LIFETIME, new_link
from tests.browser.axe import axe_violations
from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import LAPTOP, PHONE
from tests.browser.test_production_pages import database_down
from tests.factories import make_respondent

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "every-page"

# URL patterns that are not pages: files, redirects, and forms' targets that only take POST.
NOT_PAGES = {
    "favicon",
    "robots_txt",
    "logout",
    "set_language",
    "survey:open",  # a redirect to the start page
    "survey:join",  # a redirect to the shared link's start page
    "survey:fresh_link",  # POST: answers with the "check your email" page (listed below)
    "workspace:member_remove",
    "workspace:domain_check",  # POST: back to the domains page with what the check found
    "workspace:sso_test",  # POST: back to the settings page (listed below)
    "workspace:sso_enforce",
    "workspace:data_export",  # the zip
    "workspace:company_delete_undo",  # POST: back to the Your data page (listed below)
    "workspace:webhook_enable",  # POST: back to the endpoint's log (listed below)
    "workspace:webhook_resend",
    "workspace:webhook_remove",
    "workspace:directory_token_revoke",  # POST: back to the directory page
    "workspace:invite_directory",  # POST: back to the round page (walked below)
    # SCIM 2.0: JSON for the company's identity provider with a bearer token, not pages.
    "scim:root",
    "scim:search",
    "scim:config",
    "scim:resource_types",
    "scim:resource_type",
    "scim:schemas",
    "scim:schema",
    "scim:users",
    "scim:user_search",
    "scim:user",
    "scim:groups",
    "scim:group_search",
    "scim:group",
    "scim:unknown",
    "openid_connect_callback",  # the provider's way back; without a sign-in, the SSO error page
    "saml_acs",  # the IdP's POST, then a redirect
    "saml_finish_acs",  # a redirect home, or the SSO error page
    "saml_sls",  # the IdP's single logout: a redirect
    "saml_metadata",  # XML for the IdP
    "workspace:fresh_link",
    "workspace:remind",
    "workspace:participant_resend",
    "workspace:auto_reminders",
    "workspace:shared_link_toggle",
    "workspace:shared_link_qr",
    "workspace:shared_link_qr_png",
    "scoring:plan_status",
    "scoring:workshop_agree",
    "scoring:workshop_action",
    "scoring:answers_csv",
    "scoring:answers_xlsx",
    "scoring:summary_csv",
    "scoring:summary_xlsx",
    "scoring:comments_csv",
    "scoring:comments_xlsx",
    "scoring:summary_json",
    "scoring:board_deck",  # a PowerPoint file
    "workspace:api_token_revoke",  # POST: back to the tokens page (listed below)
    # The API answers JSON, not pages; its docs page (api:openapi-view) is walked below.
    "api:api-root",
    "api:openapi-json",
    "api:company",
    "api:rounds",
    "api:round",
    "api:results",
    "api:trends",
    "api:actions",
    "account_login",  # the login page under the name allauth's sign-in stages use (walked)
    "mfa_download_recovery_codes",  # a text file
}


@dataclass
class Demo:
    """What the walk needs: the server, the demo's rounds and links, the manager's login."""

    url: str
    password: str
    closed: Round
    open: Round
    links: list[str]


def names_of(patterns, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= names_of(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def log_in(page: Page, demo: Demo) -> None:
    page.goto(demo.url + "/login/")
    page.locator("#id_username").fill("manager@demo.example")
    page.locator("#id_password").fill(demo.password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).not_to_have_text("Log in")


def survey_page(page: Page, link: str) -> str:
    """Open a staff link and press Start: the survey page's URL."""
    page.goto(link)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("fieldset").first).to_be_visible()
    return page.url


def answer_all(page: Page) -> None:
    for number in range(1, 21):
        page.locator(f"label[for=s{number}-3]").click()
    page.locator("form.survey-form button[type=submit]").click()
    expect(page.locator(".score-value")).to_be_visible()


def api_docs(page: Page, demo: Demo, _browser: Browser) -> None:
    """The API's Swagger UI, once it has drawn the operations from the schema."""
    page.goto(demo.url + "/api/v1/docs/")
    expect(page.locator(".opblock").first).to_be_visible()


# Each page: (URL pattern's name, how a visitor reaches it). `go` runs in a logged-in page
# unless the name says "visitor"; it returns after the page has loaded.
Go = Callable[[Page, Demo, Browser], None]


def closed_round(path: str = "") -> Go:
    return lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.closed.pk}/{path}")


def first_action(page: Page, demo: Demo) -> str:
    page.goto(f"{demo.url}/rounds/{demo.closed.pk}/plan/")
    href = page.locator("a[href*='/plan/'][href$='/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).find(h => /plan\\/\\d+\\/$/.test(h))"
    )
    return demo.url + href


def fresh_link_sent(page: Page, demo: Demo, browser: Browser) -> None:
    """A survey started on one device and opened on another: the other device is told it is
    in use and asks for a fresh link by email."""
    respondent, token = make_respondent(demo.open, "sales", "staff")
    respondent.email = "mai@demo.example"
    respondent.save(update_fields=["email"])
    first = browser.new_context(viewport=page.viewport_size).new_page()
    url = survey_page(first, f"{demo.url}/s/{token}/")
    first.context.close()
    page.goto(url)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()


def in_use(page: Page, demo: Demo, browser: Browser) -> None:
    _respondent, token = make_respondent(demo.open, "marketing", "staff")
    first = browser.new_context(viewport=page.viewport_size).new_page()
    url = survey_page(first, f"{demo.url}/s/{token}/")
    first.context.close()
    page.goto(url)


def started_before_you(page: Page, demo: Demo, browser: Browser) -> None:
    """Start pressed on a link whose survey another browser started first."""
    respondent, token = make_respondent(demo.open, "sales", "staff")
    respondent.email = "lan@demo.example"
    respondent.save(update_fields=["email"])
    first = browser.new_context(viewport=page.viewport_size).new_page()
    survey_page(first, f"{demo.url}/s/{token}/")
    first.context.close()
    page.goto(f"{demo.url}/s/{token}/")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main form[action$='/fresh-link/']")).to_be_visible()


def link_expired(page: Page, demo: Demo, _browser: Browser) -> None:
    """A link shown on screen more than 48 hours ago."""
    respondent, _token = make_respondent(demo.open, "marketing", "staff")
    link, token = new_link(respondent, SurveyLink.Kind.SCREEN)
    link.created_at = timezone.now() - SCREEN_LINK_LIFETIME - timedelta(hours=1)
    link.save()
    page.goto(f"{demo.url}/s/{token}/")


def names_flagged(page: Page, demo: Demo, _browser: Browser) -> None:
    """In a company without a verified domain: the names on the start page, then the flag."""
    company = Company.objects.create(name="Names Co", slug=f"names-{Company.objects.count()}")
    survey_round = company.rounds.create(title="Spring")
    for n, name in enumerate(["Mai", "Bình", ""]):
        survey_round.respondents.create(email=f"p{n}@names.test", name=name, department="sales")
    link, token = new_link(survey_round.respondents.first(), SurveyLink.Kind.EMAIL)
    link.save()
    page.goto(f"{demo.url}/s/{token}/")
    page.locator("#roster form button").click()
    expect(page.locator("main a.btn")).to_be_visible()


def closed_survey(page: Page, demo: Demo, _browser: Browser) -> None:
    _respondent, token = make_respondent(demo.closed, "sales", "staff")
    page.goto(f"{demo.url}/s/{token}/")


def leaders_browser(page: Page, demo: Demo, _browser: Browser) -> None:
    """A leader opening a staff member's link in their own logged-in browser: refused."""
    _respondent, token = make_respondent(demo.open, "sales", "staff")
    page.goto(f"{demo.url}/s/{token}/")


def stale_form(page: Page, demo: Demo, _browser: Browser) -> None:
    """The CSRF failure page: a log-in form sent after its cookie went away."""
    page.goto(demo.url + "/login/")
    language = page.locator("html").get_attribute("lang")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo.url}])
    page.locator("#id_username").fill("lan@hoabinh.test")
    page.locator("#id_password").fill("whatever-it-was")
    page.locator("main form button[type=submit]").click()


def outage(page: Page, demo: Demo, _browser: Browser) -> None:
    """The database gone under a running server: every page answers 503 and explains."""
    page.goto(demo.links[0])
    with database_down():
        response = page.reload()
        assert response is not None and response.status == 503


def participant(demo: Demo) -> str:
    """The leaders' page of one person invited to the open round."""
    person = demo.open.respondents.exclude(email="").order_by("pk").first()
    assert person is not None
    return f"{demo.url}/rounds/{demo.open.pk}/participants/{person.pk}/"


def domain(demo: Demo) -> str:
    """The leaders' URL of a domain the demo company added and has not verified yet."""
    added, _created = CompanyDomain.objects.get_or_create(
        company_id=demo.closed.company_id, domain="demo-company.example"
    )
    return f"{demo.url}/companies/{added.company_id}/domains/{added.pk}/"


def webhook(demo: Demo) -> str:
    """The leaders' URL of a webhook endpoint of the demo company, with one failed delivery."""
    endpoint, created = WebhookEndpoint.objects.get_or_create(
        company_id=demo.closed.company_id,
        url="https://hooks.example.com/alignment",
        defaults={"events": ["round.closed", "action.updated"]},
    )
    if created:
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="round.closed",
            message_id="msg_axe",
            payload={},
            status=WebhookDelivery.Status.FAILED,
            attempts=1,
            response_code=500,
        )
    return f"{demo.url}/companies/{endpoint.company_id}/webhooks/{endpoint.pk}/"


SECOND_FACTOR_EMAIL = "second-factor@demo.example"
SECOND_FACTOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def second_factor_sign_in(page: Page, demo: Demo, _browser: Browser) -> None:
    """A leader with an authenticator app and recovery codes signs in: the code page."""
    user = get_user_model().objects.filter(email=SECOND_FACTOR_EMAIL).first()
    if user is None:
        user = get_user_model().objects.create_user(
            SECOND_FACTOR_EMAIL, SECOND_FACTOR_EMAIL, demo.password, first_name="Hoa Pham"
        )
        TOTP.activate(user, SECOND_FACTOR_SECRET)
        RecoveryCodes.activate(user)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).delete()
    page.goto(demo.url + "/login/")
    page.locator("#id_username").fill(SECOND_FACTOR_EMAIL)
    page.locator("#id_password").fill(demo.password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()


def second_factor_code(page: Page, demo: Demo, _browser: Browser) -> None:
    """The code typed (a used code is refused within its window: forget the used ones)."""
    cache.clear()
    page.locator("#id_code").fill(pyotp.TOTP(SECOND_FACTOR_SECRET).now())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#id_code")).to_have_count(0)


def a_passkey(demo: Demo) -> str:
    """A passkey row of the signed-in second-factor leader (its list and removal pages)."""
    user = get_user_model().objects.get(email=SECOND_FACTOR_EMAIL)
    key, _created = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.WEBAUTHN, defaults={"data": {"name": "Phone"}}
    )
    return f"{demo.url}/account/two-factor/passkeys/{key.pk}/remove/"


def signed_in_with_code(path: str) -> Go:
    def go(page: Page, demo: Demo, browser: Browser) -> None:
        if "/login/two-factor/" in page.url:
            second_factor_code(page, demo, browser)
        page.goto(demo.url + path)

    return go


PAGES: list[tuple[str, str, Go]] = [
    ("home", "visitor", lambda page, demo, _b: page.goto(demo.url + "/")),
    ("login", "visitor", lambda page, demo, _b: page.goto(demo.url + "/login/")),
    ("signup", "visitor", lambda page, demo, _b: page.goto(demo.url + "/signup/")),
    ("signup_sent", "visitor", lambda page, demo, _b: page.goto(demo.url + "/signup/sent/")),
    (
        "signup_finish",
        "visitor",
        lambda page, demo, _b: page.goto(demo.url + "/signup/finish/not-a-real-token/"),
    ),
    ("sso_start", "visitor", lambda page, demo, _b: page.goto(demo.url + "/login/company/")),
    (
        "sso_start refused",
        "visitor",
        lambda page, demo, _b: (
            page.goto(demo.url + "/login/company/"),
            page.locator("input[name=email]").fill("nobody@no-sso.test"),
            page.locator("main form button[type=submit]").click(),
        ),
    ),
    ("password_reset", "visitor", lambda page, demo, _b: page.goto(demo.url + "/password-reset/")),
    (
        "password_reset_done",
        "visitor",
        lambda page, demo, _b: page.goto(demo.url + "/password-reset/sent/"),
    ),
    (
        "password_reset_confirm",
        "visitor",
        lambda page, demo, _b: page.goto(demo.url + "/password-reset/MQ/set-password/"),
    ),
    (
        "password_reset_complete",
        "visitor",
        lambda page, demo, _b: page.goto(demo.url + "/password-reset/done/"),
    ),
    ("404", "visitor", lambda page, demo, _b: page.goto(demo.url + "/no-such-page/")),
    ("survey:start", "visitor", lambda page, demo, _b: page.goto(demo.links[0])),
    ("survey:respond", "visitor", lambda page, demo, _b: survey_page(page, demo.links[0])),
    (
        "survey:respond errors",
        "visitor",
        lambda page, demo, _b: (
            survey_page(page, demo.links[0]),
            page.locator("form.survey-form button[type=submit]").click(),
            expect(page.locator("#error-summary")).to_be_visible(),
        ),
    ),
    (
        "survey:thanks",
        "visitor",
        lambda page, demo, _b: (survey_page(page, demo.links[1]), answer_all(page)),
    ),
    ("survey no link", "visitor", lambda page, demo, _b: page.goto(demo.url + "/s/start/")),
    ("survey:fresh_link sent", "visitor", fresh_link_sent),
    ("survey in use", "visitor", in_use),
    ("survey started before you", "visitor", started_before_you),
    ("survey link expired", "visitor", link_expired),
    ("survey:flag_names thanks", "visitor", names_flagged),
    ("survey closed", "visitor", closed_survey),
    ("403 csrf", "visitor", stale_form),
    ("503", "visitor", outage),
    ("data_request", "visitor", lambda page, demo, _b: page.goto(demo.url + "/your-data/")),
    (
        "data_request sent",
        "visitor",
        lambda page, demo, _b: (
            page.goto(demo.url + "/your-data/"),
            page.locator("input[name=email]").fill("someone@demo-company.example"),
            page.locator("main form button[type=submit]").click(),
            expect(page.locator("h1")).to_be_visible(),
        ),
    ),
    ("survey:join_start", "visitor", lambda page, demo, _b: page.goto(demo.url + "/s/join/")),
    ("home", "leader", lambda page, demo, _b: page.goto(demo.url + "/")),
    (
        "workspace:company",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/"),
    ),
    (
        "workspace:members",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/members/"),
    ),
    (
        "workspace:domains",
        "leader",
        lambda page, demo, _b: page.goto(domain(demo).rsplit("/", 2)[0] + "/"),
    ),
    (
        "workspace:domain_remove",
        "leader",
        lambda page, demo, _b: page.goto(domain(demo) + "remove/"),
    ),
    (
        "workspace:sso",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/sso/"),
    ),
    (
        "workspace:data",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/data/"),
    ),
    (
        "workspace:company_delete",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/delete/"),
    ),
    (
        "workspace:webhooks",
        "leader",
        lambda page, demo, _b: page.goto(webhook(demo).rsplit("/", 2)[0] + "/"),
    ),
    ("workspace:webhook", "leader", lambda page, demo, _b: page.goto(webhook(demo))),
    (
        "workspace:api_tokens",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/companies/{demo.closed.company_id}/api/"),
    ),
    ("api:openapi-view", "visitor", api_docs),
    (
        "workspace:directory",
        "leader",
        lambda page, demo, _b: page.goto(
            f"{demo.url}/companies/{demo.closed.company_id}/directory/"
        ),
    ),
    (
        "workspace:directory token shown once",
        "leader",
        lambda page, demo, _b: (
            page.goto(f"{demo.url}/companies/{demo.closed.company_id}/directory/"),
            page.locator("input[name=label]").fill("Entra ID"),
            page.locator("main form button[type=submit]").last.click(),
        ),
    ),
    (
        "workspace:company_create",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/companies/new/"),
    ),
    (
        "workspace:round_create",
        "leader",
        lambda page, demo, _b: page.goto(
            f"{demo.url}/companies/{demo.closed.company_id}/rounds/new/"
        ),
    ),
    (
        "workspace:round",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/manage/"),
    ),
    (
        "workspace:round_edit",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/edit/"),
    ),
    (
        "workspace:round_close",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/close/"),
    ),
    (
        "workspace:add_people",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/people/"),
    ),
    (
        "workspace:invitation_preview",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/people/preview/"),
    ),
    (
        "workspace:participants",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/participants/"),
    ),
    (
        "workspace:participant_email",
        "leader",
        lambda page, demo, _b: page.goto(participant(demo) + "email/"),
    ),
    (
        "workspace:participant_remove",
        "leader",
        lambda page, demo, _b: page.goto(participant(demo) + "remove/"),
    ),
    (
        "workspace:join_company",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/invitations/" + "x" * 43 + "/"),
    ),
    (
        "scoring:dashboard open",
        "leader",
        lambda page, demo, _b: page.goto(f"{demo.url}/rounds/{demo.open.pk}/"),
    ),
    ("scoring:dashboard", "leader", closed_round()),
    ("scoring:statements", "leader", closed_round("statements/")),
    ("scoring:groups", "leader", closed_round("groups/")),
    ("scoring:spread", "leader", closed_round("spread/")),
    ("scoring:trends", "leader", closed_round("trends/")),
    ("scoring:downloads", "leader", closed_round("downloads/")),
    ("scoring:guide", "leader", closed_round("guide/")),
    ("scoring:two_key", "leader", closed_round("guide/two-key/")),
    ("scoring:two_key_heads", "leader", closed_round("guide/two-key/heads/")),
    ("scoring:plan", "leader", closed_round("plan/")),
    ("scoring:plan_add", "leader", closed_round("plan/add/")),
    ("scoring:action", "leader", lambda page, demo, _b: page.goto(first_action(page, demo))),
    (
        "scoring:plan_edit",
        "leader",
        lambda page, demo, _b: page.goto(first_action(page, demo) + "edit/"),
    ),
    (
        "scoring:plan_delete",
        "leader",
        lambda page, demo, _b: page.goto(first_action(page, demo) + "delete/"),
    ),
    ("scoring:workshop", "leader", closed_round("workshop/")),
    ("account", "leader", lambda page, demo, _b: page.goto(demo.url + "/account/")),
    (
        "account_delete",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/account/delete/"),
    ),
    (
        "workspace:company_mfa",
        "leader",
        lambda page, demo, _b: page.goto(
            f"{demo.url}/companies/{demo.closed.company_id}/two-factor/"
        ),
    ),
    ("mfa_index", "leader", lambda page, demo, _b: page.goto(demo.url + "/account/two-factor/")),
    (
        "mfa_activate_totp",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/account/two-factor/totp/"),
    ),
    (
        "mfa_generate_recovery_codes",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/account/two-factor/recovery-codes/new/"),
    ),
    (
        "mfa_add_webauthn",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/account/two-factor/passkeys/add/"),
    ),
    ("mfa_authenticate", "second-factor", second_factor_sign_in),
    (
        "mfa_view_recovery_codes",
        "second-factor",
        signed_in_with_code("/account/two-factor/recovery-codes/"),
    ),
    ("mfa_index with factors", "second-factor", signed_in_with_code("/account/two-factor/")),
    (
        "mfa_deactivate_totp",
        "second-factor",
        signed_in_with_code("/account/two-factor/totp/remove/"),
    ),
    (
        "mfa_list_webauthn",
        "second-factor",
        lambda page, demo, _b: page.goto(a_passkey(demo).rsplit("/", 3)[0] + "/"),
    ),
    ("mfa_remove_webauthn", "second-factor", lambda page, demo, _b: page.goto(a_passkey(demo))),
    ("403 leader's browser", "leader", leaders_browser),
    (
        "404 another company's round",
        "leader",
        lambda page, demo, _b: page.goto(demo.url + "/rounds/999999/"),
    ),
]


@pytest.fixture
def walk_demo(live_server, demo) -> Demo:
    closed = Round.objects.get(title="Spring 2026")
    return Demo(
        url=live_server.url,
        password=demo["password"],
        closed=closed,
        open=closed.company.rounds.get(closed_at__isnull=True),
        links=[url for url, _language in demo["links"]],
    )


def test_every_url_pattern_is_a_listed_page_or_not_a_page():
    listed = {name.split(" ")[0] for name, _who, _go in PAGES} | NOT_PAGES
    missing = names_of(get_resolver().url_patterns) - listed
    assert not missing, f"add these URL patterns to PAGES (or NOT_PAGES): {sorted(missing)}"


def choose_language(page: Page, demo: Demo, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo.url}])


@pytest.mark.parametrize("viewport,size", [(PHONE, "360"), (LAPTOP, "1280")])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_page_passes_axe(browser, walk_demo, viewport, size, language):
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    visitor = browser.new_context(viewport=viewport).new_page()
    leader = browser.new_context(viewport=viewport).new_page()
    second_factor = browser.new_context(viewport=viewport).new_page()
    for page in (visitor, leader, second_factor):
        choose_language(page, walk_demo, language)
    log_in(leader, walk_demo)
    pages = {"visitor": visitor, "leader": leader, "second-factor": second_factor}
    for name, who, go in PAGES:
        page = pages[who]
        go(page, walk_demo, browser)
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language, name
        for violation in axe_violations(page):
            found.append(f"{name} ({page.url}): {violation}")
        slug = re.sub(r"[^a-z0-9]+", "-", f"{who}-{name}".lower()).strip("-")
        page.screenshot(path=str(SHOTS / f"{slug}-{language}-{size}.png"), full_page=True)
    assert found == [], "\n".join(found)
