"""Runs in a spawned process: open the ledger, wait for the sibling, claim the same keys."""

from __future__ import annotations

import asyncio
import traceback
from datetime import UTC, datetime
from multiprocessing.synchronize import Barrier
from queue import Queue

from bot.store import BookingDraft, Store

# What a worker reports per key: (key, created), or ("error", traceback) if it broke.
Outcome = tuple[str, bool | str]


def claim_in_lockstep(
    database_url: str, keys: list[str], barrier: Barrier, results: Queue[Outcome]
) -> None:
    try:
        asyncio.run(_claim_all(database_url, keys, barrier, results))
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise


async def _claim_all(
    database_url: str, keys: list[str], barrier: Barrier, results: Queue[Outcome]
) -> None:
    store = await Store.open(database_url)
    try:
        await store.ping()  # connection already made, so the claims start together
        draft = BookingDraft(
            team_id="T1",
            channel_id="C1",
            user_id="U1",
            page_slug="demo",
            page_name="Demo",
            start=datetime(2031, 5, 6, 14, 0, tzinfo=UTC),
            duration_minutes=30,
            timezone="UTC",
            guest_email="guest@example.com",
            guest_first_name="Guest",
            guest_last_name="Person",
        )
        for key in keys:
            barrier.wait(timeout=60)
            _record, created = await store.claim(key, draft)
            results.put((key, created))
    finally:
        await store.close()
