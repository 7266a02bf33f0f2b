"""Client-side rate limiting of HubSpot calls, per token.

HubSpot's limits are per token and per rolling 10 seconds; keys here are token fingerprints
(see `bot.hubspot.redact.token_fingerprint`), never tokens. The Protocol stays small so a
Redis-backed limiter shared across workers can stand in.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol


class RateLimiter(Protocol):
    async def acquire(self, key: str) -> float:
        """Wait until a call under `key` is allowed, take the slot; return seconds waited."""
        ...


class InMemoryRateLimiter:
    """At most `limit` calls per key in any sliding window of `window_seconds` (one process)."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._sleep = sleep
        self._calls: dict[str, deque[float]] = {}

    async def acquire(self, key: str) -> float:
        waited = 0.0
        while True:
            now = self._clock()
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - self._window:
                calls.popleft()
            if len(calls) < self._limit:
                calls.append(now)
                return waited
            wait = calls[0] + self._window - now
            await self._sleep(wait)
            waited += wait
