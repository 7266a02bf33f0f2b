"""The ledger's behaviour, on a SQLite file and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.store import (
    BookingNotFound,
    BookingStatus,
    InvalidTransition,
    Preferences,
    Store,
)
from tests.store.conftest import DraftFactory

SAO_PAULO = timezone(timedelta(hours=-3))


async def test_first_claim_records_a_pending_booking(
    store: Store, make_draft: DraftFactory
) -> None:
    draft = make_draft(thread_ts="1700000000.000100")

    record, created = await store.claim("V1:abc", draft)

    assert created is True
    assert record.key == "V1:abc"
    assert record.status is BookingStatus.PENDING
    assert (record.team_id, record.channel_id, record.user_id) == ("T1", "C1", "U1")
    assert (record.page_slug, record.page_name) == ("demo", "Product demo")
    assert record.start == draft.start
    assert record.end == draft.start + timedelta(minutes=30)
    assert record.duration_minutes == 30
    assert record.guest_email == "ana@acme.example"
    assert record.thread_ts == "1700000000.000100"
    assert record.calendar_event_id is None
    assert record.created_at == record.updated_at
    assert await store.get("V1:abc") == record


async def test_second_claim_of_a_key_returns_the_first_booking_untouched(
    store: Store, make_draft: DraftFactory
) -> None:
    first, _ = await store.claim("V1:abc", make_draft())
    await store.mark_booked(
        "V1:abc",
        calendar_event_id="evt-1",
        contact_id="501",
        web_conference_url="https://meet.example/abc",
        location=None,
        start=first.start,
        end=first.end,
    )

    again, created = await store.claim("V1:abc", make_draft(guest_first_name="Someone else"))

    assert created is False
    assert again.status is BookingStatus.BOOKED
    assert again.guest_first_name == "Ana"
    assert again.web_conference_url == "https://meet.example/abc"


async def test_concurrent_claims_in_one_process_create_exactly_once(
    store: Store, make_draft: DraftFactory
) -> None:
    results = await asyncio.gather(*(store.claim("V1:race", make_draft()) for _ in range(8)))

    assert sum(created for _, created in results) == 1
    assert len({record.created_at for record, _ in results}) == 1


async def test_datetimes_come_back_aware_utc_for_the_same_instant(
    store: Store, make_draft: DraftFactory
) -> None:
    local_start = datetime(2031, 3, 4, 12, 30, tzinfo=SAO_PAULO)
    await store.claim("V1:tz", make_draft(start=local_start))

    record = await store.get("V1:tz")

    assert record is not None
    assert record.start == local_start
    assert record.start.tzinfo is UTC
    assert record.start.hour == 15
    assert record.created_at.tzinfo is UTC
    assert record.updated_at.tzinfo is UTC


async def test_mark_booked_keeps_what_hubspot_confirmed(
    store: Store, make_draft: DraftFactory
) -> None:
    draft = make_draft()
    await store.claim("V1:book", draft)
    confirmed_start = draft.start + timedelta(minutes=15)

    record = await store.mark_booked(
        "V1:book",
        calendar_event_id="evt-9",
        contact_id="777",
        web_conference_url="https://meet.example/xyz",
        location="Room 4",
        start=confirmed_start,
        end=confirmed_start + timedelta(minutes=45),
    )

    assert record.status is BookingStatus.BOOKED
    assert (record.calendar_event_id, record.contact_id) == ("evt-9", "777")
    assert record.web_conference_url == "https://meet.example/xyz"
    assert record.location == "Room 4"
    assert record.start == confirmed_start
    assert record.duration_minutes == 45
    assert record.updated_at >= record.created_at
    assert await store.get("V1:book") == record


async def test_mark_failed_records_the_reason(store: Store, make_draft: DraftFactory) -> None:
    await store.claim("V1:fail", make_draft())

    record = await store.mark_failed(
        "V1:fail", error_code="slot_taken", error_message="That time is no longer free"
    )

    assert record.status is BookingStatus.FAILED
    assert record.error_code == "slot_taken"
    assert record.error_message == "That time is no longer free"


async def test_an_unknown_booking_can_later_be_confirmed(
    store: Store, make_draft: DraftFactory
) -> None:
    draft = make_draft()
    await store.claim("V1:unk", draft)

    unknown = await store.mark_unknown("V1:unk", error_message="HubSpot did not answer in time")
    booked = await store.mark_booked(
        "V1:unk",
        calendar_event_id="evt-2",
        contact_id="12",
        web_conference_url=None,
        location=None,
        start=draft.start,
        end=draft.end,
    )

    assert unknown.status is BookingStatus.UNKNOWN
    assert unknown.error_message == "HubSpot did not answer in time"
    assert booked.status is BookingStatus.BOOKED
    assert booked.error_message is None


async def test_a_booked_meeting_cannot_be_marked_failed_or_unknown(
    store: Store, make_draft: DraftFactory
) -> None:
    draft = make_draft()
    await store.claim("V1:final", draft)
    booked = await store.mark_booked(
        "V1:final",
        calendar_event_id="evt-3",
        contact_id="1",
        web_conference_url="https://meet.example/f",
        location=None,
        start=draft.start,
        end=draft.end,
    )

    with pytest.raises(InvalidTransition, match="booked"):
        await store.mark_failed("V1:final", error_code="late", error_message="late error")
    with pytest.raises(InvalidTransition):
        await store.mark_unknown("V1:final", error_message="late timeout")

    assert await store.get("V1:final") == booked


async def test_changing_a_missing_booking_says_so(store: Store) -> None:
    with pytest.raises(BookingNotFound):
        await store.mark_failed("nope", error_code="x", error_message="y")
    with pytest.raises(BookingNotFound):
        await store.set_message("nope", channel="C1", ts="1.2")
    with pytest.raises(BookingNotFound):
        await store.set_reminder(
            "nope", scheduled_message_id="Q1", post_at=datetime(2031, 1, 1, tzinfo=UTC)
        )
    assert await store.get("nope") is None


async def test_message_and_reminder_are_remembered(store: Store, make_draft: DraftFactory) -> None:
    draft = make_draft()
    await store.claim("V1:msg", draft)
    post_at = datetime(2031, 3, 4, 12, 20, tzinfo=SAO_PAULO)

    await store.set_message("V1:msg", channel="C9", ts="1712345678.000200")
    await store.set_reminder("V1:msg", scheduled_message_id="Q1298393284", post_at=post_at)

    record = await store.get("V1:msg")
    assert record is not None
    assert (record.message_channel, record.message_ts) == ("C9", "1712345678.000200")
    assert record.reminder_id == "Q1298393284"
    assert record.reminder_at == post_at
    assert record.reminder_at is not None and record.reminder_at.tzinfo is UTC


async def test_upcoming_lists_only_the_persons_live_meetings_soonest_first(
    store: Store, make_draft: DraftFactory
) -> None:
    now = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)

    async def booked(key: str, start: datetime, **overrides: object) -> None:
        draft = make_draft(start=start, **overrides)
        await store.claim(key, draft)
        await store.mark_booked(
            key,
            calendar_event_id=f"evt-{key}",
            contact_id="1",
            web_conference_url=None,
            location=None,
            start=draft.start,
            end=draft.end,
        )

    await booked("later", now + timedelta(days=2))
    await booked("soon", now + timedelta(hours=1))
    await booked("in-progress", now - timedelta(minutes=20))  # 30 min long: ends in 10 min
    await booked("ended", now - timedelta(minutes=31))
    await booked("other-user", now + timedelta(hours=2), user_id="U2")
    await booked("other-team", now + timedelta(hours=2), team_id="T2")
    await store.claim("pending", make_draft(start=now + timedelta(hours=3)))
    await store.claim("failed", make_draft(start=now + timedelta(hours=3)))
    await store.mark_failed("failed", error_code="x", error_message="y")
    await store.claim("unknown", make_draft(start=now + timedelta(hours=4)))
    await store.mark_unknown("unknown", error_message="no answer")

    upcoming = await store.upcoming_for_user("T1", "U1", now=now)

    assert [record.key for record in upcoming] == ["in-progress", "soon", "unknown", "later"]
    assert [r.key for r in await store.upcoming_for_user("T1", "U1", now=now, limit=2)] == [
        "in-progress",
        "soon",
    ]


async def test_preferences_are_absent_then_saved_then_replaced(store: Store) -> None:
    assert await store.get_preferences("T1", "U1") is None

    first = Preferences(
        "T1",
        "U1",
        last_page_slug="demo",
        duration_minutes=30,
        timezone="America/Sao_Paulo",
        language="pt",
    )
    await store.save_preferences(first)
    assert await store.get_preferences("T1", "U1") == first

    second = Preferences(
        "T1",
        "U1",
        last_page_slug="intro",
        duration_minutes=45,
        timezone="Europe/Madrid",
        language="es",
    )
    await store.save_preferences(second)
    await store.save_preferences(Preferences("T1", "U2", last_page_slug="other"))

    assert await store.get_preferences("T1", "U1") == second
    assert await store.get_preferences("T1", "U2") == Preferences("T1", "U2", "other")
    assert await store.get_preferences("T2", "U1") is None


async def test_naive_datetimes_are_refused(store: Store, make_draft: DraftFactory) -> None:
    with pytest.raises(ValueError, match="aware"):
        make_draft(start=datetime(2031, 3, 4, 15, 30))
    with pytest.raises(ValueError, match="aware"):
        await store.upcoming_for_user("T1", "U1", now=datetime(2031, 3, 4))


async def test_ping_answers_when_the_database_is_there(store: Store) -> None:
    await store.ping()


def test_guest_email_never_appears_in_a_records_repr(make_draft: DraftFactory) -> None:
    assert "ana@acme.example" not in repr(make_draft())


async def test_a_failed_booking_can_be_reclaimed_once_for_another_try(
    store: Store, make_draft: DraftFactory
) -> None:
    await store.claim("V1:retry", make_draft())
    await store.mark_failed("V1:retry", error_code="hubspot_down", error_message="HubSpot 503")

    outcomes = await asyncio.gather(*(store.reclaim_failed("V1:retry") for _ in range(4)))

    assert sum(reclaimed for _, reclaimed in outcomes) == 1
    record = await store.get("V1:retry")
    assert record is not None
    assert record.status is BookingStatus.PENDING
    assert record.error_code is None and record.error_message is None


async def test_only_failed_bookings_are_reclaimed(store: Store, make_draft: DraftFactory) -> None:
    await store.claim("V1:pending", make_draft())

    record, reclaimed = await store.reclaim_failed("V1:pending")

    assert reclaimed is False
    assert record.status is BookingStatus.PENDING
    with pytest.raises(BookingNotFound):
        await store.reclaim_failed("missing")


async def test_a_second_timeout_keeps_the_booking_unknown_with_the_latest_reason(
    store: Store, make_draft: DraftFactory
) -> None:
    await store.claim("V1:twice", make_draft())
    await store.mark_unknown("V1:twice", error_message="first timeout")

    record = await store.mark_unknown("V1:twice", error_message="second timeout")

    assert record.status is BookingStatus.UNKNOWN
    assert record.error_message == "second timeout"


async def test_created_and_updated_times_come_from_the_stores_clock(
    database_url: str, make_draft: DraftFactory
) -> None:
    moments = iter(
        [datetime(2031, 1, 1, 9, 0, tzinfo=UTC), datetime(2031, 1, 1, 9, 5, tzinfo=SAO_PAULO)]
    )
    store = await Store.open(database_url, clock=lambda: next(moments))
    try:
        created, _ = await store.claim("V1:clock", make_draft())
        failed = await store.mark_failed("V1:clock", error_code="x", error_message="y")
    finally:
        await store.close()

    assert created.created_at == datetime(2031, 1, 1, 9, 0, tzinfo=UTC)
    assert failed.created_at == created.created_at
    assert failed.updated_at == datetime(2031, 1, 1, 12, 5, tzinfo=UTC)
    assert failed.updated_at.tzinfo is UTC
