"""A real DNS server on 127.0.0.1 (dnslib), UDP and TCP on one free port, that the domain
checks are pointed at through settings.DNS_NAMESERVERS: the tests never ask the internet.

    def test_x(dns_server):
        dns_server.publish("_salesmarketing.acme.test", "salesmarketing-verification=...")

Names it was not told about answer NXDOMAIN; a name that exists without TXT records
answers NOERROR with no answer. UDP answers over 512 bytes come back truncated, so
dnspython retries over TCP, as it would against a real server.
"""

import socket
from collections.abc import Iterator
from contextlib import closing

import pytest
from dnslib import QTYPE, RCODE, RR, TXT, A, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

UDP_LIMIT = 512  # a server without EDNS: longer answers go by TCP


class Zone(BaseResolver):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.txt: dict[str, list[str]] = {}
        self.a: dict[str, list[str]] = {}  # A records (the webhooks' address checks)
        self.asked: list[tuple[str, str]] = []  # (name, "udp" or "tcp")
        self.servers: list[DNSServer] = []

    def add(self, name: str) -> None:
        """`name` and every name above it exist."""
        labels = name.lower().split(".")
        self.names |= {".".join(labels[i:]) for i in range(len(labels) - 1)}

    def publish(self, name: str, *values: str) -> None:
        self.add(name)
        self.txt.setdefault(name.lower(), []).extend(values)

    def address(self, name: str, *ips: str) -> None:
        """`name` has these IPv4 addresses (A records)."""
        self.add(name)
        self.names.add(name.lower())
        self.a.setdefault(name.lower(), []).extend(ips)

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        self.asked.append((name, handler.protocol))
        if name not in self.names:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.TXT:
            for value in self.txt.get(name, []):
                chunks = [value[i : i + 255] for i in range(0, len(value), 255)] or [""]
                reply.add_answer(RR(name, QTYPE.TXT, rdata=TXT(chunks), ttl=60))
        elif request.q.qtype == QTYPE.A:
            for ip in self.a.get(name, []):
                reply.add_answer(RR(name, QTYPE.A, rdata=A(ip), ttl=60))
        if handler.protocol == "udp" and len(reply.pack()) > UDP_LIMIT:
            truncated = request.reply()  # the question and the TC bit, as servers send
            truncated.header.tc = 1
            return truncated
        return reply


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1."""
    while True:
        with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
        return port


@pytest.fixture
def dns_server(settings) -> Iterator[Zone]:
    zone = Zone()
    port = free_port()
    servers = [
        DNSServer(
            zone, port=port, address="127.0.0.1", tcp=tcp, logger=DNSLogger(logf=lambda _text: None)
        )
        for tcp in (False, True)
    ]
    for server in servers:
        server.start_thread()
    zone.servers = servers
    settings.DNS_NAMESERVERS = [f"127.0.0.1:{port}"]
    settings.DNS_TIMEOUT = 2.0
    yield zone
    for server in servers:
        if server.isAlive():
            server.stop()


@pytest.fixture
def dns_down(settings) -> Iterator[int]:
    """A nameserver that never answers: a UDP port that is bound and never read."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as silent:
        silent.bind(("127.0.0.1", 0))
        settings.DNS_NAMESERVERS = [f"127.0.0.1:{silent.getsockname()[1]}"]
        settings.DNS_TIMEOUT = 0.5
        yield silent.getsockname()[1]
