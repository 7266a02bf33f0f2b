"""Booker's own process dies at the worst moments of a booking (SIGKILL: OOM, a lost machine),
then starts again on the same ledger: nothing is booked twice, nothing is left unannounced."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from bot.i18n import Catalog
from tests.restart.conftest import ledger, rig  # noqa: F401  (ledger: the fixture)
from tests.restart.test_stop_and_crash import button, text_of, title
from tests.store.conftest import _asyncpg_dsn

T = Catalog.load().for_locale("en-US")
BOOK_ANSWERED = "POST /scheduler/v3/meetings/meeting-links/book status=200"


@contextlib.asynccontextmanager
async def ledger_writes_held(database_url: str) -> AsyncIterator[None]:
    """Every write to the ledger waits while this is open (another writer holds the lock)."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    schema = make_url(database_url).query["options"]
    search_path = str(schema).split("search_path=")[1]
    connection = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute(f'LOCK TABLE "{search_path}".bookings IN EXCLUSIVE MODE')
        try:
            yield
        finally:
            await transaction.rollback()
    finally:
        await connection.close()


async def metric(port: int, name: str, labels: dict[str, str] | None = None) -> float:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == (labels or {}):
                return float(sample.value)
    return 0.0


async def test_process_dies_between_hubspots_answer_and_the_ledger_write(
    tmp_path: Path,
    ledger: str,  # noqa: F811
) -> None:
    """HubSpot booked and answered; the process dies before the ledger heard it. The next start
    makes the row unknown within a pass, tells the person, and Check again settles it as booked
    (slot taken) with its card; HubSpot's book endpoint is called once in all."""
    async with rig(tmp_path, "http", ledger) as running:
        first = await running.start("first")
        view = await running.booking_in_flight()  # claimed: the row is pending
        async with ledger_writes_held(ledger):  # while HubSpot still holds its answer back
            await running.until(lambda: BOOK_ANSWERED in first.log(), "HubSpot's answer read")
            first.process.send_signal(signal.SIGKILL)
            await first.exit_code(5)
        assert await running.statuses() == ["pending"]

        await running.start("second")
        await running.until(
            lambda: title(running, view["id"]) == T.t("error.outcome_unknown_title"),
            "the person told",
        )
        assert await running.statuses() == ["unknown"]
        told = running.view(view["id"])
        assert "HubSpot may have booked it" in text_of(told)
        assert await metric(running.port, "bookbot_reconciled_bookings_total") == 1

        await running.click_in_view(told, button(told, "check_again"))
        await running.until(lambda: title(running, view["id"]) == T.t("result.title"), "booked")
        await running.until(lambda: len(running.double.messages) == 1, "the card")
        await running.until_status("booked")
        assert running.sandbox.book_calls == 1


async def test_process_dies_after_the_ledger_write_before_the_card(
    tmp_path: Path,
    ledger: str,  # noqa: F811
) -> None:
    """The ledger says booked, the card is not posted yet (Slack asked to wait) when the process
    dies. The next start carries out the card step: one card, no second booking."""
    async with rig(tmp_path, "http", ledger) as running:
        first = await running.start("first")
        running.double.fail_next("chat.postMessage", "ratelimited", retry_after=60)
        view = await running.booking_in_flight()
        await running.until_status("booked")
        await running.until(lambda: len(running.double.calls_to("chat.postMessage")) == 1, "post")
        assert title(running, view["id"]) == T.t("result.title")
        killed = time.monotonic()
        first.process.send_signal(signal.SIGKILL)
        await first.exit_code(5)
        assert running.double.messages == []

        await running.start("second")
        await running.until(lambda: len(running.double.messages) == 1, "the card, resumed")
        resumed = time.monotonic() - killed
        card: dict[str, Any] = running.double.messages[0]
        assert "Ana Souza" in text_of(card)
        assert await metric(running.port, "bookbot_resumed_steps_total", {"step": "card"}) == 1
        await asyncio.sleep(1.0)  # a second card, if any, would come within a pass or two
        assert len(running.double.messages) == 1
        assert running.sandbox.book_calls == 1
        assert await running.statuses() == ["booked"]
        print(f"\n[restart] card resumed {resumed:.2f} s after the kill")
