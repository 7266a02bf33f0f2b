"""Hostile clients against `bookbot run` (HTTP mode, a real process): while oversized, slow,
unsigned and long-text requests stream in, `/healthz` and a signed `/book` must keep their p99
under 100 ms. Also prints the server's RSS growth for a 50 MB body and the time to redact a
1 MB string.

    python bench/hostile.py [--seconds 10]

The Slack Web API is the built-in double (in this process); HubSpot is the built-in sandbox
(`--sandbox`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bot.devtools.slack_requests import EVENTS_PATH, signed_headers

BOT_TOKEN = "xoxb-1-2-hostilebench"
PERSON = "U0PERSON"
FORM = "application/x-www-form-urlencoded"
GOAL_MS = 100.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def slash(text: str, response_url: str) -> bytes:
    return urlencode(
        {
            "command": "/book",
            "text": text,
            "team_id": "T0BOOKER",
            "user_id": PERSON,
            "channel_id": "C0GENERAL",
            "trigger_id": f"trigger.{time.time_ns()}",
            "response_url": response_url,
        }
    ).encode()


def bogus_headers() -> dict[str, str]:
    return {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }


async def raw_post(port: int, size: int, *, rate: float | None = None, limit: int) -> None:
    """POST /slack/events announcing `size` bytes, sending at most `limit` of them (`rate`
    bytes a second if given) until the server answers or closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: b\r\nContent-Length: {size}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in bogus_headers().items()) + "\r\n"
    writer.write(head.encode())

    async def send() -> None:
        sent = 0
        chunk = b"x" * (1 if rate else 65536)
        with contextlib.suppress(ConnectionError):
            while sent < min(size, limit):
                writer.write(chunk)
                sent += len(chunk)
                await writer.drain()
                if rate:
                    await asyncio.sleep(1 / rate)

    sender = asyncio.ensure_future(send())
    try:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            await asyncio.wait_for(reader.read(), 30)
    finally:
        sender.cancel()
        writer.close()


async def hostile(port: int, secret: str, response_url: str, stop: asyncio.Event) -> dict[str, int]:
    counts = {"oversized": 0, "slow": 0, "unsigned": 0, "long text": 0}

    async def loop(name: str, make: object) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):
                await make()  # type: ignore[operator]
            counts[name] += 1

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        unsigned_body = b"command=/book&text=" + b"a" * 100_000
        long_text = slash("demo tomorrow 10am ana@acme.com " + "and then " * 900, response_url)

        async def unsigned() -> None:
            await http.post(EVENTS_PATH, content=unsigned_body, headers=bogus_headers())

        async def long() -> None:
            body = long_text
            headers = signed_headers(secret, body, content_type=FORM)
            await http.post(EVENTS_PATH, content=body, headers=headers)

        tasks = [
            asyncio.ensure_future(
                loop("oversized", lambda: raw_post(port, 50_000_000, limit=2_000_000))
            ),
            *(
                asyncio.ensure_future(
                    loop("slow", lambda: raw_post(port, 1000, rate=1, limit=1000))
                )
                for _ in range(10)
            ),
            asyncio.ensure_future(loop("unsigned", unsigned)),
            asyncio.ensure_future(loop("long text", long)),
        ]
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return counts


async def measure(
    port: int, secret: str, response_url: str, seconds: float
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"/healthz": [], "signed /book": []}
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            assert (await http.get("/healthz")).status_code == 200
            times["/healthz"].append((time.perf_counter() - started) * 1000)
            body = slash("demo tomorrow 10am", response_url)
            headers = signed_headers(secret, body, content_type=FORM)
            started = time.perf_counter()
            answer = await http.post(EVENTS_PATH, content=body, headers=headers)
            assert answer.status_code == 200, answer.status_code
            times["signed /book"].append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)
    return times


def p99(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[98]
        if len(values) > 1
        else values[0]
    )


def report(title: str, times: dict[str, list[float]]) -> bool:
    ok = True
    print(title)
    for name, values in times.items():
        worst = p99(values)
        ok = ok and worst < GOAL_MS
        print(
            f"  {name:<13} n={len(values):<4} p50 {statistics.median(values):6.1f} ms"
            f"   p99 {worst:6.1f} ms   max {max(values):6.1f} ms"
        )
    return ok


def redaction_ms() -> float:
    from bot.logging_setup import redact

    text = ("x" * 5000 + " ana.souza@acme.com ") * 50 + "y" * 1_000_000
    runs = []
    for _ in range(20):
        started = time.perf_counter()
        redact(text)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


async def main(seconds: float) -> int:
    from bot.devtools.slack_double import SlackDouble

    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    double.add_user(PERSON, tz="America/New_York", locale="en-US", name="Dana")
    secret = secrets.token_hex(16)
    port = free_port()
    folder = tempfile.mkdtemp(prefix="bookbot-hostile-")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HUBSPOT_"))},
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": double.base_url,
        "DATABASE_URL": f"sqlite:///{folder}/ledger.db",
        "BOOKBOT_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--sandbox", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ok = True
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
        response_url = double.response_url()
        await measure(port, secret, response_url, 2)  # warm up
        ok &= report("quiet", await measure(port, secret, response_url, seconds))
        # The attacker is a process of its own: its busy sending loop does not slow this one's
        # measurements, only the server can.
        attacker = subprocess.Popen(
            [sys.executable, __file__, "--attack", str(port), secret, response_url,
             str(seconds + 1)],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        await asyncio.sleep(0.5)
        under_attack = await measure(port, secret, response_url, seconds)
        counts, _ = attacker.communicate(timeout=60)
        ok &= report("under attack", under_attack)
        print(f"  hostile requests sent: {counts.strip()}")
        before = rss_kb(process.pid)
        await raw_post(port, 50_000_000, limit=50_000_000)
        after = rss_kb(process.pid)
        print(f"RSS growth for one 50 MB unsigned body: {(after - before) / 1024:.1f} MB")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        await double.stop()
    print(f"redact() of a 1 MB string: {redaction_ms():.2f} ms (median of 20)")
    print(f"goal p99 < {GOAL_MS:.0f} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


async def attack(port: int, secret: str, response_url: str, seconds: float) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    counts = await hostile(port, secret, response_url, stop)
    print(", ".join(f"{name} {count}" for name, count in counts.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--attack", nargs=4, metavar=("PORT", "SECRET", "URL", "SECONDS"))
    arguments = parser.parse_args()
    if arguments.attack:
        port_text, secret_text, url, duration = arguments.attack
        asyncio.run(attack(int(port_text), secret_text, url, float(duration)))
        sys.exit(0)
    sys.exit(asyncio.run(main(arguments.seconds)))
