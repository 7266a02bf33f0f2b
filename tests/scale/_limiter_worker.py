"""One process taking `calls` slots from the Redis limiter; prints each call's wait, one a line."""

from __future__ import annotations

import asyncio
import sys

from bot.hubspot.limiter import RedisRateLimiter, redis_client


async def main(url: str, prefix: str, limit: int, window: float, calls: int) -> None:
    async def no_sleep(_: float) -> None:
        return None

    redis = redis_client(url)
    limiter = RedisRateLimiter(redis, limit, window, prefix=prefix, sleep=no_sleep)
    for _ in range(calls):
        print(await limiter.acquire("fingerprint"), flush=True)
    await redis.aclose()


if __name__ == "__main__":
    url, prefix, limit, window, calls = sys.argv[1:6]
    asyncio.run(main(url, prefix, int(limit), float(window), int(calls)))
