"""Everything the sandbox remembers between requests: bookings, faults, rate windows."""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.devtools.sandbox.availability import TakenInterval
from bot.devtools.sandbox.config import Fault, SandboxConfig
from bot.devtools.sandbox.seed_data import MeetingPage, SeedData, build_seed_data, busy_calendar

BUSY_REFRESH_DAYS = 7


@dataclass
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    interval_ms: int
    retry_after_seconds: int

    def headers(self) -> dict[str, str]:
        return {
            "X-HubSpot-RateLimit-Max": str(self.limit),
            "X-HubSpot-RateLimit-Remaining": str(self.remaining),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(self.interval_ms),
        }


@dataclass
class _ArmedFault:
    fault: Fault
    remaining: int


@dataclass(frozen=True)
class RecordedBooking:
    organizer_user_ids: tuple[str, ...]
    start_ms: int
    end_ms: int
    body: dict[str, Any]


class SandboxState:
    """Mutable state of one sandbox app (`app.state.sandbox`)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.book_calls = 0
        self.bookings: list[dict[str, Any]] = []
        self._recorded: list[RecordedBooking] = []
        self._faults: list[_ArmedFault] = []
        self._request_times: dict[str, deque[float]] = {}
        self._rng = random.Random(config.seed)
        self.seed_data: SeedData = build_seed_data(config.seed, self.now())
        for fault in config.faults:
            self.inject(fault)

    def now(self) -> datetime:
        moment = self.config.clock()
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

    def reset(self) -> None:
        """Forget bookings, counters, faults and rate windows; reseed ids and calendars."""
        self.book_calls = 0
        self.bookings.clear()
        self._recorded.clear()
        self._faults.clear()
        self._request_times.clear()
        self._rng = random.Random(self.config.seed)
        self.seed_data = build_seed_data(self.config.seed, self.now())

    # faults

    def inject(self, fault: Fault) -> None:
        """Play `fault` on the next `fault.times` matching requests (after earlier faults)."""
        self._faults.append(_ArmedFault(replace(fault), fault.times))

    def take_fault(self, operation: str) -> Fault | None:
        for armed in self._faults:
            if armed.fault.matches(operation):
                armed.remaining -= 1
                if armed.remaining <= 0:
                    self._faults.remove(armed)
                return armed.fault
        return None

    @property
    def pending_faults(self) -> list[Fault]:
        return [replace(armed.fault, times=armed.remaining) for armed in self._faults]

    # rate limiting

    def admit(self, token_key: str) -> RateDecision:
        """Sliding window per token: refuse once `rate_limit` requests fell inside the window."""
        limit = self.config.rate_limit
        window = self.config.rate_window_seconds
        now = self.config.monotonic()
        times = self._request_times.setdefault(token_key, deque())
        while times and times[0] <= now - window:
            times.popleft()
        interval_ms = int(window * 1000)
        if len(times) >= limit:
            wait = times[0] + window - now
            return RateDecision(False, limit, 0, interval_ms, max(1, math.ceil(wait)))
        times.append(now)
        return RateDecision(True, limit, limit - len(times), interval_ms, 0)

    # calendars and bookings

    def page(self, slug: str) -> MeetingPage | None:
        return self.seed_data.page_by_slug(slug)

    def _refresh_busy_calendar(self) -> None:
        """A long-running sandbox keeps organizers busy in the weeks it advertises."""
        now = self.now()
        seeded_on = self.seed_data.busy_from
        if seeded_on is not None and (now.date() - seeded_on).days < BUSY_REFRESH_DAYS:
            return
        data = self.seed_data
        data.busy = busy_calendar(self.config.seed, data.users, data.pages, now)
        data.busy_from = now.date()

    def taken_for(self, page: MeetingPage) -> list[TakenInterval]:
        self._refresh_busy_calendar()
        user_ids = {member.user_id for member in page.members} | {page.organizer.user_id}
        taken = [
            TakenInterval(busy.start_ms, busy.end_ms)
            for busy in self.seed_data.busy
            if busy.user_id in user_ids
        ]
        taken.extend(
            TakenInterval(booking.start_ms, booking.end_ms)
            for booking in self._recorded
            if user_ids.intersection(booking.organizer_user_ids)
        )
        return sorted(taken, key=lambda interval: interval.start_ms)

    def busy_for_user(self, user_id: str, window: tuple[int, int]) -> list[dict[str, int]]:
        self._refresh_busy_calendar()
        intervals = [
            (busy.start_ms, busy.end_ms) for busy in self.seed_data.busy if busy.user_id == user_id
        ]
        intervals.extend(
            (booking.start_ms, booking.end_ms)
            for booking in self._recorded
            if user_id in booking.organizer_user_ids
        )
        return [
            {"start": start, "end": end}
            for start, end in sorted(intervals)
            if end > window[0] and start < window[1]
        ]

    def record_booking(
        self, page: MeetingPage, start_ms: int, end_ms: int, body: dict[str, Any]
    ) -> None:
        user_ids = tuple({member.user_id for member in page.members} | {page.organizer.user_id})
        self._recorded.append(RecordedBooking(user_ids, start_ms, end_ms, body))
        self.bookings.append({**body, "slug": page.slug, "organizerUserId": page.organizer.user_id})

    def new_id(self, digits: int) -> str:
        return str(self._rng.randrange(10 ** (digits - 1), 10**digits))

    def contact_id_for(self, email: str) -> str:
        # The same guest is the same CRM contact, as in HubSpot.
        return str(
            100_000 + (sum(ord(ch) * (index + 1) for index, ch in enumerate(email)) % 900_000)
        )
