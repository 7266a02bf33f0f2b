"""Everything a request needs, built once at start-up from Settings and passed in."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import httpx
from redis.asyncio import Redis

from bot.after_ack import AfterAck
from bot.booking import BookingOutcome, BookingService, Submission
from bot.budget import PersonBudget
from bot.config import Settings
from bot.flow import BookingFlow
from bot.followup import Followups
from bot.hubspot.client import HubSpotClient
from bot.hubspot.connect import HubSpotConnect, build_hubspot_oauth, prompt_source
from bot.hubspot.connections import HubSpotAccounts, Workspace
from bot.hubspot.errors import HubSpotError
from bot.hubspot.limiter import InMemoryRateLimiter, RateLimiter, RedisRateLimiter, redis_client
from bot.hubspot.redact import token_fingerprint
from bot.i18n import Catalog
from bot.meeting_pages import PageDirectory, RedisPageCache, SharedCache
from bot.metadata import MetadataSealer, sealer_for
from bot.metrics import Metrics
from bot.store import StepLeases, Store
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
    # Connect HubSpot (HUBSPOT_CLIENT_ID/_SECRET): a HubSpot account per workspace.
    accounts: HubSpotAccounts | None = None
    hubspot_connect: HubSpotConnect | None = None
    # REDIS_URL: the connection behind the shared limiter and page cache.
    redis: Redis | None = None
    page_cache: SharedCache | None = None
    # One budget per person across every workspace view (handlers ask it before a preview).
    budget: PersonBudget | None = None
    # Work after Slack's acks (drained at a stop) and the durable steps after each booking.
    after_ack: AfterAck = field(default_factory=AfterAck)
    followups: Followups | None = None
    _background: list[asyncio.Task[None]] = field(default_factory=list)
    _workspaces: dict[Workspace, Services] = field(default_factory=dict)

    def for_workspace(self, team_id: str | None, enterprise_id: str | None = None) -> Services:
        """What a request from this workspace uses: these services in single-token mode; with
        Connect HubSpot, a view whose HubSpot client, page cache, booking and flow are the
        workspace's own (built once, then cached)."""
        if self.accounts is None or not self.accounts.per_workspace:
            return self
        workspace = Workspace.of(team_id, enterprise_id)
        view = self._workspaces.get(workspace)
        if view is None:
            hubspot = self.accounts.client(team_id, enterprise_id)
            hubspot.observer = self.metrics
            pages, booking, flow = _booking_parts(
                self.settings,
                hubspot,
                self.store,
                self.parser,
                self.catalog,
                self.clock,
                metrics=self.metrics,
                page_cache=self.page_cache,
                cache_namespace=f"workspace:{workspace}:",
                sandbox=self.using_sandbox,
                sealer=self.flow.sealer,
                leases=self.booking.leases,
            )
            if self.hubspot_connect is not None:
                flow.hubspot_prompt = prompt_source(self.hubspot_connect, workspace)
            view = replace(
                self,
                hubspot=hubspot,
                pages=pages,
                booking=booking,
                flow=flow,
                _background=[],
                _workspaces={},
            )
            self._workspaces[workspace] = view
        return view

    def start_background(self) -> None:
        """Warm the page list so the first page search answers from cache; start the
        reconciler (a pass now, then one every BOOKBOT_RECONCILE_SECONDS)."""
        if self.followups is not None:
            self.followups.start(self.after_ack)
        if self.accounts is not None and self.accounts.per_workspace:
            return  # no workspace is known before its first request
        self._background.append(asyncio.create_task(self._warm_pages()))

    async def drain(self) -> bool:
        """A stop: no new reconciler pass, work after acks gets BOOKBOT_SHUTDOWN_GRACE_SECONDS
        to finish, and steps left unfinished are released for the next start. True when
        everything finished in time."""
        if self.followups is not None:
            await self.followups.stop()
        drained = await self.after_ack.drain(self.settings.shutdown_grace_seconds)
        if self.followups is not None:
            await self.followups.release()
        return drained

    async def _warm_pages(self) -> None:
        try:
            await self.pages.pages()
        except HubSpotError as error:
            log.warning("could not list HubSpot meeting pages at start-up: %s", error.user_message)

    async def aclose(self) -> None:
        if self.followups is not None:
            await self.followups.stop()
        for task in self._background:
            task.cancel()
        await self.hubspot.aclose()
        if self.accounts is not None and self.accounts.per_workspace:
            await self.accounts.aclose()
        await self.store.close()
        if self.redis is not None:
            await self.redis.aclose()


class CountingBookingService(BookingService):
    """BookingService that counts each submission's outcome in bookbot_bookings_total."""

    metrics: Metrics | None = None

    async def book(self, submission: Submission) -> BookingOutcome:
        try:
            outcome = await super().book(submission)
        except Exception:
            if self.metrics is not None:
                self.metrics.booking_outcome("error")
            raise
        if self.metrics is not None:
            self.metrics.booking_outcome("duplicate" if outcome.duplicate else outcome.status)
        return outcome


def sandbox_transport() -> httpx.AsyncBaseTransport:
    """The built-in HubSpot stand-in, served in-process."""
    from bot.devtools.sandbox import SandboxConfig, create_sandbox_app

    return httpx.ASGITransport(app=create_sandbox_app(SandboxConfig.from_env()))


def hubspot_limiter(
    settings: Settings,
    redis: Redis | None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> RateLimiter:
    """HubSpot's per-token budget: shared in Redis by every process; counted in-process (no
    Redis, or while it is unreachable) as this process's share of it, so N processes together
    still stay within the limit."""
    window = settings.hubspot_rate_window_seconds + settings.hubspot_rate_margin_seconds
    share = max(1, settings.hubspot_rate_limit // settings.processes)
    own = InMemoryRateLimiter(share, window, clock=clock, sleep=sleep)
    if redis is None:
        return own
    return RedisRateLimiter(
        redis,
        settings.hubspot_rate_limit,
        window,
        prefix=f"{settings.redis_prefix}ratelimit:",
        fallback=own,
        sleep=sleep,
    )


async def build_services(
    settings: Settings,
    *,
    force_sandbox: bool = False,
    hubspot_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Services:
    # The built-in sandbox only when asked for (`--sandbox`, `bookbot demo`): a missing token
    # must never put real people's bookings on a fake HubSpot.
    if hubspot_transport is None and settings.uses_sandbox and not force_sandbox:
        raise ValueError(
            "HUBSPOT_ACCESS_TOKEN is not set (and no HubSpot transport given): set it, or ask "
            "for the built-in sandbox with force_sandbox (`bookbot run --sandbox`)"
        )
    using_sandbox = force_sandbox
    if hubspot_transport is None and using_sandbox:
        hubspot_transport = sandbox_transport()
        settings = settings.model_copy(
            update={"hubspot_base_url": SANDBOX_BASE_URL, "hubspot_access_token": None}
        )
    metrics = Metrics()
    # REDIS_URL: one HubSpot budget and one page cache for every worker; without it (or while
    # Redis is unreachable) each process keeps its own.
    redis = redis_client(settings.redis_url) if settings.redis_url else None
    limiter = hubspot_limiter(settings, redis)
    page_cache = (
        RedisPageCache(redis, prefix=f"{settings.redis_prefix}pages:")
        if redis is not None
        else None
    )
    hubspot = HubSpotClient.from_settings(
        settings, transport=hubspot_transport, limiter=limiter, observer=metrics
    )
    store = await Store.open(settings.database_url)
    # Warmed once by build_app, outside Slack's 3-second window.
    parser = TimeParser(settings.languages)
    catalog = Catalog.load()
    token = settings.hubspot_access_token
    pages, booking, flow = _booking_parts(
        settings,
        hubspot,
        store,
        parser,
        catalog,
        clock,
        metrics=metrics,
        page_cache=page_cache,
        # Pages differ per HubSpot account: cache keys carry the token's fingerprint.
        cache_namespace=(
            f"token:{token_fingerprint(token.get_secret_value())}:" if token else "sandbox:"
        ),
        sandbox=using_sandbox,
    )
    accounts: HubSpotAccounts | None = None
    hubspot_connect: HubSpotConnect | None = None
    if settings.hubspot_oauth_mode:
        accounts, hubspot_connect = build_hubspot_oauth(
            settings,
            store,
            base_url=settings.hubspot_base_url,
            transport=hubspot_transport,
            limiter=limiter,
            clock=clock,
        )
    built: list[Services] = []
    followups = Followups(
        store,
        booking.leases,
        flow_for=lambda team_id, enterprise_id: built[0].for_workspace(team_id, enterprise_id).flow,
        metrics=metrics,
        # Read at each booking (BOOKBOT_REMINDER_MINUTES, as the settings now say).
        reminder_minutes=lambda: built[0].settings.reminder_minutes,
        booking_timeout_seconds=settings.booking_timeout_seconds,
        interval_seconds=settings.reconcile_seconds,
    )
    services = Services(
        settings=settings,
        hubspot=hubspot,
        pages=pages,
        store=store,
        parser=parser,
        catalog=catalog,
        booking=booking,
        flow=flow,
        metrics=metrics,
        clock=clock,
        using_sandbox=using_sandbox,
        accounts=accounts,
        hubspot_connect=hubspot_connect,
        redis=redis,
        page_cache=page_cache,
        budget=PersonBudget(settings.person_budget_per_minute),
        after_ack=AfterAck(settings.after_ack_concurrency, observer=metrics),
        followups=followups,
    )
    built.append(services)
    return services


def _booking_parts(
    settings: Settings,
    hubspot: HubSpotClient,
    store: Store,
    parser: TimeParser,
    catalog: Catalog,
    clock: Callable[[], datetime],
    *,
    metrics: Metrics,
    page_cache: SharedCache | None = None,
    cache_namespace: str = "",
    sandbox: bool = False,
    sealer: MetadataSealer | None = None,
    leases: StepLeases | None = None,
) -> tuple[PageDirectory, BookingService, BookingFlow]:
    """The page cache, booking service and flow around one HubSpot client."""
    pages = PageDirectory(hubspot, shared=page_cache, shared_namespace=cache_namespace)
    booking = CountingBookingService(
        hubspot,
        pages,
        store,
        parser,
        languages=settings.languages,
        clock=clock,
        leases=leases or StepLeases(settings.booking_timeout_seconds, clock=clock),
    )
    booking.metrics = metrics
    flow = BookingFlow(
        booking,
        pages,
        store,
        catalog,
        default_slug=settings.default_slug,
        card_guest_email=settings.card_guest_email,
        sandbox=sandbox,
        profile_ttl_seconds=settings.profile_ttl_seconds,
    )
    # One key for every workspace's flow (bot/app.py checks incoming metadata with it).
    flow.sealer = sealer or sealer_for(settings)
    return pages, booking, flow
