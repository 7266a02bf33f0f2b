"""Fixtures for scale-out tests: the real Redis (tests/services.py: database 15 of
127.0.0.1:6379, a unique key prefix per test, deleted afterwards), a private redis-server that a
test may stop and start, and a port that refuses connections."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.services import REDIS_URL, free_port, need_redis, unavailable

__all__ = ["REDIS_URL", "free_port"]


@pytest.fixture
def refused_redis_url() -> str:
    """A Redis URL whose port nobody listens on: connections are refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own on the shared Redis; its keys are deleted afterwards."""
    url = need_redis()
    prefix = f"test:{secrets.token_hex(6)}:"
    yield prefix
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@dataclass
class PrivateRedis:
    """A redis-server of this test's own, so the test can take it down and bring it back."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            assert time.monotonic() < deadline, "private redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        unavailable("needs the redis-server program (apt-get install redis-server)")
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


class RecordedSleep:
    """asyncio.sleep that records what it was asked and returns at once (no real waiting)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)


# The running Booker of the end-to-end tests (uvicorn + Slack double + sandbox + SQLite).
from tests.e2e.conftest import booker  # noqa: E402, F401
