"""Meeting pages, their details and free slots, cached so Slack's 3-second windows are not
spent waiting on HubSpot."""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError
from bot.hubspot.models import Availability, BookingInfo, MeetingLink

MAX_OPTIONS = 100


def fold(text: str) -> str:
    """Lower-case and strip accents so "Demonstração" matches "demonstracao"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def page_label(page: MeetingLink) -> str:
    return page.name or page.slug


T = TypeVar("T")


@dataclass
class _Entry(Generic[T]):
    value: T
    fetched_at: float


class PageDirectory:
    """HubSpot's meeting pages, page details and availability behind short-lived caches.

    Concurrent callers asking for the same thing share one HubSpot request.
    """

    def __init__(
        self,
        hubspot: HubSpotClient,
        *,
        pages_ttl_seconds: float = 300.0,
        details_ttl_seconds: float = 120.0,
        availability_ttl_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._hubspot = hubspot
        self._pages_ttl = pages_ttl_seconds
        self._details_ttl = details_ttl_seconds
        self._availability_ttl = availability_ttl_seconds
        self._clock = clock
        self._pages: _Entry[list[MeetingLink]] | None = None
        self._details: dict[tuple[str, str], _Entry[BookingInfo]] = {}
        self._availability: dict[tuple[str, str, int], _Entry[Availability]] = {}
        self._inflight: dict[object, asyncio.Task[Any]] = {}

    def _fresh(self, entry: _Entry[object] | None, ttl: float) -> bool:
        return entry is not None and self._clock() - entry.fetched_at < ttl

    async def _shared(self, key: object, fetch: Callable[[], Awaitable[T]]) -> T:
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(fetch())
            self._inflight[key] = task
            task.add_done_callback(lambda _: self._inflight.pop(key, None))
            # A caller that gave up waiting must not leave the failure unretrieved.
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
        return await asyncio.shield(task)

    async def pages(self) -> list[MeetingLink]:
        if self._pages is not None and self._fresh(self._pages, self._pages_ttl):  # type: ignore[arg-type]
            return self._pages.value

        async def fetch() -> list[MeetingLink]:
            links = await self._hubspot.list_meeting_links()
            self._pages = _Entry(links, self._clock())
            return links

        return await self._shared("pages", fetch)

    def cached_pages(self) -> list[MeetingLink]:
        """Whatever is cached, however old; never waits on HubSpot."""
        return list(self._pages.value) if self._pages else []

    async def search(self, query: str, *, wait_seconds: float = 2.0) -> list[MeetingLink]:
        """Pages whose name or slug contains the query; a stale cache rather than a late answer."""
        try:
            pages = await asyncio.wait_for(asyncio.shield(self.pages()), timeout=wait_seconds)
        except (TimeoutError, HubSpotError):
            pages = self.cached_pages()
        wanted = fold(query.strip())
        matches = [
            page
            for page in pages
            if not wanted or wanted in fold(page_label(page)) or wanted in fold(page.slug)
        ]
        matches.sort(
            key=lambda page: (not fold(page_label(page)).startswith(wanted), fold(page_label(page)))
        )
        return matches[:MAX_OPTIONS]

    async def find(self, slug: str) -> MeetingLink | None:
        for page in self.cached_pages() or await self.pages():
            if page.slug == slug:
                return page
        return None

    def match_in_text(self, text: str) -> MeetingLink | None:
        """The cached page named in free text (slug or name as whole words), longest name first."""
        folded = f" {fold(text)} "
        candidates = sorted(self.cached_pages(), key=lambda page: -len(page_label(page)))
        for page in candidates:
            for label in (page_label(page), page.slug):
                if f" {fold(label)} " in folded:
                    return page
        return None

    async def details(self, slug: str, timezone: str) -> BookingInfo:
        key = (slug, timezone)
        entry = self._details.get(key)
        if entry is not None and self._fresh(entry, self._details_ttl):  # type: ignore[arg-type]
            return entry.value

        async def fetch() -> BookingInfo:
            info = await self._hubspot.get_booking_info(slug, timezone=timezone)
            self._details[key] = _Entry(info, self._clock())
            return info

        return await self._shared(("details", key), fetch)

    async def availability(self, slug: str, timezone: str, month_offset: int = 0) -> Availability:
        key = (slug, timezone, month_offset)
        entry = self._availability.get(key)
        if entry is not None and self._fresh(entry, self._availability_ttl):  # type: ignore[arg-type]
            return entry.value

        async def fetch() -> Availability:
            availability = await self._hubspot.get_availability(
                slug, timezone=timezone, month_offset=month_offset or None
            )
            self._availability[key] = _Entry(availability, self._clock())
            return availability

        return await self._shared(("availability", key), fetch)

    def forget_availability(self, slug: str) -> None:
        """After a booking (ours or a refused one) the cached free slots are wrong."""
        for key in [key for key in self._availability if key[0] == slug]:
            del self._availability[key]
