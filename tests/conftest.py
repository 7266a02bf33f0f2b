"""Shared fixtures: a configurable running Booker for the fault and security suites.

`start_booker(...)` builds the same thing as tests/e2e's `booker` fixture (the real Bolt app
under uvicorn on a socket, the Slack double over HTTP, the sandbox, a real ledger) but lets a test
choose the database (SQLite file or a fresh PostgreSQL schema), serve the sandbox over a real
socket (so connection refused and read timeouts are real), configure the sandbox, and pass extra
settings. Nothing of Booker's own code is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from bot.config import Settings
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import build_services
from bot.store import BookingRecord, bookings
from tests.e2e.conftest import BOT_TOKEN, CHANNEL, NOW, PERSON, Booker
from tests.services import REDIS_URL, need_redis, skip_summary
from tests.store.conftest import fresh_postgres_url, postgres_url

__all__ = [
    "BOT_TOKEN",
    "CHANNEL",
    "NOW",
    "PERSON",
    "FaultBooker",
    "closed_port",
    "fresh_postgres_url",
    "postgres_url",
    "start_booker",
]

HUBSPOT_TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
APP_TOKEN = "xapp-1-A0BOOKER-1234567890-abcdefabcdef"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say once per reason why tests were skipped (e.g. PostgreSQL not running, how to start it)."""
    for line in skip_summary(terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(line)


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class ShortReadTimeout(httpx.AsyncBaseTransport):
    """httpx's real network transport with the read timeout shortened (HubSpot's is 10 s), so a
    read timeout on a real socket takes a second in a test instead of ten."""

    def __init__(self, read_seconds: float) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._read = read_seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = dict(request.extensions.get("timeout") or {})
        timeout["read"] = self._read
        request.extensions["timeout"] = timeout
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _serve(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            # Leave logging alone: uvicorn's records reach the root logger (and caplog).
            log_config=None,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, port


async def _stop(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await task


@dataclass
class FaultBooker(Booker):
    """A Booker that also knows its database and can stop its HubSpot stand-in."""

    database_url: str = ""
    sandbox_app: Any = None
    sandbox_port: int | None = None
    _sandbox_server: tuple[uvicorn.Server, asyncio.Task[None]] | None = None

    def __repr__(self) -> str:  # hypothesis prints fixtures in falsifying examples
        return f"FaultBooker(database_url={self.database_url!r})"

    async def ledger(self) -> list[BookingRecord]:
        """Every row of the bookings ledger, oldest first."""
        from bot.store import _record_from_row

        engine = self.services.store._engine
        async with engine.connect() as connection:
            rows = (await connection.execute(bookings.select().order_by(bookings.c.id))).all()
        return [_record_from_row(row) for row in rows]

    async def statuses(self) -> list[str]:
        return [record.status.value for record in await self.ledger()]

    async def stop_hubspot(self) -> None:
        """HubSpot's host stops answering: its port is closed (connection refused)."""
        assert self._sandbox_server is not None, "start_booker(hubspot='socket') needed"
        await _stop(*self._sandbox_server)
        self._sandbox_server = None

    def text(self, key: str, locale: str = "en-US", **params: object) -> str:
        return self.services.catalog.for_locale(locale).t(key, **params)


@contextlib.asynccontextmanager
async def start_booker(
    tmp_path: Path,
    *,
    database_url: str | None = None,
    sandbox: SandboxConfig | None = None,
    hubspot: str = "asgi",
    hubspot_token: str | None = None,
    hubspot_base_url: str | None = None,
    read_timeout: float = 1.0,
    settings: Mapping[str, Any] | None = None,
    locale: str = "en-US",
    tz: str = "America/New_York",
) -> AsyncIterator[FaultBooker]:
    """A running Booker.

    hubspot="asgi": the sandbox in-process (as tests/e2e); "socket": the sandbox under uvicorn
    on its own port, reached over real TCP with a `read_timeout`-second read timeout;
    "url": nothing started, HubSpot is `hubspot_base_url` (e.g. a closed port).
    """
    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    double.add_user(PERSON, tz=tz, locale=locale, name="Dana")
    secret = secrets.token_hex(16)
    config = sandbox or SandboxConfig(clock=lambda: NOW)
    sandbox_app = create_sandbox_app(config)
    transport: httpx.AsyncBaseTransport
    sandbox_server: tuple[uvicorn.Server, asyncio.Task[None]] | None = None
    sandbox_port: int | None = None
    if hubspot == "asgi":
        base_url = "http://hubspot.sandbox.test"
        transport = httpx.ASGITransport(app=sandbox_app)
    elif hubspot == "socket":
        server, task, sandbox_port = await _serve(sandbox_app)
        sandbox_server = (server, task)
        base_url = f"http://127.0.0.1:{sandbox_port}"
        transport = ShortReadTimeout(read_timeout)
    elif hubspot == "url":
        assert hubspot_base_url is not None
        base_url = hubspot_base_url
        transport = ShortReadTimeout(read_timeout)
    else:
        raise ValueError(f"hubspot must be asgi, socket or url, not {hubspot!r}")
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": double.base_url,
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'ledger.db'}",
        "HUBSPOT_BASE_URL": base_url,
        # Tests change a person's Slack language or zone between requests.
        "BOOKBOT_PROFILE_TTL_SECONDS": 0,
    }
    token = hubspot_token or config.access_token
    if token:
        values["HUBSPOT_ACCESS_TOKEN"] = token
    values.update(settings or {})
    app_settings = Settings(**values)
    services = await build_services(app_settings, hubspot_transport=transport, clock=lambda: NOW)
    server, task, port = await _serve(asgi_app_for(app_settings, services))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            yield FaultBooker(
                slack=SlackRequests(http, secret, user_id=PERSON, channel_id=CHANNEL),
                double=double,
                sandbox=sandbox_app.state.sandbox,
                services=services,
                http=http,
                secret=secret,
                database_url=values["DATABASE_URL"],
                sandbox_app=sandbox_app,
                sandbox_port=sandbox_port,
                _sandbox_server=sandbox_server,
            )
    finally:
        await _stop(server, task)
        if sandbox_server is not None:
            await _stop(*sandbox_server)
        await services.aclose()
        await transport.aclose()
        await double.stop()


@pytest.fixture
async def redis_test_prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own on the tests' Redis (tests/services.py), deleted after."""
    from redis.asyncio import Redis

    url = need_redis()
    prefix = f"bookbot-test-{secrets.token_hex(4)}:"
    yield prefix
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(params=["sqlite", "postgresql+redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """start_booker arguments for one process on SQLite, and for the scaled-out setup: a fresh
    PostgreSQL schema and the tests' Redis (under a key prefix of this test's own)."""
    if request.param == "sqlite":
        return {"database_url": f"sqlite:///{tmp_path / 'ledger.db'}"}
    url: str = request.getfixturevalue("fresh_postgres_url")
    prefix: str = request.getfixturevalue("redis_test_prefix")
    return {
        "database_url": url,
        "settings": {"REDIS_URL": REDIS_URL, "BOOKBOT_REDIS_PREFIX": prefix},
    }


async def ledger_statuses(url: str) -> list[str]:
    """The status of every row in the ledger at `url`, read through a connection of its own."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store import resolve_database_url

    target = resolve_database_url(url)
    engine = create_async_engine(target.url, connect_args=target.connect_args)
    try:
        query = sa.select(bookings.c.status).order_by(bookings.c.id)
        async with engine.connect() as connection:
            return [str(status) for status in (await connection.execute(query)).scalars()]
    finally:
        await engine.dispose()
