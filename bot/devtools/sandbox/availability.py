"""Free slots of a meeting page: its weekly hours minus busy times and bookings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.devtools.sandbox.seed_data import MINUTE_MS, MeetingPage


@dataclass(frozen=True)
class TakenInterval:
    """Time an organizer or member cannot be booked: a calendar event or an earlier booking."""

    start_ms: int
    end_ms: int


def to_millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def horizon_end_ms(page: MeetingPage, now: datetime) -> int:
    """Slots are advertised until the end of the page's local day `weeksToAdvertise` weeks out."""
    last_day = now.astimezone(page.zone).date() + timedelta(weeks=page.weeks_to_advertise)
    return to_millis(_local_midnight(last_day + timedelta(days=1), page.zone))


def month_window(now: datetime, viewer_zone: ZoneInfo, month_offset: int) -> tuple[int, int]:
    """[start, end) in ms of calendar month `month_offset` (0 = this month, from now on)."""
    local_now = now.astimezone(viewer_zone)
    month_index = local_now.year * 12 + (local_now.month - 1) + month_offset
    month_start = datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=viewer_zone)
    next_index = month_index + 1
    month_end = datetime(next_index // 12, next_index % 12 + 1, 1, tzinfo=viewer_zone)
    return max(to_millis(month_start), to_millis(now)), to_millis(month_end)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _day_slot_starts(page: MeetingPage, day: date, duration_ms: int) -> Iterator[int]:
    hours = page.weekly_hours.get(day.weekday())
    if hours is None:
        return
    opening_minute, closing_minute = hours
    midnight = _local_midnight(day, page.zone)
    opening_ms = to_millis(midnight + timedelta(minutes=opening_minute))
    closing_ms = to_millis(midnight + timedelta(minutes=closing_minute))
    step_ms = page.start_increment_minutes * MINUTE_MS
    start_ms = opening_ms
    while start_ms + duration_ms <= closing_ms:
        yield start_ms
        start_ms += step_ms


def _is_free(
    start_ms: int, duration_ms: int, taken: Iterable[TakenInterval], buffer_ms: int
) -> bool:
    end_ms = start_ms + duration_ms
    return all(
        end_ms + buffer_ms <= interval.start_ms or start_ms >= interval.end_ms + buffer_ms
        for interval in taken
    )


def free_slots(
    page: MeetingPage,
    duration_ms: int,
    taken: list[TakenInterval],
    now: datetime,
    window: tuple[int, int] | None = None,
) -> list[int]:
    """Start times (ms) of free slots of `duration_ms`, after now, inside window and horizon."""
    now_ms = to_millis(now)
    lower_ms = now_ms if window is None else max(now_ms, window[0])
    upper_ms = horizon_end_ms(page, now)
    if window is not None:
        upper_ms = min(upper_ms, window[1])
    buffer_ms = page.buffer_minutes * MINUTE_MS
    starts: list[int] = []
    day = now.astimezone(page.zone).date()
    last_day = day + timedelta(weeks=page.weeks_to_advertise)
    while day <= last_day:
        for start_ms in _day_slot_starts(page, day, duration_ms):
            if start_ms <= lower_ms or start_ms >= upper_ms:
                continue
            if _is_free(start_ms, duration_ms, taken, buffer_ms):
                starts.append(start_ms)
        day += timedelta(days=1)
    return starts


def is_bookable(
    page: MeetingPage, start_ms: int, duration_ms: int, taken: list[TakenInterval], now: datetime
) -> bool:
    """Whether `start_ms` is exactly one of the slots the page offers right now."""
    if start_ms <= to_millis(now) or start_ms >= horizon_end_ms(page, now):
        return False
    start_day = datetime.fromtimestamp(start_ms / 1000, tz=page.zone).date()
    if start_ms not in set(_day_slot_starts(page, start_day, duration_ms)):
        return False
    return _is_free(start_ms, duration_ms, taken, page.buffer_minutes * MINUTE_MS)


def link_availability(
    page: MeetingPage,
    taken: list[TakenInterval],
    now: datetime,
    window: tuple[int, int],
) -> dict[str, Any]:
    """The spec's ExternalLinkAvailability: slots grouped by duration in ms (string keys)."""
    by_duration: dict[str, Any] = {}
    for duration_ms in page.durations_millis:
        starts = free_slots(page, duration_ms, taken, now, window)
        by_duration[str(duration_ms)] = {
            "meetingDurationMillis": duration_ms,
            "availabilities": [
                {"startMillisUtc": start, "endMillisUtc": start + duration_ms} for start in starts
            ],
        }
    return {
        "hasMore": window[1] < horizon_end_ms(page, now),
        "linkAvailabilityByDuration": by_duration,
    }
