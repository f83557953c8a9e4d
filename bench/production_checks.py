"""The checks of bench/production.sh, run against nginx and the two gunicorn instances.

Bounded: fixed counts, short timeouts; prints one line of figures per check.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

OWNER = "owner@rehearsal.test"
RIGHT = "the-right-passphrase-1"


def opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def get(client, url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with client.open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def log_in(client, base: str, password: str, **headers: str) -> str:
    _, page = get(client, base + "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        return "no answer"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": OWNER, "password": password}
    ).encode()
    request = urllib.request.Request(
        base + "/login/", data=data, headers={"Referer": base} | headers
    )
    try:
        # Password hashing takes a while on a busy machine: up to 30 s before "no answer".
        with client.open(request, timeout=30) as response:
            body = response.read().decode()
            return "logged in" if "/login/" not in response.url else body
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except OSError:
        return "no answer"


def limits_across_instances(
    base: str, app1: int, app1_pid: Path, logs: Path, guesses: int = 40
) -> None:
    client = opener()
    checked = throttled = unanswered = 0
    started = time.monotonic()
    for number in range(guesses):
        if number == guesses // 2:
            # A graceful reload replaces all 3 workers of one instance mid-attack.
            os.kill(int(app1_pid.read_text()), signal.SIGHUP)
            time.sleep(2)
        if number % 2:
            get(client, base + "/robots.txt")  # so that POSTs alternate between instances
        answer = log_in(client, base, f"wrong-guess-{number}")
        if "Please enter a correct email and password" in answer:
            checked += 1
        elif "Too many wrong passwords" in answer:
            throttled += 1
        elif answer == "no answer":
            unanswered += 1
    right = log_in(client, base, RIGHT)
    # The owner from another address: what nginx forwards for another client, sent to an
    # instance directly (nothing on 127.0.0.1 can reach nginx from another address).
    elsewhere = log_in(
        opener(), f"http://127.0.0.1:{app1}", RIGHT, **{"X-Forwarded-For": "198.51.100.7"}
    )
    per_instance = [
        sum("POST /login/" in line for line in path.read_text().splitlines())
        for path in sorted(logs.glob("app*.log"))
    ]
    print(
        f"limits: {guesses} wrong passwords for one account from one client through nginx, "
        f"spread over the instances {per_instance} POSTs, one instance's workers replaced "
        f"after {guesses // 2}: {checked} checked, {throttled} refused, "
        f"{unanswered} unanswered within 30 s "
        f"({time.monotonic() - started:.1f} s); the right password then: "
        f"{'refused (wait)' if 'Too many' in right else right[:40]}; "
        f"from another address: {elsewhere[:40]}"
    )


def slow_clients(host: str, port: int, count: int, seconds: float, stop: threading.Event):
    """Each client sends a request line, then one header byte per second, never finishing."""

    def one() -> None:
        try:
            with socket.create_connection((host, port), timeout=seconds + 5) as sock:
                sock.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                while not stop.wait(1):
                    sock.sendall(b"a")
        except OSError:
            pass

    threads = [threading.Thread(target=one, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def latencies(url: str, requests: int, timeout: float) -> tuple[list[float], int]:
    times, failures = [], 0
    for _ in range(requests):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                response.read()
            times.append(time.monotonic() - started)
        except OSError:
            failures += 1
    return times, failures


def slow_client_check(base: str, app1: int) -> None:
    proxy_port = int(base.rsplit(":", 1)[1])
    for label, port, url in (
        ("through nginx", proxy_port, base + "/login/"),
        ("straight to one gunicorn instance", app1, f"http://127.0.0.1:{app1}/login/"),
    ):
        stop = threading.Event()
        threads = slow_clients("127.0.0.1", port, 50, 20, stop)
        time.sleep(1)
        times, failures = latencies(url, 20, timeout=3)
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
        worst = f"{max(times) * 1000:.0f} ms" if times else "-"
        middle = f"{statistics.median(times) * 1000:.0f} ms" if times else "-"
        print(
            f"50 slow clients, {label}: 20 normal requests, median {middle}, worst {worst}, "
            f"{failures} gave no answer within 3 s"
        )
        time.sleep(2)


def no_tokens_in_logs(base: str, logs: Path) -> None:
    tokens = [secrets.token_urlsafe(24) for _ in range(3)]
    client = opener()
    for path in (f"/s/{tokens[0]}/", f"/s/join/{tokens[1]}/", f"/invitations/{tokens[2]}/"):
        get(client, base + path)
    time.sleep(1)
    files = [*logs.glob("app*.log"), *logs.glob("app*.err"), *logs.glob("app*.stderr")]
    files += [logs / "nginx" / name for name in ("access.log", "error.log", "error-redacted.log")]
    text = "".join(p.read_text() for p in files if p.exists())
    leaked = [t for t in tokens if t in text] + re.findall(r"/s/(?:join/)?[\w-]{32}", text)
    lines = len(text.splitlines())
    print(
        f"access and error logs (nginx, its redacted error log, every instance; {lines} lines):"
        f" {len(leaked)} tokens"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--app1", type=int, required=True)
    parser.add_argument("--app1-pid", type=Path, required=True)
    parser.add_argument("--logs", type=Path, required=True)
    args = parser.parse_args()
    limits_across_instances(args.proxy, args.app1, args.app1_pid, args.logs)
    slow_client_check(args.proxy, args.app1)
    no_tokens_in_logs(args.proxy, args.logs)


if __name__ == "__main__":
    main()
