"""What OAuth mode costs per request: `/book` ack latency, single-token vs OAuth, same run.

In OAuth mode every request first finds its workspace's installation in the database and
decrypts the bot token (Bolt's authorize; auth.test once per token, cached). This prints p50/p99
of the `/book` ack for a single-token Booker and for an OAuth Booker with several installed
workspaces (requests spread over them), measured in alternating blocks so both see the same
machine, plus the time of a whole "Add to Slack" round trip. Usage:

    python bench/oauth_overhead.py [--requests 300] [--workspaces 5] [--interval-ms 20]

Both apps, the Slack double and the HubSpot sandbox share this process and its event loop (the
client too), so absolute figures include their work; the ratio is the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import re
import secrets
import socket
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from bot.config import Settings
from bot.crypto import TokenCipher
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import build_services

BOT_TOKEN = "xoxb-bench-single-token"
CLIENT_ID, CLIENT_SECRET = "1.2", "bench-client-secret"
PERSON = "U0PERSON"
BLOCK = 25


@dataclass
class App:
    name: str
    http: httpx.AsyncClient
    secret: str
    teams: list[str]


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def serve(settings: Settings, sock: socket.socket) -> AsyncIterator[None]:
    services = await build_services(
        settings, hubspot_transport=httpx.ASGITransport(app=create_sandbox_app(SandboxConfig()))
    )
    server = uvicorn.Server(
        uvicorn.Config(asgi_app_for(settings, services), log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await services.aclose()


async def install(http: httpx.AsyncClient, team: str) -> float:
    """One "Add to Slack" round trip as a browser makes it; seconds."""
    started = time.perf_counter()
    page = await http.get("/slack/install", params={"team": team})
    link = html.unescape(re.search(r'class="button" href="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    async with httpx.AsyncClient() as browser:
        redirect = (await browser.get(link)).headers["location"]
    done = await http.get(redirect, headers={"Cookie": cookie})
    assert done.status_code == 200 and "installed" in done.text, done.text
    return time.perf_counter() - started


async def measure(app: App, count: int, interval: float, offset: int) -> list[float]:
    timings = []
    for index in range(count):
        team = app.teams[(offset + index) % len(app.teams)]
        slack = SlackRequests(app.http, app.secret, team_id=team, user_id=PERSON)
        started = time.perf_counter()
        answer = await slack.slash_command("")
        timings.append(time.perf_counter() - started)
        assert answer.status_code == 200
        await asyncio.sleep(interval)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main(requests: int, workspaces: int, interval_ms: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with SlackDouble(tokens=[BOT_TOKEN]) as double:
            double.oauth.register(CLIENT_ID, CLIENT_SECRET)
            double.add_user(PERSON)
            origin = double.base_url.removesuffix("/api/")
            single_sock, oauth_sock = _socket(), _socket()
            oauth_url = f"http://127.0.0.1:{oauth_sock.getsockname()[1]}"
            secret = secrets.token_hex(16)
            common = {
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": double.base_url,
                "HUBSPOT_BASE_URL": "http://hubspot.sandbox.test",
            }
            single = Settings(
                _env_file=None,  # type: ignore[call-arg]
                SLACK_BOT_TOKEN=BOT_TOKEN,
                DATABASE_URL=f"sqlite:///{Path(folder) / 'single.db'}",
                **common,
            )
            oauth = Settings(
                _env_file=None,  # type: ignore[call-arg]
                SLACK_CLIENT_ID=CLIENT_ID,
                SLACK_CLIENT_SECRET=CLIENT_SECRET,
                SLACK_AUTHORIZE_URL=f"{origin}/oauth/v2/authorize",
                BOOKBOT_ENCRYPTION_KEY=TokenCipher.generate_key(),
                BOOKBOT_PUBLIC_URL=oauth_url,
                DATABASE_URL=f"sqlite:///{Path(folder) / 'oauth.db'}",
                **common,
            )
            async with (
                serve(single, single_sock),
                serve(oauth, oauth_sock),
                httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{single_sock.getsockname()[1]}", timeout=30
                ) as single_http,
                httpx.AsyncClient(base_url=oauth_url, timeout=30) as oauth_http,
            ):
                teams = [f"T0BENCH{index}" for index in range(workspaces)]
                installs = [await install(oauth_http, team) for team in teams]
                apps = [
                    App("single token", single_http, secret, ["T0BOOKER"]),
                    App(f"OAuth ({workspaces} workspaces)", oauth_http, secret, teams),
                ]
                for app in apps:  # warm up: first requests pay one-off costs (auth.test)
                    await measure(app, 2 * len(app.teams), 0, 0)
                results: dict[str, list[float]] = {app.name: [] for app in apps}
                for block in range(0, requests, BLOCK):
                    for app in apps:
                        size = min(BLOCK, requests - block)
                        results[app.name] += await measure(app, size, interval_ms / 1000, block)
                await asyncio.sleep(0.5)  # let the work after the last acks finish

    print(f"/book ack latency, {requests} requests per app, {interval_ms:g} ms apart")
    for name, timings in results.items():
        print(
            f"  {name:24s} p50 {statistics.median(timings) * 1000:6.1f} ms"
            f"   p99 {percentile(timings, 0.99) * 1000:6.1f} ms"
        )
    single_p50, oauth_p50 = (statistics.median(t) for t in results.values())
    single_p99, oauth_p99 = (percentile(t, 0.99) for t in results.values())
    print(
        f"  ratio OAuth/single       p50 {oauth_p50 / single_p50:.2f}"
        f"   p99 {oauth_p99 / single_p99:.2f}"
    )
    print(
        f"Add to Slack round trip (install page, authorize, redirect, oauth.v2.access, saved): "
        f"median {statistics.median(installs) * 1000:.0f} ms over {len(installs)} installs"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workspaces", type=int, default=5)
    parser.add_argument("--interval-ms", type=float, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.workspaces, arguments.interval_ms))
