"""The client-side limiter keeps each token under HubSpot's rolling window."""

from __future__ import annotations

import asyncio

import pytest

from bot.hubspot.limiter import InMemoryRateLimiter, RateLimiter


class FakeClock:
    """Time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _limiter(clock: FakeClock, limit: int = 3, window: float = 10.0) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(limit, window, clock=clock, sleep=clock.sleep)


async def test_calls_within_the_limit_do_not_wait() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    assert [await limiter.acquire("t") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert clock.sleeps == []


async def test_the_call_over_the_limit_waits_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    await limiter.acquire("t")
    clock.now += 4
    await limiter.acquire("t")
    await limiter.acquire("t")
    waited = await limiter.acquire("t")
    assert waited == pytest.approx(6.0)  # the first call was 4 s ago; the window is 10 s
    assert clock.now == pytest.approx(1010.0)
    # the next one waits for the second call (at 1004) to leave the window
    assert await limiter.acquire("t") == pytest.approx(4.0)


async def test_the_window_slides_rather_than_resets() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=2, window=10.0)
    await limiter.acquire("t")  # 1000
    clock.now = 1009.0
    await limiter.acquire("t")  # 1009
    clock.now = 1010.5  # the first left the window, the second has not
    assert await limiter.acquire("t") == 0.0
    assert await limiter.acquire("t") == pytest.approx(8.5)  # until 1019


async def test_keys_are_limited_independently() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=1)
    assert await limiter.acquire("token-a") == 0.0
    assert await limiter.acquire("token-b") == 0.0
    assert await limiter.acquire("token-a") == pytest.approx(10.0)


async def test_concurrent_callers_never_exceed_the_limit() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, limit=5, window=10.0)
    granted_at: list[float] = []

    async def call() -> None:
        await limiter.acquire("t")
        granted_at.append(clock.now)

    await asyncio.gather(*(call() for _ in range(23)))
    assert len(granted_at) == 23
    for moment in granted_at:
        in_window = [t for t in granted_at if moment - 10.0 < t <= moment]
        assert len(in_window) <= 5


def test_it_satisfies_the_protocol_and_refuses_nonsense() -> None:
    limiter: RateLimiter = InMemoryRateLimiter(1, 1.0)
    assert limiter is not None
    with pytest.raises(ValueError):
        InMemoryRateLimiter(0, 1.0)
    with pytest.raises(ValueError):
        InMemoryRateLimiter(1, 0)
