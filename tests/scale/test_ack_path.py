"""The ack path never waits on what after-ack work holds (issue 16): the ledger's connections.

Bookings after their acks hold ledger connections (through HubSpot's answer) and, under a burst,
every one of them. A submission's check for a duplicate runs before Slack's ack; it must still
answer, and answer right, with the whole after-ack pool taken.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import flow as flow_module
from bot.devtools.sandbox import SandboxConfig
from tests.conftest import NOW, start_booker

NAMES = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


async def test_a_submission_is_acked_and_its_duplicate_seen_with_every_after_ack_connection_held(
    backend: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(
        tmp_path, sandbox=SandboxConfig(clock=lambda: NOW), **backend
    ) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        first = await booker.submit(view, NAMES)
        assert first["response_action"] == "update"
        await booker.posted(1)

        engine = booker.services.store.engine
        pool = engine.sync_engine.pool
        held_count = pool.size() + pool._max_overflow  # type: ignore[attr-defined]
        async with contextlib.AsyncExitStack() as held:
            # Every connection after-ack work could use is taken, as under a burst of bookings.
            connections: list[AsyncConnection] = [
                await held.enter_async_context(engine.connect()) for _ in range(held_count)
            ]
            assert len(connections) == held_count
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="bot.flow"):
                again = await booker.submit(view, NAMES)
            # Acked with "Booking…", and as the same booking (the ledger was read, not skipped):
            # no "could not check" warning, no second book call.
            assert again["response_action"] == "update"
            assert not [r for r in caplog.records if "ledger unavailable" in r.getMessage()]
        await booker.until(lambda: len(booker.double.calls_to("views.update")) >= 3, seconds=15)
        assert booker.sandbox.book_calls == 1


async def test_a_submission_is_acked_when_even_the_ack_paths_own_pool_is_taken(
    backend: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Busier still: every connection of the ack path's pool is taken too. The check for a
    duplicate is skipped (the claim after the ack still stops a second booking); Slack gets its
    "Booking…" answer, not an HTTP 500, and the booking goes through once."""
    # The pool's own wait runs out first (under a busy loop it can, whatever the two bounds).
    monkeypatch.setattr(flow_module, "DUPLICATE_CHECK_SECONDS", 5.0)
    sandbox = SandboxConfig(clock=lambda: NOW)
    async with start_booker(tmp_path, sandbox=sandbox, **backend) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        store = booker.services.store
        ack_engine = store._ack_engine
        if ack_engine is store.engine:
            pytest.skip("an in-memory ledger has one connection")
        pool = ack_engine.sync_engine.pool
        async with contextlib.AsyncExitStack() as held:
            for _ in range(pool.size() + pool._max_overflow):  # type: ignore[attr-defined]
                await held.enter_async_context(ack_engine.connect())
            answer = await booker.slack.view_submission(view, NAMES)
            assert answer.status_code == 200, answer.text
            assert answer.json()["response_action"] == "update"
        await booker.posted(1)
        assert booker.sandbox.book_calls == 1
