"""The after-ack outbox (booking_steps) and the reconciler's claim, with two stores on one
database standing for two Booker processes (or machines)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store import Step, StepLeases, Store
from tests.store.conftest import DraftFactory

T0 = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def test_a_stale_pending_row_is_reconciled_by_exactly_one_process(
    database_url: str, make_draft: DraftFactory
) -> None:
    clock = Clock()
    first = await Store.open(database_url, clock=clock)
    second = await Store.open(database_url, clock=clock)
    try:
        await first.claim("V1:stale", make_draft())
        await first.claim("V1:fresh", make_draft())
        clock.now = T0 + timedelta(seconds=90)
        await first.mark_booked(
            "V1:fresh",
            calendar_event_id="e1",
            contact_id=None,
            web_conference_url=None,
            location=None,
            start=T0 + timedelta(days=1),
            end=T0 + timedelta(days=1, minutes=30),
        )
        leases = [StepLeases(owner=name, clock=clock) for name in ("one", "two")]
        turned = await asyncio.gather(
            *(
                store.expire_pending(
                    older_than=clock.now - timedelta(seconds=60),
                    error_message="interrupted",
                    steps=lease.claim(Step.ANNOUNCE),
                )
                for store, lease in zip((first, second), leases, strict=True)
            )
        )
        assert sorted(len(records) for records in turned) == [0, 1]
        [record] = turned[0] or turned[1]
        assert record.key == "V1:stale" and record.status == "unknown"
        winner = "one" if turned[0] else "two"
        assert await first.steps_of("V1:stale", owner=winner) == [Step.ANNOUNCE]
    finally:
        await first.close()
        await second.close()


async def test_steps_are_claimed_once_resumed_after_their_lease_and_released_at_a_stop(
    database_url: str, make_draft: DraftFactory
) -> None:
    clock = Clock()
    store = await Store.open(database_url, clock=clock)
    try:
        await store.claim("V1:k", make_draft())
        dead = StepLeases(60, owner="dead", clock=clock)
        await store.mark_booked(
            "V1:k",
            calendar_event_id="e1",
            contact_id=None,
            web_conference_url=None,
            location=None,
            start=T0 + timedelta(days=1),
            end=T0 + timedelta(days=1, minutes=30),
            steps=dead.claim(Step.MODAL, Step.CARD, Step.REMINDER),
        )
        # Held by the process that booked: nobody else may take them, nothing is due.
        assert await store.due_steps(now=clock.now) == []
        assert not await store.claim_step("V1:k", Step.CARD, owner="other", until=dead.until())
        await store.finish_step("V1:k", Step.MODAL)

        clock.now += timedelta(seconds=61)  # its lease lapsed: the process is presumed dead
        due = await store.due_steps(now=clock.now)
        assert [(d.booking_key, d.step) for d in due] == [
            ("V1:k", Step.CARD),
            ("V1:k", Step.REMINDER),
        ]
        claims = await asyncio.gather(
            *(
                store.claim_step("V1:k", Step.CARD, owner=name, until=clock.now + timedelta(60))
                for name in ("a", "b")
            )
        )
        assert sorted(claims) == [False, True]
        winner = "a" if claims[0] else "b"
        assert await store.steps_of("V1:k", owner=winner) == [Step.CARD]

        # A graceful stop releases what it held: due at once for the next start.
        assert await store.release_steps(winner) == 1
        assert [d.step for d in await store.due_steps(now=clock.now)] == [
            Step.CARD,
            Step.REMINDER,
        ]
    finally:
        await store.close()
