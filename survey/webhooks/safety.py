"""Where a webhook may go (server-side request forgery): https only, and never to a private,
loopback, link-local or otherwise internal address, checked on the addresses the name
resolves to; the delivery then connects to the address that was checked, so a name that
answers differently a moment later (DNS rebinding) gains nothing.

Tests and `make run` relax it through two settings: WEBHOOKS_ALLOW_HTTP (plain http, and
always with DEBUG) and WEBHOOKS_ALLOW_LOOPBACK (127.0.0.0/8 and ::1 only)."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import dns.exception
import dns.resolver
from django.conf import settings
from django.utils.translation import gettext as _

from survey.identity.domains import make_resolver

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The URL may not receive webhooks; the message says why, in the reader's language."""


@dataclass(frozen=True, kw_only=True)
class Target:
    """A checked URL: its scheme, host name (for the Host header and TLS), port, path and
    the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    ip: str


def check_scheme(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    allow_http = settings.WEBHOOKS_ALLOW_HTTP or settings.DEBUG
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_http):
        raise Refused(_("The address must start with https://."))
    if not parts.hostname:
        raise Refused(_("The address has no host name."))
    if parts.username or parts.password:
        raise Refused(_("The address may not hold a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(_("The address has an invalid port.")) from error
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname.lower(), port, path


def allowed(ip: IP) -> bool:
    """A public address; loopback too when settings.WEBHOOKS_ALLOW_LOOPBACK (tests)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(settings.WEBHOOKS_ALLOW_LOOPBACK)
    return ip.is_global and not ip.is_multicast


def addresses(host: str, port: int) -> list[IP]:
    """The addresses of `host`: itself when it is one; else A and AAAA records from the
    resolver of settings.DNS_NAMESERVERS when set, or the system's (getaddrinfo)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    if settings.DNS_NAMESERVERS:
        return resolved_by_dns(host)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(_("The host name does not resolve.")) from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def resolved_by_dns(host: str) -> list[IP]:
    resolver = make_resolver()
    found: list[IP] = []
    for kind in ("A", "AAAA"):
        try:
            answer = resolver.resolve(host, kind, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
            continue
        except dns.exception.DNSException as error:
            raise Refused(_("The host name does not resolve.")) from error
        found += [ipaddress.ip_address(record.to_text()) for record in answer]
    if not found:
        raise Refused(_("The host name does not resolve."))
    return found


def check(url: str) -> Target:
    """The checked target of `url`, or Refused. Every address the name has must be allowed
    (one internal address among public ones is refused, not skipped)."""
    scheme, host, port, path = check_scheme(url)
    ips = addresses(host, port)
    if not ips or not all(allowed(ip) for ip in ips):
        raise Refused(_("The address points into a private network, which webhooks may not reach."))
    return Target(scheme=scheme, host=host, port=port, path=path, ip=str(ips[0]))
