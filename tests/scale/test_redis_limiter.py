"""The Redis limiter keeps every process under one HubSpot budget per token, and keeps serving
(from process memory, with one warning) when Redis is not there."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.hubspot.client import HubSpotClient
from bot.hubspot.limiter import InMemoryRateLimiter, RateLimiter, RedisRateLimiter, redis_client
from bot.hubspot.redact import token_fingerprint
from tests.scale.conftest import REDIS_URL, PrivateRedis, RecordedSleep

WORKER = Path(__file__).with_name("_limiter_worker.py")


class FakeClock:
    """Process time for the in-process fallback that moves only when it sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _limiter(
    url: str, prefix: str, sleep: RecordedSleep, *, limit: int = 3, window: float = 60.0
) -> RedisRateLimiter:
    clock = FakeClock()
    return RedisRateLimiter(
        redis_client(url),
        limit,
        window,
        prefix=prefix,
        sleep=sleep,
        retry_seconds=0.0,
        fallback=InMemoryRateLimiter(limit, window, clock=clock, sleep=clock.sleep),
    )


async def test_it_is_a_rate_limiter_that_waits_once_the_budget_is_spent(redis_prefix: str) -> None:
    sleep = RecordedSleep()
    limiter: RateLimiter = _limiter(REDIS_URL, redis_prefix, sleep)
    waits = [await limiter.acquire("fp") for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    # the fourth call waits until the first leaves the 60-second window
    assert 59.0 < waits[3] <= 60.0
    assert sleep.sleeps == [waits[3]]


async def test_callers_queue_in_turn_rather_than_all_at_the_same_instant(redis_prefix: str) -> None:
    limiter = _limiter(REDIS_URL, redis_prefix, RecordedSleep(), limit=2, window=60.0)
    waits = [await limiter.acquire("fp") for _ in range(6)]
    assert waits[:2] == [0.0, 0.0]
    # calls 3-4 go one window after calls 1-2, calls 5-6 one window after that
    assert all(59.0 < wait <= 60.0 for wait in waits[2:4])
    assert all(119.0 < wait <= 120.0 for wait in waits[4:6])


async def test_two_limiters_share_one_budget(redis_prefix: str) -> None:
    first = _limiter(REDIS_URL, redis_prefix, RecordedSleep(), limit=4)
    second = _limiter(REDIS_URL, redis_prefix, RecordedSleep(), limit=4)
    assert [await first.acquire("fp") for _ in range(2)] == [0.0, 0.0]
    assert [await second.acquire("fp") for _ in range(2)] == [0.0, 0.0]
    assert await first.acquire("fp") > 59.0
    assert await second.acquire("fp") > 59.0


async def test_each_token_has_its_own_budget(redis_prefix: str) -> None:
    limiter = _limiter(REDIS_URL, redis_prefix, RecordedSleep(), limit=1)
    assert await limiter.acquire(token_fingerprint("pat-na1-aaaa")) == 0.0
    assert await limiter.acquire(token_fingerprint("pat-na1-bbbb")) == 0.0
    assert await limiter.acquire(token_fingerprint("pat-na1-aaaa")) > 59.0


async def test_redis_keys_carry_the_token_fingerprint_never_the_token(redis_prefix: str) -> None:
    token = "pat-na1-11111111-2222-3333-4444-555555555555"
    limiter = _limiter(REDIS_URL, redis_prefix, RecordedSleep())
    async with HubSpotClient(
        base_url="http://127.0.0.1:9", access_token=token, limiter=limiter
    ) as client:
        await limiter.acquire(client._limiter_key)
    redis = redis_client(REDIS_URL)
    keys = [key.decode() async for key in redis.scan_iter(match=redis_prefix + "*")]
    await redis.aclose()
    assert keys == [redis_prefix + token_fingerprint(token)]
    assert token not in keys[0]


async def test_two_processes_share_one_budget(redis_prefix: str) -> None:
    command = [sys.executable, str(WORKER), REDIS_URL, redis_prefix, "6", "60", "5"]
    runs = [
        await asyncio.create_subprocess_exec(
            *command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await run.communicate() for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
    waits = [float(line) for out, _ in outputs for line in out.decode().split()]
    assert len(waits) == 10
    # 10 calls against a budget of 6 per minute: exactly 6 go at once, 4 wait about a minute
    assert sum(1 for wait in waits if wait == 0.0) == 6
    assert sorted(waits)[6:] == pytest.approx([60.0] * 4, abs=1.5)


async def test_redis_refusing_connections_falls_back_with_one_warning(
    refused_redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = _limiter(refused_redis_url, "x:", RecordedSleep(), limit=2)
    with caplog.at_level(logging.WARNING, logger="bot.redis"):
        waits = [await limiter.acquire("fp") for _ in range(3)]
    # still limited: by this process alone
    assert waits[:2] == [0.0, 0.0]
    assert waits[2] > 59.0
    warnings = [r for r in caplog.records if r.name == "bot.redis" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "falls back" in warnings[0].getMessage()


async def test_redis_lost_mid_run_falls_back_then_is_shared_again(
    private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    first = _limiter(private_redis.url, "mid:", RecordedSleep(), limit=2)
    second = _limiter(private_redis.url, "mid:", RecordedSleep(), limit=2)
    assert await first.acquire("fp") == 0.0
    assert await second.acquire("fp") == 0.0  # the shared budget of 2 is spent

    private_redis.stop()
    with caplog.at_level(logging.INFO, logger="bot.redis"):
        # each process keeps serving on its own budget
        assert [await first.acquire("fp") for _ in range(2)] == [0.0, 0.0]
        assert await first.acquire("fp") > 59.0
        assert first.outage.down
        private_redis.start()
        # Redis is back (empty): the two share one budget of 2 again
        assert await first.acquire("fp") == 0.0
        assert await second.acquire("fp") == 0.0
        assert await second.acquire("fp") > 59.0
    warnings = [r for r in caplog.records if r.name == "bot.redis" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert any("reachable again" in r.getMessage() for r in caplog.records)
