"""The booking domain: what the words mean, whether the slot is free, and booking exactly once."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.hubspot import errors as hs
from bot.hubspot.client import HubSpotClient
from bot.hubspot.models import (
    Availability,
    BookingInfo,
    BookingRequest,
    BookingResponse,
    TimeSlot,
)
from bot.hubspot.redact import mask_email
from bot.meeting_pages import PageDirectory
from bot.store import (
    BookingDraft,
    BookingRecord,
    BookingStatus,
    InvalidTransition,
    Step,
    StepClaim,
    StepLeases,
    Store,
    StoreError,
)
from bot.timeparse import ParseError, ParseResult, TimeParser

# What a person types for a time is short; nothing longer is handed to the parser (blocks.TEXT_MAX,
# the modal's and /book's cap, is the same figure).
MAX_PARSED_CHARS = 500

log = logging.getLogger("bot.booking")

NEAREST_SLOTS = 5
# How long a second submission of the same form waits for the first one's outcome.
DUPLICATE_WAIT_SECONDS = 20.0


def failure_message(error: hs.HubSpotError) -> str:
    """What the ledger keeps about a failure: for HubSpot's refusal of the details, each
    problem (field, code, HubSpot's words) and the correlation id as JSON (read back by
    `Refusal.read`), so the person later sees it on the right field in their language."""
    if isinstance(error, hs.ValidationError) and not isinstance(error, hs.SlotUnavailableError):
        return Refusal(tuple(error.problems[:10]), error.correlation_id).to_json()
    return error.user_message


@dataclass(frozen=True)
class Refusal:
    """HubSpot refused the booking's details (400): what, where, and its reference."""

    problems: tuple[hs.FieldProblem, ...]
    correlation_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "problems": [
                    {"field": p.field, "code": p.code, "message": p.message[:500]}
                    for p in self.problems
                ],
                "correlation_id": self.correlation_id,
            },
            ensure_ascii=False,
        )

    @classmethod
    def read(cls, text: str | None) -> Refusal:
        """The refusal a failed record keeps. Plain text (rows written before, holding Booker's
        own English summary) carries no words of HubSpot's: no problems."""
        try:
            data = json.loads(text or "")
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("problems"), list):
            return cls(())
        problems = tuple(
            hs.FieldProblem(
                _str_or_none(item.get("field")),
                _str_or_none(item.get("code")),
                str(item.get("message") or ""),
            )
            for item in data["problems"]
            if isinstance(item, dict)
        )
        return cls(problems, _str_or_none(data.get("correlation_id")))


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Preview:
    """What the person's words mean for a page, and whether HubSpot has that slot free."""

    parsed: ParseResult
    start: datetime | None = None
    end: datetime | None = None
    free: bool | None = None  # None: not checked (no page yet, or HubSpot did not answer)
    nearest: tuple[TimeSlot, ...] = ()
    day_slots: tuple[TimeSlot, ...] = ()
    check_error: str | None = None


@dataclass(frozen=True)
class Submission:
    key: str
    team_id: str
    user_id: str
    channel_id: str | None
    thread_ts: str | None
    slug: str
    page_name: str
    start: datetime
    duration_minutes: int
    timezone: str
    locale: str
    guest_email: str
    guest_first_name: str
    guest_last_name: str
    form_fields: dict[str, str] = field(default_factory=dict)
    consents: tuple[tuple[str, bool], ...] = ()
    # What the after-ack steps need (bot/followup.py Followup as JSON), kept on the ledger row.
    followup: str | None = None


@dataclass(frozen=True)
class BookingOutcome:
    record: BookingRecord
    duplicate: bool = False
    response: BookingResponse | None = None
    # False: the ledger could not record HubSpot's answer (the record says what HubSpot said).
    recorded: bool = True

    @property
    def status(self) -> str:
        return self.record.status


class BookingService:
    def __init__(
        self,
        hubspot: HubSpotClient,
        pages: PageDirectory,
        store: Store,
        parser: TimeParser,
        *,
        languages: Sequence[str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        leases: StepLeases | None = None,
    ) -> None:
        self.hubspot = hubspot
        self.pages = pages
        self.store = store
        self.parser = parser
        self.languages = tuple(languages)
        self.clock = clock
        # Each status change records the after-ack steps it leaves due, held by this process.
        self.leases = leases or StepLeases(clock=clock)

    def parse(self, text: str, *, tz: str, locale: str | None) -> ParseResult:
        if len(text) > MAX_PARSED_CHARS:
            # Never parsed: a long text held the event loop for seconds (the flow says why).
            return ParseResult(error=ParseError.UNPARSEABLE, text=text[:100])
        return self.parser.parse(
            text, now=self.clock(), tz=tz, locale=locale, languages=self.languages
        )

    async def free_slots(
        self, slug: str, *, tz: str, duration_minutes: int, around: datetime
    ) -> list[TimeSlot]:
        availability = await self.pages.availability(slug, tz, self._month_offset(around))
        return self._upcoming(availability, duration_minutes)

    def _month_offset(self, around: datetime) -> int:
        now = self.clock()
        return max(0, (around.year - now.year) * 12 + around.month - now.month)

    def _upcoming(self, availability: Availability, duration_minutes: int) -> list[TimeSlot]:
        now = self.clock()
        return [slot for slot in availability.slots(duration_minutes) if slot.start > now]

    async def preview(
        self,
        *,
        slug: str | None,
        when_text: str,
        tz: str,
        locale: str | None,
        duration_minutes: int | None,
        cached_only: bool = False,
    ) -> Preview:
        """What the words mean and whether that slot is free. With `cached_only` no HubSpot call
        is made (inside Slack's ack window): without a fresh availability answer `free` is None."""
        parsed = self.parse(when_text, tz=tz, locale=locale)
        minutes = duration_minutes or (
            int(parsed.duration.total_seconds() // 60) if parsed.duration else 30
        )
        zone = ZoneInfo(tz)
        if parsed.error is ParseError.DATE_ONLY and parsed.date and slug:
            try:
                day_slots = await self._day_slots(slug, tz, minutes, parsed.date, zone)
            except hs.HubSpotError as error:
                # Unknown, not "nothing free": the preview must not claim the day is full.
                return Preview(parsed, check_error=error.code)
            return Preview(parsed, day_slots=tuple(day_slots[:NEAREST_SLOTS]))
        if parsed.start is None:
            return Preview(parsed)
        start = parsed.start.astimezone(zone)
        end = start + timedelta(minutes=minutes)
        if not slug:
            return Preview(parsed, start=start, end=end)
        if cached_only:
            cached = self.pages.cached_availability(slug, tz, self._month_offset(start))
            if cached is None:
                return Preview(parsed, start=start, end=end)
            slots = self._upcoming(cached, minutes)
        else:
            try:
                slots = await self.free_slots(slug, tz=tz, duration_minutes=minutes, around=start)
            except hs.HubSpotError as error:
                return Preview(parsed, start=start, end=end, check_error=error.code)
        free = any(slot.start == start for slot in slots)
        nearest: tuple[TimeSlot, ...] = ()
        if not free:
            ranked = sorted(slots, key=lambda slot: abs((slot.start - start).total_seconds()))
            nearest = tuple(sorted(ranked[:NEAREST_SLOTS], key=lambda slot: slot.start))
        return Preview(parsed, start=start, end=end, free=free, nearest=nearest)

    async def _day_slots(
        self, slug: str, tz: str, minutes: int, day: date, zone: ZoneInfo
    ) -> list[TimeSlot]:
        around = datetime.combine(day, datetime.min.time(), zone)
        slots = await self.free_slots(slug, tz=tz, duration_minutes=minutes, around=around)
        return [slot for slot in slots if slot.start.astimezone(zone).date() == day]

    async def book(self, submission: Submission) -> BookingOutcome:
        """Book once per idempotency key, whoever asks and however often."""
        draft = BookingDraft(
            team_id=submission.team_id,
            channel_id=submission.channel_id or "",
            user_id=submission.user_id,
            page_slug=submission.slug,
            page_name=submission.page_name,
            start=submission.start.astimezone(UTC),
            duration_minutes=submission.duration_minutes,
            timezone=submission.timezone,
            guest_email=submission.guest_email,
            guest_first_name=submission.guest_first_name,
            guest_last_name=submission.guest_last_name,
            thread_ts=submission.thread_ts,
            followup=submission.followup,
        )
        record, created = await self.store.claim(submission.key, draft)
        if not created and record.status == "failed":
            # HubSpot refused or was down (it surely booked nothing): the same form sent again
            # after "Back to the form" is a new attempt, claimed by exactly one caller.
            record, created = await self.store.reclaim_failed(submission.key)
        if not created:
            log.info("duplicate submission %s: no second HubSpot call", submission.key[:16])
            return BookingOutcome(await self._settled(record), duplicate=True)
        return await self._book_claimed(submission, record)

    def _steps(self, submission: Submission, *steps: Step) -> StepClaim | None:
        """The after-ack steps a status change leaves due, held by this process; none when the
        caller keeps no follow-up context (it carries out what follows itself, e.g. a workflow
        step), so that no reconciler redoes them."""
        return self.leases.claim(*steps) if submission.followup is not None else None

    async def _settled(self, record: BookingRecord) -> BookingRecord:
        """The first submission's outcome, waiting a little while it is still under way."""
        deadline = asyncio.get_running_loop().time() + DUPLICATE_WAIT_SECONDS
        while record.status == "pending" and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
            latest = await self.store.get(record.key)
            record = latest or record
        return record

    async def _book_claimed(self, submission: Submission, claimed: BookingRecord) -> BookingOutcome:
        info: BookingInfo | None = None
        try:
            info = await self.pages.details(submission.slug, submission.timezone)
        except hs.HubSpotError as error:
            record = await self.store.mark_failed(
                submission.key,
                error_code=error.code,
                error_message=failure_message(error),
                steps=self._steps(submission, Step.MODAL),
            )
            return BookingOutcome(record)
        request = BookingRequest.create(
            slug=submission.slug,
            start=submission.start,
            duration_minutes=submission.duration_minutes,
            email=submission.guest_email,
            first_name=submission.guest_first_name,
            last_name=submission.guest_last_name,
            form_fields=submission.form_fields,
            consents=dict(submission.consents),
            likely_available_user_ids=info.organizer_user_ids,
            locale=submission.locale,
            timezone=submission.timezone,
        )
        log.info(
            "booking %s at %s for %s",
            submission.slug,
            request.start_time.isoformat(),
            mask_email(submission.guest_email),
        )
        try:
            response = await self.hubspot.book(request)
        except (
            hs.BookingOutcomeUnknownError,
            hs.ServerError,
            hs.MalformedResponseError,
        ) as error:
            # A 5xx after HubSpot read the request may still have booked: never claim it did not.
            # A 2xx whose body cannot be read almost surely booked: recording it as failed would
            # let the same form book it a second time.
            try:
                record = await self.store.mark_unknown(
                    submission.key,
                    error_message=error.user_message,
                    steps=self._steps(submission, Step.MODAL),
                )
            except StoreError as store_error:
                record = _unrecorded(claimed, store_error, BookingStatus.UNKNOWN)
                return BookingOutcome(record, recorded=False)
            return BookingOutcome(record)
        except hs.HubSpotError as error:
            try:
                record = await self.store.mark_failed(
                    submission.key,
                    error_code=error.code,
                    error_message=failure_message(error),
                    steps=self._steps(submission, Step.MODAL),
                )
            except StoreError as store_error:
                # The row stays `pending`, so this form cannot be booked again by mistake.
                record = _unrecorded(
                    claimed, store_error, BookingStatus.FAILED, error_code=error.code
                )
                return BookingOutcome(record, recorded=False)
            return BookingOutcome(record)
        finally:
            # Whatever HubSpot answered, the cached free slots of this page are now suspect.
            self.pages.forget_availability(submission.slug)
        try:
            record = await self.store.mark_booked(
                submission.key,
                calendar_event_id=response.calendar_event_id,
                contact_id=response.contact_id,
                web_conference_url=response.web_conference_url,
                location=response.location,
                start=response.start,
                end=response.end,
                # In the same transaction: the modal, the card and the reminder are now due.
                steps=self._steps(submission, Step.MODAL, Step.CARD, Step.REMINDER),
            )
        except StoreError as store_error:
            # HubSpot booked it: the person must hear so (and get the card) even though the
            # ledger could not be told. Its row stays `pending`, which blocks a second booking.
            record = _unrecorded(
                claimed,
                store_error,
                BookingStatus.BOOKED,
                calendar_event_id=response.calendar_event_id,
                contact_id=response.contact_id,
                web_conference_url=response.web_conference_url,
                location=response.location,
                start=response.start,
                end=response.end,
            )
            return BookingOutcome(record, response=response, recorded=False)
        return BookingOutcome(record, response=response)

    async def recheck_unknown(self, key: str) -> bool | None:
        """After HubSpot did not confirm: is the slot now taken? Taken (True): HubSpot took this
        booking, so it is recorded as booked with what is known and its card and reminder are
        due (held by this process). Still free (False): it booked nothing; the form may book it
        again. None: the booking is no longer waiting for a check. Never books."""
        record = await self.store.get(key)
        if record is None or record.status != "unknown":
            return None
        self.pages.forget_availability(record.page_slug)
        slots = await self.free_slots(
            record.page_slug,
            tz=record.timezone,
            duration_minutes=record.duration_minutes,
            around=record.start,
        )
        taken = not any(slot.start == record.start for slot in slots)
        try:
            if taken:
                await self.store.mark_booked(
                    key,
                    calendar_event_id=record.calendar_event_id,
                    contact_id=record.contact_id,
                    web_conference_url=record.web_conference_url,
                    location=record.location,
                    start=record.start,
                    end=record.end,
                    steps=self.leases.claim(Step.CARD, Step.REMINDER),
                )
            else:
                # HubSpot still offers the slot, so it booked nothing: the form may book it again.
                await self.store.mark_failed(
                    key,
                    error_code="not_confirmed",
                    error_message="HubSpot still shows the slot free",
                )
        except InvalidTransition:
            return None  # settled meanwhile (a second click, another process)
        return taken


def _unrecorded(
    claimed: BookingRecord, error: StoreError, status: BookingStatus, **values: object
) -> BookingRecord:
    """What HubSpot answered, for the person, when the ledger could not record it."""
    log.error(
        "the ledger could not record booking %s as %s (it stays pending): %s",
        claimed.key[:16],
        status.value,
        error,
    )
    return replace(claimed, status=status, **values)  # type: ignore[arg-type]
