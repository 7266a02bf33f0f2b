"""Everything a request needs, built once at start-up from Settings and passed in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from bot.booking import BookingService
from bot.config import Settings
from bot.flow import BookingFlow
from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError
from bot.i18n import Catalog
from bot.metrics import Metrics
from bot.pages import PageDirectory
from bot.store import Store
from bot.timeparse import TimeParser

log = logging.getLogger("bot.services")

SANDBOX_BASE_URL = "http://hubspot-sandbox.local"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    hubspot: HubSpotClient
    pages: PageDirectory
    store: Store
    parser: TimeParser
    catalog: Catalog
    booking: BookingService
    flow: BookingFlow
    metrics: Metrics
    clock: Callable[[], datetime]
    using_sandbox: bool
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    def start_background(self) -> None:
        """Warm the page list so the first page search answers from cache."""
        self._background.append(asyncio.create_task(self._warm_pages()))

    async def _warm_pages(self) -> None:
        try:
            await self.pages.pages()
        except HubSpotError as error:
            log.warning("could not list HubSpot meeting pages at start-up: %s", error.user_message)

    async def aclose(self) -> None:
        for task in self._background:
            task.cancel()
        await self.hubspot.aclose()
        await self.store.close()


def sandbox_transport() -> httpx.AsyncBaseTransport:
    """The built-in HubSpot stand-in, served in-process."""
    from bot.sandbox import SandboxConfig, create_sandbox_app

    return httpx.ASGITransport(app=create_sandbox_app(SandboxConfig.from_env()))


async def build_services(
    settings: Settings,
    *,
    force_sandbox: bool = False,
    hubspot_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Services:
    using_sandbox = force_sandbox or settings.uses_sandbox
    if hubspot_transport is None and using_sandbox:
        hubspot_transport = sandbox_transport()
        settings = settings.model_copy(
            update={"hubspot_base_url": SANDBOX_BASE_URL, "hubspot_access_token": None}
        )
    hubspot = HubSpotClient.from_settings(settings, transport=hubspot_transport)
    store = await Store.open(settings.database_url)
    # Warmed once by build_app, outside Slack's 3-second window.
    parser = TimeParser(settings.languages)
    pages = PageDirectory(hubspot)
    booking = BookingService(
        hubspot, pages, store, parser, languages=settings.languages, clock=clock
    )
    catalog = Catalog.load()
    flow = BookingFlow(booking, pages, store, catalog, default_slug=settings.default_slug)
    return Services(
        settings=settings,
        hubspot=hubspot,
        pages=pages,
        store=store,
        parser=parser,
        catalog=catalog,
        booking=booking,
        flow=flow,
        metrics=Metrics(),
        clock=clock,
        using_sandbox=using_sandbox,
    )
