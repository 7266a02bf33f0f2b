"""PostgreSQL and Redis for the tests: where they are, and what happens when they do not answer.

Tests that need one of them ask for the `postgres_url` / `redis_url` fixture (or a fixture built
on them). When the service does not answer, those tests are skipped with one line saying what
they need and how to start it; with BOOKBOT_TEST_REQUIRE_SERVICES=1 (set by `.ci/run`) they fail
instead, so CI always runs them.

Redis: the tests use database 15 (TEST_REDIS_URL overrides), each test under a key prefix of its
own that is deleted afterwards, so nothing is written where other programs keep their keys.
"""

from __future__ import annotations

import asyncio
import os
import socket
from functools import lru_cache
from typing import NoReturn

import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = "BOOKBOT_TEST_REQUIRE_SERVICES"

START_POSTGRES = (
    "start one: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust "
    "-e POSTGRES_DB=test postgres:16 (or set TEST_POSTGRES_URL)"
)
START_REDIS = "start one: docker run -d -p 6379:6379 redis:7 (or set TEST_REDIS_URL)"


def services_required() -> bool:
    return os.environ.get(REQUIRE_SERVICES, "").strip() not in ("", "0")


def unavailable(reason: str) -> NoReturn:
    """Skip the test with `reason` — or fail it when the services are required (CI)."""
    if services_required():
        pytest.fail(f"{reason} [{REQUIRE_SERVICES} is set, so this is a failure]", pytrace=False)
    pytest.skip(reason)


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@lru_cache(maxsize=1)
def postgres_problem() -> str | None:
    """None when PostgreSQL at POSTGRES_URL accepts a connection, else why not (asked once)."""
    import asyncpg

    async def answers() -> str | None:
        try:
            connection = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL), timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            return type(error).__name__
        await connection.close()
        return None

    return asyncio.run(answers())


@lru_cache(maxsize=1)
def redis_problem() -> str | None:
    """None when Redis at REDIS_URL answers PING, else why not (asked once)."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        client = Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except (RedisError, OSError, ValueError) as error:
        return type(error).__name__
    return None


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True) if "://" in url else url


def need_postgres() -> str:
    problem = postgres_problem()
    if problem is not None:
        unavailable(f"needs PostgreSQL at {_shown(POSTGRES_URL)} ({problem}); {START_POSTGRES}")
    return POSTGRES_URL


def need_redis() -> str:
    problem = redis_problem()
    if problem is not None:
        unavailable(f"needs Redis at {REDIS_URL} ({problem}); {START_REDIS}")
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def skip_summary(reports: list[object]) -> list[str]:
    """One line per distinct skip reason, with how many tests it skipped (most first)."""
    counts: dict[str, int] = {}
    for report in reports:
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2]).removeprefix("Skipped: ")
            counts[reason] = counts.get(reason, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return [f"skipped {count}: {reason}" for reason, count in ordered]
