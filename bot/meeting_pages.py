"""Meeting pages, their details and free slots, cached so Slack's 3-second windows are not
spent waiting on HubSpot."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import pydantic
from redis.asyncio import Redis

from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError
from bot.hubspot.limiter import REDIS_DOWN_ERRORS, RedisOutage, twice_on_stale_connection
from bot.hubspot.models import Availability, BookingInfo, MeetingLink

log = logging.getLogger("bot.pages")

MAX_OPTIONS = 100


@functools.lru_cache(maxsize=4096)
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


class SharedCache(Protocol):
    """Text values with a lifetime, seen by every worker; `get` gives the value and its age."""

    async def get(self, key: str) -> tuple[str, float] | None: ...

    async def set(self, key: str, value: str, ttl_seconds: float) -> None: ...


class RedisPageCache:
    """SharedCache in Redis (REDIS_URL). Redis unreachable: a miss, one warning per outage, and
    Redis is tried again later; the workers then fetch from HubSpot on their own."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "bookbot:pages:",
        retry_seconds: float = 5.0,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._wall_clock = wall_clock
        self.outage = RedisOutage("meeting-page cache", retry_seconds=retry_seconds)

    async def get(self, key: str) -> tuple[str, float] | None:
        if not self.outage.usable():
            return None
        try:
            raw = await twice_on_stale_connection(lambda: self._redis.get(self._prefix + key))
        except REDIS_DOWN_ERRORS as error:
            self.outage.failed(error)
            return None
        self.outage.recovered()
        if raw is None:
            return None
        try:
            stored = json.loads(raw)
            return str(stored["value"]), max(0.0, self._wall_clock() - float(stored["at"]))
        except (ValueError, KeyError, TypeError):
            return None

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        if not self.outage.usable():
            return
        payload = json.dumps({"at": self._wall_clock(), "value": value})
        try:
            await twice_on_stale_connection(
                lambda: self._redis.set(
                    self._prefix + key, payload, px=max(1, int(ttl_seconds * 1000))
                )
            )
        except REDIS_DOWN_ERRORS as error:
            self.outage.failed(error)
        else:
            self.outage.recovered()


class PageDirectory:
    """HubSpot's meeting pages, page details and availability behind short-lived caches.

    Concurrent callers asking for the same thing share one HubSpot request. With a `shared`
    cache (Redis), the page list and page details are also shared by every worker: one worker
    asks HubSpot, the others read its answer until it is `*_ttl_seconds` old. Availability stays
    per process (it changes with every booking).
    """

    def __init__(
        self,
        hubspot: HubSpotClient,
        *,
        pages_ttl_seconds: float = 300.0,
        details_ttl_seconds: float = 120.0,
        availability_ttl_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedCache | None = None,
        shared_namespace: str = "",
    ) -> None:
        self._hubspot = hubspot
        self._shared_cache = shared
        self._namespace = shared_namespace
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
            cached = await self._shared_get("pages", _PAGE_LIST, self._pages_ttl)
            if cached is not None:
                self._pages = _Entry(cached[0], cached[1])
                return cached[0]
            links = await self._hubspot.list_meeting_links()
            self._pages = _Entry(links, self._clock())
            await self._shared_set(
                "pages", _PAGE_LIST.dump_json(links, by_alias=True), self._pages_ttl
            )
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
            shared_key = f"details:{slug}:{timezone}"
            cached = await self._shared_get(shared_key, _BOOKING_INFO, self._details_ttl)
            if cached is not None:
                self._details[key] = _Entry(cached[0], cached[1])
                return cached[0]
            info = await self._hubspot.get_booking_info(slug, timezone=timezone)
            self._details[key] = _Entry(info, self._clock())
            await self._shared_set(
                shared_key, info.model_dump_json(by_alias=True), self._details_ttl
            )
            return info

        return await self._shared(("details", key), fetch)

    def cached_availability(
        self, slug: str, timezone: str, month_offset: int = 0
    ) -> Availability | None:
        """The last answer if still fresh, else None; never asks HubSpot."""
        entry = self._availability.get((slug, timezone, month_offset))
        if entry is not None and self._fresh(entry, self._availability_ttl):  # type: ignore[arg-type]
            return entry.value
        return None

    async def availability(self, slug: str, timezone: str, month_offset: int = 0) -> Availability:
        cached = self.cached_availability(slug, timezone, month_offset)
        if cached is not None:
            return cached
        key = (slug, timezone, month_offset)

        async def fetch() -> Availability:
            availability = await self._hubspot.get_availability(
                slug, timezone=timezone, month_offset=month_offset or None
            )
            self._availability[key] = _Entry(availability, self._clock())
            return availability

        return await self._shared(("availability", key), fetch)

    async def _shared_get(
        self, key: str, adapter: pydantic.TypeAdapter[Any], ttl: float
    ) -> tuple[Any, float] | None:
        """A worker's fresh answer from the shared cache, with its fetch time on our clock."""
        if self._shared_cache is None:
            return None
        found = await self._shared_cache.get(self._namespace + key)
        if found is None or found[1] >= ttl:
            return None
        text, age = found
        try:
            value = adapter.validate_json(text)
        except pydantic.ValidationError:
            log.warning("ignoring an unreadable shared cache entry for %s", key.split(":")[0])
            return None
        return value, self._clock() - age

    async def _shared_set(self, key: str, text: str | bytes, ttl: float) -> None:
        if self._shared_cache is not None:
            value = text.decode() if isinstance(text, bytes) else text
            await self._shared_cache.set(self._namespace + key, value, ttl)

    def forget_availability(self, slug: str) -> None:
        """After a booking (ours or a refused one) the cached free slots are wrong."""
        for key in [key for key in self._availability if key[0] == slug]:
            del self._availability[key]


_PAGE_LIST: pydantic.TypeAdapter[list[MeetingLink]] = pydantic.TypeAdapter(list[MeetingLink])
_BOOKING_INFO: pydantic.TypeAdapter[BookingInfo] = pydantic.TypeAdapter(BookingInfo)
