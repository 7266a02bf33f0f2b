"""What Connect HubSpot costs per HubSpot call: a workspace's client (token from its connection)
beside the single-token client, both against the in-process sandbox, in the same run.

    python bench/hubspot_connections.py [--n 400] [--workspaces 5]

Calls alternate (shared, workspace, shared, workspace, ...) so drift hits both alike; workspaces
take turns. Also timed: a token refresh (database read, POST /oauth/2026-03/token, encrypted write),
forced by moving the clock past each token's refresh margin. SQLite ledger in a temp folder.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from bot.crypto import TokenCipher
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.hubspot.client import HubSpotClient
from bot.hubspot.connections import ConnectionStore, HubSpotAccounts, Workspace
from bot.hubspot.oauth import HubSpotOAuth, authorize_url
from bot.store import Store

BASE = "http://sandbox.bench"
REDIRECT = "http://booker.bench/hubspot/oauth/callback"
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


def _line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<34} n={len(samples):<5} p50={_percentile(samples, 0.5):7.3f} ms  "
        f"p99={_percentile(samples, 0.99):7.3f} ms  mean={statistics.fmean(samples):7.3f} ms"
    )


async def main(n: int, workspaces: int) -> None:
    clock = Clock()
    sandbox = create_sandbox_app(SandboxConfig(clock=clock, rate_limit=1_000_000))
    transport = httpx.ASGITransport(app=sandbox)
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(f"sqlite:///{Path(folder) / 'ledger.db'}")
        oauth = HubSpotOAuth(
            base_url=BASE, client_id="bench", client_secret="s", transport=transport
        )
        connections = ConnectionStore(
            store, TokenCipher.from_setting(TokenCipher.generate_key()), clock=clock
        )
        accounts = HubSpotAccounts(
            connections=connections, oauth=oauth, base_url=BASE, transport=transport, clock=clock
        )
        shared = HubSpotClient(base_url=BASE, access_token=None, transport=transport)
        teams = [f"T{index}" for index in range(workspaces)]
        async with httpx.AsyncClient(transport=transport) as browser:
            for team in teams:
                url = authorize_url(
                    f"{BASE}/oauth/authorize",
                    client_id="bench",
                    redirect_uri=REDIRECT,
                    scopes=("scheduler.meetings.meeting-link.read", "meetings-write"),
                    state="s",
                )
                answer = await browser.get(url + "&decision=allow&hub_id=new")
                code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
                tokens = await oauth.exchange_code(code, redirect_uri=REDIRECT)
                await connections.save(
                    Workspace.of(team),
                    tokens,
                    hub_id=None,
                    hub_domain=None,
                    scopes=(),
                    connected_by="U",
                )
        clients = [accounts.client(team) for team in teams]
        for client in [shared, *clients]:  # warm up: first token load, pools, parsing
            await client.get_booking_info("demo", timezone="UTC")

        shared_ms: list[float] = []
        workspace_ms: list[float] = []
        for index in range(n):
            client = clients[index % workspaces]
            shared_ms.append(await _timed(lambda: shared.get_booking_info("demo", timezone="UTC")))
            workspace_ms.append(
                await _timed(lambda c=client: c.get_booking_info("demo", timezone="UTC"))
            )

        refresh_ms: list[float] = []
        for _ in range(max(1, n // 40)):
            clock.now += timedelta(minutes=26)  # inside every token's refresh margin
            for client in clients:
                refresh_ms.append(
                    await _timed(lambda c=client: c.get_booking_info("demo", timezone="UTC"))
                )

        print(f"Connect HubSpot overhead, {n} calls, {workspaces} workspaces (GET booking info)")
        print(_line("single-token client", shared_ms))
        print(_line("workspace client (token cached)", workspace_ms))
        print(_line("workspace client, with a refresh", refresh_ms))
        ratio = _percentile(workspace_ms, 0.5) / _percentile(shared_ms, 0.5)
        print(f"p50 ratio workspace/single-token: {ratio:.2f}; refreshes: {accounts.refreshes}")
        await shared.aclose()
        await accounts.aclose()
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--workspaces", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.n, arguments.workspaces))
