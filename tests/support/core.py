"""Booker's core without Slack or HTTP servers: BookingService and BookingFlow on the real
sandbox (in-process through httpx's ASGI transport), a real SQLite ledger and a fake clock.

    async with booking_core(tmp_path) as core:
        outcome = await core.booking.book(core.submission(start))

Nothing of Booker's own code is replaced; only time is: `core.clock` is the "now" of Booker, of
its ledger and of the sandbox, and moves only when a test moves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.booking import BookingService, Submission
from bot.devtools.sandbox import Fault, SandboxConfig, SandboxState, create_sandbox_app
from bot.flow import BookingFlow, RequestMeta
from bot.hubspot.client import HubSpotClient, RetryPolicy
from bot.hubspot.models import TimeSlot
from bot.i18n import Catalog
from bot.meeting_pages import PageDirectory
from bot.store import Store
from bot.timeparse import TimeParser

# Wednesday 2026-12-02, 14:00 UTC (09:00 in New York): the rest of the week is bookable.
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
TEAM = "T0CORE"
PERSON = "U0CORE"
CHANNEL = "C0CORE"
ZONE = "America/New_York"
SANDBOX_TOKEN = "pat-core-sandbox-token-0123456789"
LANGUAGES = ("en", "pt", "es")


class FakeClock:
    """A wall clock that stands still until `advance` moves it."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class ReadTimeoutTransport(httpx.AsyncBaseTransport):
    """The ASGI transport with a read timeout, as a socket has: an answer that takes longer
    than `read_seconds` raises httpx.ReadTimeout after the request was handed over (the
    sandbox has received it and may have acted on it)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, read_seconds: float) -> None:
        self._inner = inner
        self._read = read_seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await asyncio.wait_for(self._inner.handle_async_request(request), self._read)
        except TimeoutError:
            raise httpx.ReadTimeout("read timed out", request=request) from None

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Core:
    booking: BookingService
    flow: BookingFlow
    pages: PageDirectory
    store: Store
    hubspot: HubSpotClient
    sandbox: SandboxState
    clock: FakeClock
    catalog: Catalog
    retry_sleeps: list[float] = field(default_factory=list)

    def meta(self, *, locale: str = "en-US", tz: str = ZONE) -> RequestMeta:
        return RequestMeta(
            team_id=TEAM, user_id=PERSON, channel_id=CHANNEL, thread_ts=None, tz=tz, locale=locale
        )

    def arm(self, *faults: Fault) -> None:
        """The sandbox plays these faults on its next matching requests."""
        for fault in faults:
            self.sandbox.inject(fault)

    def book_calls(self) -> int:
        return self.sandbox.book_calls

    async def free_slots(self, slug: str = "demo", minutes: int = 30) -> list[TimeSlot]:
        self.pages.forget_availability(slug)
        return await self.booking.free_slots(
            slug, tz=ZONE, duration_minutes=minutes, around=self.clock()
        )

    def submission(
        self,
        start: datetime,
        *,
        key: str = "V0VIEW:first",
        slug: str = "demo",
        minutes: int = 30,
        email: str = "ana.lima@example.com",
        **fields: Any,
    ) -> Submission:
        values: dict[str, Any] = {
            "key": key,
            "team_id": TEAM,
            "user_id": PERSON,
            "channel_id": CHANNEL,
            "thread_ts": None,
            "slug": slug,
            "page_name": "Product Demo",
            "start": start,
            "duration_minutes": minutes,
            "timezone": ZONE,
            "locale": "en-US",
            "guest_email": email,
            "guest_first_name": "Ana",
            "guest_last_name": "Lima",
        }
        values.update(fields)
        return Submission(**values)


@contextlib.asynccontextmanager
async def booking_core(
    tmp_path: Path, *, read_timeout: float | None = None, **sandbox_fields: Any
) -> AsyncIterator[Core]:
    """BookingService and BookingFlow as bot/services.py wires them, on the in-process sandbox
    (configured by `sandbox_fields`) and a fresh SQLite ledger in `tmp_path`. With
    `read_timeout`, HubSpot answers slower than that many seconds time out."""
    clock = FakeClock()
    sandbox_fields.setdefault("access_token", SANDBOX_TOKEN)
    sandbox_app = create_sandbox_app(SandboxConfig(clock=clock, **sandbox_fields))
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox_app)
    if read_timeout is not None:
        transport = ReadTimeoutTransport(transport, read_timeout)
    retry_sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:  # retries happen at once, and are counted
        retry_sleeps.append(seconds)

    hubspot = HubSpotClient(
        base_url="https://api.hubapi.com",
        access_token=sandbox_fields["access_token"],
        transport=transport,
        retry=RetryPolicy(),
        sleep=no_wait,
        rng=random.Random(1),
    )
    store = await Store.open(f"sqlite:///{tmp_path / 'ledger.db'}", clock=clock)
    pages = PageDirectory(hubspot)
    booking = BookingService(
        hubspot, pages, store, TimeParser(LANGUAGES), languages=LANGUAGES, clock=clock
    )
    catalog = Catalog.load()
    flow = BookingFlow(booking, pages, store, catalog)
    try:
        yield Core(
            booking=booking,
            flow=flow,
            pages=pages,
            store=store,
            hubspot=hubspot,
            sandbox=sandbox_app.state.sandbox,
            clock=clock,
            catalog=catalog,
            retry_sleeps=retry_sleeps,
        )
    finally:
        await hubspot.aclose()
        await store.close()
