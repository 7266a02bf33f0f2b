"""Per-call overhead of HubSpotClient over raw httpx, both against the in-process sandbox.

    python bench/hubspot_overhead.py [--n 500]

Calls alternate (client, raw, client, raw, ...) on the same sandbox so drift hits both alike.
The client's cost includes its limiter, retry bookkeeping, logging and pydantic parsing; the
raw call does the same HTTP request and json.loads only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx

from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.hubspot.client import SCHEDULER_PREFIX, HubSpotClient
from bot.hubspot.limiter import InMemoryRateLimiter

PINNED_NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BASE_URL = "http://sandbox.bench"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def run(n: int) -> None:
    app = create_sandbox_app(SandboxConfig(clock=lambda: PINNED_NOW, rate_limit=10**9))
    transport = httpx.ASGITransport(app=app)
    client = HubSpotClient(
        base_url=BASE_URL,
        access_token=None,
        transport=transport,
        limiter=InMemoryRateLimiter(10**9, 10.0),
    )
    raw = httpx.AsyncClient(base_url=BASE_URL, transport=transport)

    operations: dict[str, tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[object]]]]
    operations = {
        "list_meeting_links (1 page of 100)": (
            lambda: client.list_meeting_links(page_size=100),
            lambda: _raw_json(raw, "/meeting-links", {"limit": 100}),
        ),
        "get_booking_info(demo)": (
            lambda: client.get_booking_info("demo", timezone="America/New_York"),
            lambda: _raw_json(raw, "/meeting-links/book/demo", {"timezone": "America/New_York"}),
        ),
    }
    print(f"HubSpotClient vs raw httpx, in-process sandbox, N={n} each (ms)")
    print(
        f"{'operation':38} {'client p50':>10} {'raw p50':>8} {'Δ p50':>7} "
        f"{'client p99':>10} {'raw p99':>8} {'Δ p99':>7}"
    )
    for name, (with_client, with_raw) in operations.items():
        for _ in range(20):  # warm-up: imports, pydantic validators, sandbox caches
            await with_client()
            await with_raw()
        client_ms: list[float] = []
        raw_ms: list[float] = []
        for _ in range(n):
            client_ms.append(await _timed(with_client))
            raw_ms.append(await _timed(with_raw))
        c50, r50 = statistics.median(client_ms), statistics.median(raw_ms)
        c99, r99 = _percentile(client_ms, 0.99), _percentile(raw_ms, 0.99)
        print(
            f"{name:38} {c50:10.3f} {r50:8.3f} {c50 - r50:7.3f} "
            f"{c99:10.3f} {r99:8.3f} {c99 - r99:7.3f}"
        )
    await client.aclose()
    await raw.aclose()


async def _raw_json(raw: httpx.AsyncClient, path: str, params: dict[str, str | int]) -> object:
    response = await raw.get(SCHEDULER_PREFIX + path, params=params)
    response.raise_for_status()
    return json.loads(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    asyncio.run(run(parser.parse_args().n))


if __name__ == "__main__":
    main()
