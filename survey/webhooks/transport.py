"""One POST to a checked target, connecting to the address that was checked (never resolving
the name again), with the name in the Host header and, over https, for SNI and the
certificate check. No redirects are followed: a 3xx is a failure like any other."""

import http.client
import socket
import ssl

from django.conf import settings

from survey.webhooks.safety import Target


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.ip = target.ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        # The system's CAs; WEBHOOKS_CA_FILE adds one (the tests' own certificate authority).
        context = ssl.create_default_context(cafile=settings.WEBHOOKS_CA_FILE or None)
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.ip = target.ip

    def connect(self) -> None:
        raw = socket.create_connection((self.ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


MAX_READ = 4096  # of the receiver's answer: only its status matters


def post(target: Target, body: bytes, headers: dict[str, str]) -> int:
    """The receiver's status code; OSError (and http.client's errors) when it cannot be reached."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = kind(target, timeout=settings.WEBHOOKS_TIMEOUT)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "sales-marketing-alignment-webhooks/1",
                **headers,
            },
        )
        response = connection.getresponse()
        response.read(MAX_READ)
        return response.status
    finally:
        connection.close()
