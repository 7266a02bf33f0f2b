"""BookingService below HTTP: the real sandbox in-process, a real SQLite ledger, a fake clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.booking import Refusal
from bot.devtools.sandbox import Fault
from bot.hubspot import errors as hs
from bot.timeparse import ParseError
from tests.support.core import ZONE, booking_core


async def test_a_free_slot_is_booked_once_and_recorded(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        slot = (await core.free_slots())[0]
        outcome = await core.booking.book(core.submission(slot.start))

        assert outcome.status == "booked" and not outcome.duplicate
        assert outcome.record.web_conference_url.startswith("https://meet.sandbox.booker.invalid/")
        assert core.book_calls() == 1
        booked = core.sandbox.bookings[0]
        assert booked["guestEmails"] == ["ana.lima@example.com"]
        stored = await core.store.get(outcome.record.key)
        assert stored is not None and stored.status == "booked"
        assert stored.start == slot.start
        # HubSpot no longer offers the slot, and Booker does not show it from a stale cache.
        assert slot.start not in [free.start for free in await core.free_slots()]


async def test_the_same_submission_twice_books_once(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        first = await core.booking.book(core.submission(start))
        again = await core.booking.book(core.submission(start))

        assert core.book_calls() == 1
        assert again.duplicate and again.status == "booked"
        assert again.record.calendar_event_id == first.record.calendar_event_id


async def test_the_same_submission_at_once_from_two_callers_books_once(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        outcomes = await asyncio.gather(
            core.booking.book(core.submission(start)), core.booking.book(core.submission(start))
        )

        assert core.book_calls() == 1
        assert sorted(outcome.duplicate for outcome in outcomes) == [False, True]
        assert {outcome.status for outcome in outcomes} == {"booked"}


async def test_no_answer_in_time_is_unknown_and_never_booked_again(tmp_path: Path) -> None:
    async with booking_core(tmp_path, read_timeout=0.3) as core:
        start = (await core.free_slots())[0].start
        # HubSpot books it, then answers after the read timeout.
        core.arm(Fault(operation="book", kind="timeout", delay_seconds=5))
        outcome = await core.booking.book(core.submission(start))

        assert outcome.status == "unknown"
        assert len(core.sandbox.bookings) == 1  # it did book
        again = await core.booking.book(core.submission(start))
        assert again.duplicate and again.status == "unknown"
        assert core.book_calls() == 1
        # "Check again": HubSpot no longer offers the slot, so it is most likely ours.
        assert await core.booking.recheck_unknown(outcome.record.key) is True


async def test_a_server_error_on_booking_is_unknown_not_failed(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        core.arm(Fault(operation="book", kind="status", status=503))
        outcome = await core.booking.book(core.submission(start))

        assert outcome.status == "unknown"
        assert core.book_calls() == 1  # a booking is never retried on its own
        # HubSpot still offers the slot: it booked nothing, so the form may book it again.
        assert await core.booking.recheck_unknown(outcome.record.key) is False
        retried = await core.booking.book(core.submission(start))
        assert retried.status == "booked" and core.book_calls() == 2


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (Fault(operation="book", status=401), "auth"),
        (Fault(operation="book", status=403), "scope"),
        (Fault(operation="book", kind="daily"), "rate_limited_daily"),
    ],
)
async def test_a_refusal_is_failed_with_its_code_and_may_be_sent_again(
    tmp_path: Path, fault: Fault, code: str
) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        core.arm(fault)
        outcome = await core.booking.book(core.submission(start))

        assert outcome.status == "failed" and outcome.record.error_code == code
        assert core.sandbox.bookings == []
        # HubSpot surely booked nothing: the same form sent again is a new attempt.
        retried = await core.booking.book(core.submission(start))
        assert retried.status == "booked"


async def test_a_page_that_does_not_exist_fails_before_any_booking_call(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        outcome = await core.booking.book(core.submission(start, slug="no-such-page"))

        assert outcome.status == "failed" and outcome.record.error_code == "page_not_found"
        assert core.book_calls() == 0


async def test_a_refused_guest_email_keeps_hubspots_field_and_reason(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        outcome = await core.booking.book(core.submission(start, email="ana@spam.example"))

        assert outcome.status == "failed" and outcome.record.error_code == "validation"
        refusal = Refusal.read(outcome.record.error_message)
        assert [(p.field, p.code) for p in refusal.problems] == [("email", "INVALID_EMAIL_GUESTS")]


async def test_a_slot_someone_else_took_is_slot_taken(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        start = (await core.free_slots())[0].start
        await core.booking.book(core.submission(start, key="V0OTHER:x", email="bo@example.com"))
        outcome = await core.booking.book(core.submission(start))

        assert outcome.status == "failed" and outcome.record.error_code == "slot_taken"
        assert len(core.sandbox.bookings) == 1


async def test_a_start_in_the_past_is_refused_by_the_parser_and_by_hubspot(
    tmp_path: Path,
) -> None:
    async with booking_core(tmp_path) as core:
        preview = await core.booking.preview(
            slug="demo", when_text="yesterday 3pm", tz=ZONE, locale="en-US", duration_minutes=30
        )
        assert preview.parsed.error is ParseError.PAST and preview.free is None

        start = (await core.free_slots())[0].start
        core.clock.advance(start - core.clock() + timedelta(hours=1))  # the slot is now past
        outcome = await core.booking.book(core.submission(start))
        assert outcome.status == "failed" and outcome.record.error_code == "slot_taken"
        assert core.sandbox.bookings == []


async def test_preview_says_free_or_busy_with_the_nearest_free_slots(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        slot = (await core.free_slots())[0]
        text = slot.start.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")
        free = await core.booking.preview(
            slug="demo", when_text=text, tz=ZONE, locale="en-US", duration_minutes=30
        )
        assert free.free is True and free.start == slot.start

        await core.booking.book(core.submission(slot.start))
        busy = await core.booking.preview(
            slug="demo", when_text=text, tz=ZONE, locale="en-US", duration_minutes=30
        )
        assert busy.free is False
        assert busy.nearest and slot.start not in [s.start for s in busy.nearest]


def test_each_hubspot_error_has_its_message_code() -> None:
    assert hs.BookingOutcomeUnknownError("x").code == "unknown"
    assert hs.SlotUnavailableError("x").code == "slot_taken"
    assert hs.ValidationError("x").code == "validation"
    assert hs.RateLimitedError("x", policy_name="DAILY").code == "rate_limited_daily"
    assert hs.RateLimitedError("x").code == "rate_limited"
    assert hs.MalformedResponseError("x").code == "server"
    assert hs.TransportError("x").code == "unreachable"
    assert hs.NotConnectedError("x").code == "auth"
    assert hs.RefreshTokenRevoked("x").code == "auth"
    assert hs.OAuthClientError("x").code == "server"
    assert hs.HubSpotError("x").code == "server"


def _all_subclasses(kind: type[hs.HubSpotError]) -> list[type[hs.HubSpotError]]:
    return [kind] + [sub for direct in kind.__subclasses__() for sub in _all_subclasses(direct)]


def test_every_hubspot_error_code_has_a_message_in_every_language() -> None:
    from bot.flow import HUBSPOT_MESSAGE_KEYS
    from bot.i18n import Catalog

    catalog = Catalog.load()
    codes = {kind("x").code for kind in _all_subclasses(hs.HubSpotError)} | {"rate_limited_daily"}
    codes.discard("validation")  # HubSpot's own words on the field (bot/flow.py)
    for locale in ("en-US", "pt-BR", "es"):
        t = catalog.for_locale(locale)
        for code in codes:
            key = HUBSPOT_MESSAGE_KEYS[code]
            assert t.t(key) != key, (locale, code)
