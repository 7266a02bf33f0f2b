"""Client-side rate limiting of HubSpot calls, per token.

HubSpot's limits are per token and per rolling 10 seconds; keys here are token fingerprints
(see `bot.hubspot.redact.token_fingerprint`), never tokens. The Protocol stays small so a
Redis-backed limiter shared across workers can stand in.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry


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


# --- shared across processes: Redis --------------------------------------------------------------

redis_log = logging.getLogger("bot.redis")
T = TypeVar("T")

# Errors that mean "Redis is not there (or not answering)": serve from process memory instead.
REDIS_DOWN_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, asyncio.TimeoutError)


def redis_client(url: str) -> Redis:
    """An asyncio Redis client that fails fast (no silent retries) so a dead Redis costs little."""
    client: Redis = Redis.from_url(
        url,
        socket_connect_timeout=0.5,
        socket_timeout=1.0,
        retry=Retry(NoBackoff(), 0),
        retry_on_error=[],
        decode_responses=False,
    )
    return client


async def twice_on_stale_connection(call: Callable[[], Awaitable[T]]) -> T:
    """Run a Redis command; once more on a connection error, since a pooled connection left
    over from before a Redis restart fails once and is then replaced."""
    try:
        return await call()
    except (RedisConnectionError, ConnectionError):
        return await call()


class RedisOutage:
    """Whether Redis is usable now: one WARNING per outage (not one per call), a retry after
    `retry_seconds`, one INFO line when it is back."""

    def __init__(
        self,
        what: str,
        *,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._what = what
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._retry_at = 0.0
        self.down = False

    def usable(self) -> bool:
        return not self.down or self._clock() >= self._retry_at

    def failed(self, error: BaseException) -> None:
        self._retry_at = self._clock() + self._retry_seconds
        if not self.down:
            self.down = True
            redis_log.warning(
                "Redis is unreachable (%s); the %s falls back to this process and tries Redis "
                "again every %.0f s",
                type(error).__name__,
                self._what,
                self._retry_seconds,
            )

    def recovered(self) -> None:
        if self.down:
            self.down = False
            redis_log.info("Redis is reachable again; the %s is shared again", self._what)


# A sliding log of reservations: every call gets the earliest time at which at most `limit`
# calls fall in any window, is recorded at that (maybe future) time, and is told how long to
# wait. One round trip, first come first served, atomic across processes; Redis' own clock.
_RESERVE = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local at = now
if count > 0 then
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  at = math.max(at, tonumber(last[2]))
end
if count >= limit then
  local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  at = math.max(at, tonumber(oldest[2]) + window)
end
redis.call('ZADD', key, at, member)
redis.call('PEXPIRE', key, math.ceil((at - now + window) / 1000) + 1000)
return at - now
"""


class RedisRateLimiter:
    """At most `limit` calls per key in any sliding `window_seconds`, shared by every process
    using the same Redis and prefix. Keys are token fingerprints, never tokens.

    When Redis is unreachable (at start or mid-run) calls go through `fallback` (an in-process
    limiter with the same budget), with one warning, and Redis is tried again later.
    """

    def __init__(
        self,
        redis: Redis,
        limit: int,
        window_seconds: float,
        *,
        prefix: str = "bookbot:ratelimit:",
        fallback: RateLimiter | None = None,
        retry_seconds: float = 5.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        self._redis = redis
        self._limit = limit
        self._window_us = int(window_seconds * 1_000_000)
        self._prefix = prefix
        self._fallback = fallback or InMemoryRateLimiter(limit, window_seconds, sleep=sleep)
        self._sleep = sleep
        self._script = redis.register_script(_RESERVE)
        self.outage = RedisOutage("HubSpot rate limiter", retry_seconds=retry_seconds)

    async def acquire(self, key: str) -> float:
        if self.outage.usable():
            member = uuid.uuid4().hex
            try:
                wait_us = await twice_on_stale_connection(
                    lambda: self._script(
                        keys=[self._prefix + key], args=[self._limit, self._window_us, member]
                    )
                )
            except REDIS_DOWN_ERRORS as error:
                self.outage.failed(error)
            else:
                self.outage.recovered()
                wait = max(0, int(wait_us)) / 1_000_000
                if wait > 0:
                    await self._sleep(wait)
                return wait
        return await self._fallback.acquire(key)
