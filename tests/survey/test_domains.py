"""Verified company domains through the real pages, against a real DNS server on 127.0.0.1
(tests/dns_server.py): adding, refusing, checking, removing, who may do what, and what a
verified domain changes in the published results."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from scoring.results.published import publish_round, read
from survey.identity import domains
from survey.identity.domains import Lookup, NotADomain, Outcome
from survey.models import AuditEvent, CompanyDomain, Respondent
from survey.writes import domains as writes
from tests.factories import make_company, make_respondent, make_user, uniform

pytest_plugins = ["tests.dns_server"]  # the dns_server and dns_down fixtures

PAGE = "/companies/{}/domains/"


def page_of(company) -> str:
    return PAGE.format(company.pk)


def check_url(company_domain) -> str:
    return f"{page_of(company_domain.company)}{company_domain.pk}/check/"


def remove_url(company_domain) -> str:
    return f"{page_of(company_domain.company)}{company_domain.pk}/remove/"


def publish_value(zone, company_domain) -> None:
    zone.publish(
        domains.record_name(company_domain.domain), domains.record_value(company_domain.token)
    )


@pytest.fixture
def boss(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def added(company, owner) -> CompanyDomain:
    return writes.add_domain(company=company, domain="acme.test", actor=owner)


def check(client: Client, company_domain) -> str:
    """Press Check now: the page it leads to (never a 500)."""
    response = client.post(check_url(company_domain), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == page_of(company_domain.company)
    return response.content.decode()


# Normalising what an owner types (no database).


@pytest.mark.parametrize(
    "typed,domain",
    [
        ("acme.com", "acme.com"),
        ("  Acme.COM  ", "acme.com"),
        ("@acme.com", "acme.com"),
        ("Ann.Lee@Acme.com", "acme.com"),
        ("acme.com.", "acme.com"),
        ("https://www.acme.com/about", "www.acme.com"),
        ("sales.acme.co.uk", "sales.acme.co.uk"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("CÔNGTY.vn", "xn--cngty-6ta.vn"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ],
)
def test_it_normalises_what_the_owner_typed(typed, domain):
    assert domains.normalise(typed) == domain


@pytest.mark.parametrize(
    "typed,says",
    [
        ("", "Enter your company's e-mail domain"),
        ("   @ ", "Enter your company's e-mail domain"),
        ("http://[nonsense/", "Enter your company's e-mail domain"),
        ("acme", "with its ending"),
        ("acme..com", "is not a domain name"),
        ("-acme.com", "is not a domain name"),
        ("acme_corp.com", "is not a domain name"),
        ("has space.com", "is not a domain name"),
        ("acme.123", "is not a domain name"),
        ("a" * 64 + ".com", "is not a domain name"),
        ("192.168.1.1", "not an IP address"),
        ("ann@[10.0.0.1]", "not an IP address"),
    ],
)
def test_it_refuses_what_is_not_a_domain_saying_why(typed, says):
    with pytest.raises(NotADomain, match=says):
        domains.normalise(typed)


@pytest.mark.parametrize(
    "domain,free",
    [
        ("gmail.com", True),
        ("outlook.com", True),
        ("yahoo.com", True),
        ("hotmail.com", True),
        ("yahoo.com.vn", True),
        ("mail.gmail.com", True),
        ("acme.com", False),
        ("acme.com.vn", False),
    ],
)
def test_free_mail_domains_come_from_the_maintained_list(domain, free):
    assert domains.is_free_mail(domain) is free


@pytest.mark.parametrize(
    "entry,address,port",
    [("10.0.0.2", "10.0.0.2", 53), ("10.0.0.2:5353", "10.0.0.2", 5353), ("[::1]:54", "::1", 54)],
)
def test_nameservers_are_ip_with_an_optional_port(entry, address, port):
    server = domains.nameserver(entry)
    assert (server.address, server.port) == (address, port)


def test_the_record_lives_at_a_name_of_its_own():
    assert domains.record_name("acme.com") == "_salesmarketing.acme.com"
    assert domains.record_value("abc") == "salesmarketing-verification=abc"


# Adding a domain.


def test_an_owner_adds_a_domain_and_sees_the_record_to_publish(boss, company, owner):
    response = boss.post(page_of(company), {"domain": " Ann@ACME.test "})
    company_domain = CompanyDomain.objects.get(company=company)
    assert company_domain.domain == "acme.test"
    assert company_domain.verified_at is None
    assert response["Location"] == page_of(company)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_ADDED)
    assert (event.company, event.actor, event.detail) == (company, owner, "acme.test")
    page = boss.get(page_of(company)).content.decode().replace("<wbr>", "")
    assert "_salesmarketing.acme.test" in page
    assert f"salesmarketing-verification={company_domain.token}" in page
    assert "Waiting for the DNS record" in page
    assert "Check now" in page


@pytest.mark.parametrize("free", ["gmail.com", "outlook.com", "yahoo.com", "ann@Yahoo.com"])
def test_free_mail_cannot_be_claimed_and_the_page_says_so_keeping_what_was_typed(
    boss, company, free
):
    response = boss.post(page_of(company), {"domain": free})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is a free e-mail service" in page
    assert f'value="{free}"' in page
    assert not CompanyDomain.objects.exists()


def test_what_is_not_a_domain_is_refused_keeping_what_was_typed(boss, company):
    response = boss.post(page_of(company), {"domain": "our website"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“our website” is not a domain name" in page
    assert 'value="our website"' in page
    assert not CompanyDomain.objects.exists()


def test_the_same_domain_twice_is_refused(boss, company, added):
    response = boss.post(page_of(company), {"domain": "ACME.test"})
    assert "acme.test is already in your list." in response.content.decode()
    assert CompanyDomain.objects.count() == 1


def test_a_domain_verified_by_another_company_is_refused_without_naming_it(boss, company):
    rival = make_company(name="Rival Holdings", slug="rival")
    CompanyDomain.objects.create(company=rival, domain="acme.test", verified_at=timezone.now())
    response = boss.post(page_of(company), {"domain": "acme.test"})
    page = response.content.decode()
    assert "acme.test is already verified by another company" in page
    assert "Rival" not in page
    assert not CompanyDomain.objects.filter(company=company).exists()


def test_a_domain_another_company_only_added_can_still_be_added(boss, company):
    rival = make_company(name="Rival", slug="rival")
    CompanyDomain.objects.create(company=rival, domain="acme.test")
    boss.post(page_of(company), {"domain": "acme.test"})
    assert CompanyDomain.objects.filter(company=company, domain="acme.test").exists()


def test_the_empty_page_says_why_to_verify(boss, company):
    page = boss.get(page_of(company)).content.decode()
    assert "make the anonymity threshold mean something" in page
    assert "rests on the leaders' word" in page


def test_the_company_page_links_to_its_domains(boss, company):
    assert page_of(company) in boss.get(f"/companies/{company.pk}/").content.decode()


# Checking the record against the local DNS server.


def test_the_published_record_verifies_the_domain_on_the_record(
    boss, company, owner, added, dns_server
):
    publish_value(dns_server, added)
    page = check(boss, added)
    added.refresh_from_db()
    assert added.verified_at is not None and added.checked_at is not None
    assert "acme.test is verified." in page
    assert "Verified on" in page
    assert "/check/" not in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_VERIFIED)
    assert (event.company, event.actor, event.detail) == (company, owner, "acme.test")
    assert "verified a company domain" in page  # the record of domain changes


def test_a_record_with_another_value_is_named_and_nothing_is_verified(boss, added, dns_server):
    dns_server.publish("_salesmarketing.acme.test", "salesmarketing-verification=typo")
    page = check(boss, added)
    added.refresh_from_db()
    assert added.verified_at is None and added.checked_at is not None
    assert "holds “salesmarketing-verification=typo”" in page
    assert f"Change its value to salesmarketing-verification={added.token}" in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_VERIFIED).exists()


def test_a_missing_record_says_to_wait_and_check_again(boss, added, dns_server):
    dns_server.add("acme.test")
    dns_server.publish("acme.test", "v=spf1 -all")
    page = check(boss, added)
    assert "There is no TXT record at _salesmarketing.acme.test yet" in page
    added.refresh_from_db()
    assert added.verified_at is None


def test_the_value_published_at_the_domain_itself_is_pointed_out(boss, added, dns_server):
    dns_server.publish("acme.test", domains.record_value(added.token))
    page = check(boss, added)
    assert "The value is published at acme.test itself" in page
    added.refresh_from_db()
    assert added.verified_at is None


def test_a_domain_that_does_not_exist_says_so(boss, added, dns_server):
    page = check(boss, added)
    assert "acme.test does not exist in DNS" in page
    assert [name for name, _how in dns_server.asked] == ["_salesmarketing.acme.test", "acme.test"]


def test_a_record_set_too_big_for_udp_is_read_over_tcp(boss, added, dns_server):
    dns_server.publish("_salesmarketing.acme.test", *["x" * 200] * 5)
    publish_value(dns_server, added)
    assert "acme.test is verified." in check(boss, added)
    assert ("_salesmarketing.acme.test", "tcp") in dns_server.asked


def test_a_dns_server_that_never_answers_gives_a_clear_page_quickly(boss, added, dns_down):
    started = time.monotonic()
    page = check(boss, added)
    assert time.monotonic() - started < 3
    assert "The DNS servers did not answer in time" in page
    added.refresh_from_db()
    assert added.verified_at is None


def test_a_dns_server_that_is_not_running_gives_the_same_clear_page(
    boss, added, dns_server, settings
):
    for server in dns_server.servers:
        server.stop()
    settings.DNS_TIMEOUT = 0.5
    assert "The DNS servers did not answer in time" in check(boss, added)


def test_a_verified_domain_stays_verified_and_is_not_checked_again(boss, added, dns_server):
    publish_value(dns_server, added)
    check(boss, added)
    dns_server.txt.clear()
    asked = len(dns_server.asked)
    assert "acme.test is already verified." in check(boss, added)
    assert len(dns_server.asked) == asked
    added.refresh_from_db()
    assert added.verified_at is not None


def test_checks_are_limited_per_company(boss, added, dns_server, settings):
    dns_server.add("acme.test")
    for _ in range(30):
        check(boss, added)
    asked = len(dns_server.asked)
    assert "checked many times in the last hour" in check(boss, added)
    assert len(dns_server.asked) == asked


# One company per domain.


def test_a_domain_verified_by_company_a_cannot_be_verified_by_company_b(
    boss, company, owner, added, dns_server
):
    rival = make_company(name="Rival", slug="rival")
    theirs = writes.add_domain(company=rival, domain="acme.test", actor=owner)
    publish_value(dns_server, theirs)
    publish_value(dns_server, added)  # acme.test's DNS holds both values
    rival_owner = make_user("boss@rival.test", rival, role="owner")
    rival_client = Client()
    rival_client.force_login(rival_owner)
    assert "acme.test is verified." in check(rival_client, theirs)
    page = check(boss, added)
    assert "already verified by another company" in page
    assert "Rival" not in page
    added.refresh_from_db()
    assert added.verified_at is None
    verified = AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_VERIFIED)
    assert list(verified.values_list("company", flat=True)) == [rival.pk]


@pytest.mark.django_db(transaction=True)
def test_two_companies_verifying_at_once_leave_one_verified():
    """The constraint domain_verified_for_one_company decides the race: both lookups found
    their value; exactly one company gets the domain, the other is told it is taken."""
    pair = [make_company(name=n, slug=n) for n in ("first", "second")]
    actor = make_user("x@acme.test")
    rows = [writes.add_domain(company=c, domain="acme.test", actor=actor) for c in pair]
    barrier = threading.Barrier(2)
    outcomes = []

    def verify(row):
        barrier.wait()
        try:
            outcomes.append(
                writes.record_check(
                    company_domain=row, lookup=Lookup(outcome=Outcome.MATCH), actor=actor
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([Outcome.MATCH, Outcome.TAKEN])
    assert CompanyDomain.objects.filter(verified_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_VERIFIED).count() == 1


# Removing a domain.


def test_removing_asks_first_then_goes_on_the_record(boss, company, owner, added):
    confirm = boss.get(remove_url(added))
    assert confirm.status_code == 200
    assert "Remove acme.test?" in confirm.content.decode()
    assert CompanyDomain.objects.exists()
    response = boss.post(remove_url(added), follow=True)
    assert "acme.test is removed." in response.content.decode()
    assert not CompanyDomain.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_REMOVED)
    assert (event.company, event.actor, event.detail) == (company, owner, "acme.test")
    assert "removed a company domain" in response.content.decode()


def test_a_verified_domain_stays_while_a_round_is_open(boss, company, round_, added):
    """Its staff were told their anonymity rests on it; removing it before the close would
    let emailed addresses elsewhere count at the close."""
    added.verified_at = added.created_at
    added.save()
    confirm = boss.get(remove_url(added)).content.decode()
    assert "cannot be removed while a round is open" in confirm
    assert 'type="submit"' not in confirm.split("</header>")[1].split("<footer")[0]
    refused = boss.post(remove_url(added))
    assert refused.status_code == 200
    assert "cannot be removed while a round is open" in refused.content.decode()
    assert CompanyDomain.objects.filter(pk=added.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_REMOVED).exists()


def test_a_verified_domain_goes_once_no_round_is_open(boss, company, added):
    added.verified_at = added.created_at
    added.save()
    company.rounds.create(
        title="Past", closes_at=timezone.now() - timedelta(days=1)
    )  # closed by the removal
    boss.post(remove_url(added))
    assert not CompanyDomain.objects.exists()
    assert company.rounds.get().closed_at is not None


def test_a_waiting_domain_can_go_while_a_round_is_open(boss, round_, added):
    boss.post(remove_url(added))
    assert not CompanyDomain.objects.exists()


# Who may do what.


def test_a_manager_sees_the_domains_and_changes_nothing(company, manager, added):
    client = Client()
    client.force_login(manager)
    page = client.get(page_of(company)).content.decode().replace("<wbr>", "")
    assert "acme.test" in page and "_salesmarketing.acme.test" in page
    assert "Only the company's owners add, check and remove domains." in page
    assert "/check/" not in page and "/remove/" not in page and "Add the domain" not in page
    assert client.post(page_of(company), {"domain": "other.test"}).status_code == 403
    assert client.post(check_url(added)).status_code == 403
    assert client.get(remove_url(added)).status_code == 403
    assert client.post(remove_url(added)).status_code == 403
    assert list(CompanyDomain.objects.values_list("domain", flat=True)) == ["acme.test"]


def test_another_company_cannot_even_learn_a_domain_exists(company, added, outsider):
    client = Client()
    client.force_login(outsider)
    assert client.get(page_of(company)).status_code == 404
    assert client.post(check_url(added)).status_code == 404
    assert client.get(remove_url(added)).status_code == 404
    assert client.post(remove_url(added)).status_code == 404


def test_an_owner_elsewhere_cannot_reach_a_domain_through_their_own_company(added):
    other = make_company(name="Other", slug="other")
    client = Client()
    client.force_login(make_user("boss@other.test", other, role="owner"))
    base = f"{page_of(other)}{added.pk}"
    assert client.post(f"{base}/check/").status_code == 404
    assert client.get(f"{base}/remove/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(company, added):
    client = Client()
    for response in (
        client.get(page_of(company)),
        client.post(check_url(added)),
        client.get(remove_url(added)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_wrong_methods_are_refused(boss, company, added):
    assert boss.get(check_url(added)).status_code == 405
    assert boss.put(page_of(company)).status_code == 405
    assert boss.delete(remove_url(added)).status_code == 405


def test_the_page_speaks_vietnamese(boss, company, added):
    boss.cookies["django_language"] = "vi"
    page = boss.get(page_of(company)).content.decode()
    assert "Tên miền của công ty" in page
    assert "Kiểm tra ngay" in page


# What verification changes in the published results.


def staff_at(survey_round, department: str, domain: str, k: int) -> None:
    for n in range(k):
        respondent, _token = make_respondent(survey_round, department, "staff", uniform(4))
        Respondent.objects.filter(pk=respondent.pk).update(email=f"p{n}@{domain}")


def test_staff_emailed_at_the_verified_domain_are_shown_and_elsewhere_not(
    company, owner, round_, dns_server
):
    """k = 3: three sales staff emailed at the verified acme.test make their group; three
    marketing staff emailed at another domain (addresses a leader may have made up) do
    not, though both answered alike."""
    company.anonymity_threshold = 3
    company.save()
    round_.anonymity_threshold = 3
    round_.save()
    added = writes.add_domain(company=company, domain="acme.test", actor=owner)
    publish_value(dns_server, added)
    lookup = domains.look_up(added.domain, added.token)
    assert writes.record_check(company_domain=added, lookup=lookup, actor=owner) == Outcome.MATCH
    staff_at(round_, "sales", "acme.test", 3)
    staff_at(round_, "marketing", "elsewhere.test", 3)
    round_.closed_at = round_.opened_at
    round_.save()
    result = read(publish_round(survey_round=round_))
    assert result.respondents.get(("sales", "staff")) == 3
    assert ("marketing", "staff") not in result.respondents
    assert result.roster is not None and result.roster.domains == ("acme.test",)


def test_an_internationalised_domain_counts_addresses_in_either_spelling(company, owner, round_):
    CompanyDomain.objects.create(
        company=company, domain=domains.normalise("bücher.de"), verified_at=round_.opened_at
    )
    company.anonymity_threshold = round_.anonymity_threshold = 3
    company.save()
    round_.save()
    staff_at(round_, "sales", "bücher.de", 2)
    staff_at(round_, "sales", "xn--bcher-kva.de", 1)
    round_.closed_at = round_.opened_at
    round_.save()
    assert read(publish_round(survey_round=round_)).respondents.get(("sales", "staff")) == 3
