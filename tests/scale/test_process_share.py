"""Without a shared count (no REDIS_URL, or Redis unreachable), N processes spending one HubSpot
token each keep 1/N of its budget, so together they still stay within HubSpot's limit."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.hubspot.limiter import redis_client
from bot.services import hubspot_limiter
from tests.hubspot.test_limiter import FakeClock
from tests.scale.conftest import REDIS_URL

LIMIT = 10


def _settings(processes: int, **extra: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        HUBSPOT_RATE_LIMIT=str(LIMIT),
        HUBSPOT_RATE_WINDOW_SECONDS="60",
        BOOKBOT_PROCESSES=str(processes),
        **extra,
    )


async def _calls_before_waiting(limiter: object, clock: FakeClock) -> int:
    calls = 0
    while not clock.sleeps:
        await limiter.acquire("token-fp")  # type: ignore[attr-defined]
        calls += 1
        assert calls <= LIMIT + 1
    return calls - 1


@pytest.mark.parametrize(("processes", "share"), [(1, 10), (2, 5), (4, 2), (20, 1)])
async def test_without_redis_each_process_keeps_its_share(processes: int, share: int) -> None:
    clock = FakeClock()
    limiter = hubspot_limiter(_settings(processes), None, clock=clock, sleep=clock.sleep)
    assert await _calls_before_waiting(limiter, clock) == share


async def test_with_redis_unreachable_each_process_keeps_its_share(refused_redis_url: str) -> None:
    clock = FakeClock()
    settings = _settings(4, REDIS_URL=refused_redis_url)
    limiter = hubspot_limiter(
        settings, redis_client(refused_redis_url), clock=clock, sleep=clock.sleep
    )
    assert await _calls_before_waiting(limiter, clock) == 2


async def test_with_redis_the_processes_share_the_whole_budget(redis_prefix: str) -> None:
    clock = FakeClock()
    settings = _settings(4, REDIS_URL=REDIS_URL, BOOKBOT_REDIS_PREFIX=redis_prefix)
    limiter = hubspot_limiter(settings, redis_client(REDIS_URL), clock=clock, sleep=clock.sleep)
    assert await _calls_before_waiting(limiter, clock) == LIMIT
