"""nginx's error log, with tokens redacted: `python deploy/nginx/error_log.py SOCKET`.

nginx cannot filter what it writes to its error log, and a line about a request carries
the request line, the upstream URL and the Referer, so a personal link's token would land
in `docker logs` or a log shipper. common.conf sends those lines as syslog datagrams to a
Unix socket instead; this receiver binds that socket, removes the syslog header and writes
each line to stdout with the tokens replaced by the app's own rules
(survey.plumbing.logs.redact), one line per message. It needs only the standard library
and that module (no Django settings): compose runs it as `proxy-log` from the app image,
Kubernetes as a sidecar of the nginx pod, sharing the socket's directory.
"""

import os
import re
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from survey.plumbing.logs import redact  # noqa: E402

# "<PRI>Mmm dd hh:mm:ss nginx: " (nohostname), or with a host name before the tag.
SYSLOG_HEADER = re.compile(r"^<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:\S+ )?nginx: ")
# nginx cuts a message at about 2 KB, possibly inside a token, which the app's rules (whole
# 32-character tokens) would then miss: here any run of 8 or more token characters after a
# survey or invitation path goes too (/s/r/ and /s/start/ are shorter, so they stay).
CUT_TOKEN = re.compile(r"(/s/(?:join/)?|/invitations/)[A-Za-z0-9_-]{8,}")


def line(datagram: bytes) -> str:
    text = datagram.decode("utf-8", "replace").rstrip("\n")
    return CUT_TOKEN.sub(r"\1[token]", redact(SYSLOG_HEADER.sub("", text, count=1)))


def serve(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)  # a socket left by a receiver that was killed
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    # nginx's workers run as another user (nginx) than this process (app).
    os.chmod(path, 0o666)
    print(f"nginx error log receiver on {path}", file=sys.stderr, flush=True)
    while True:
        datagram = receiver.recv(65536)
        sys.stdout.write(line(datagram) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else "/var/run/nginx-log/error.sock")
