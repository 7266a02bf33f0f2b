"""Two `bookbot run` processes in Socket Mode behind one Slack app, sharing one PostgreSQL ledger
and one HubSpot: when Slack delivers the same submission to both connections (it redelivers when
an ack is late), HubSpot is asked to book exactly once, one card is posted, and the modal shows
the booking."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn

from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from tests.services import need_postgres
from tests.socket_mode.conftest import (
    PERSON,
    SocketSlack,
    connected,
    free_slot,
    running,
    socket_env,
    start_bookbot,
    words_for,
)
from tests.socket_mode.test_socket_mode import GUEST, join_buttons, texts
from tests.store.conftest import _asyncpg_dsn, with_search_path

HUBSPOT_TOKEN = "pat-na1-socket-mode-two-processes"


@pytest.fixture
async def ledger_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL schema of its own (skipped, saying why, if PostgreSQL is down)."""
    postgres_url = need_postgres()
    connection = await asyncpg.connect(_asyncpg_dsn(postgres_url), timeout=3)
    schema = f"t_{secrets.token_hex(6)}"
    try:
        await connection.execute(f'CREATE SCHEMA "{schema}"')
        yield with_search_path(postgres_url, schema)
    finally:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await connection.close()


@contextlib.asynccontextmanager
async def hubspot_over_http() -> AsyncIterator[tuple[str, object]]:
    """The sandbox on a real port with a token, as a stand-in HubSpot both processes share."""
    app = create_sandbox_app(SandboxConfig(access_token=HUBSPOT_TOKEN))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def two_bookers(
    tmp_path: Path, slack: SocketSlack, ledger_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, Any]]]:
    """Two `bookbot run` processes connected over Socket Mode, a /book modal opened through the
    first; yields a client of the shared HubSpot and the submission of that modal."""
    async with hubspot_over_http() as (hubspot_url, sandbox_app):
        when = words_for(await free_slot(sandbox_app))
        env = socket_env(slack, ledger_url) | {
            "HUBSPOT_BASE_URL": hubspot_url,
            "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
        }
        first = await start_bookbot(tmp_path, "first", env)
        second = await start_bookbot(tmp_path, "second", env)
        async with running([first, second]), httpx.AsyncClient(base_url=hubspot_url) as hubspot:
            await connected(slack, [first, second])
            await slack.slash_command(f"demo {when} ana@acme.com", connection=0)
            view = slack.view()
            yield hubspot, slack.double.view_submission_payload(view, GUEST, user_id=PERSON)


async def test_a_submission_delivered_to_both_processes_at_once_books_once(
    tmp_path: Path, slack: SocketSlack, ledger_url: str
) -> None:
    async with two_bookers(tmp_path, slack, ledger_url) as (hubspot, submission):
        envelopes = await slack.double.socket.push_to_each("interactive", submission)
        acks = [await slack.double.socket.ack(envelope, timeout=20) for envelope in envelopes]
        assert sorted(slack.double.socket.acked_on[e] for e in envelopes) == [0, 1]
        # Both answer "Booking…", neither an error: the second is the person's own booking.
        assert [a["payload"]["response_action"] for a in acks] == ["update", "update"], acks
        await slack.until(lambda: slack.count("chat.postMessage") >= 1, "the channel card")
        view_id = submission["view"]["id"]
        await slack.until(lambda: len(result_updates(slack, view_id)) >= 2, "both results")
        await asyncio.sleep(1.0)  # a second booking or card, if any, would come now
        stats = (await hubspot.get("/_sandbox/stats")).json()
        assert stats["book_calls"] == 1
        assert len(stats["bookings"]) == 1
        assert slack.count("chat.postMessage") == 1
        assert len(join_buttons(slack.double.messages[0])) == 1
        assert all("booked" in texts(v).lower() for v in result_updates(slack, view_id))


async def test_a_redelivered_submission_shows_the_booking_not_an_error(
    tmp_path: Path, slack: SocketSlack, ledger_url: str
) -> None:
    """Slack redelivers a submission whose ack came late: by then the first process has
    booked it. The second process must answer with the booking, not with an error."""
    async with two_bookers(tmp_path, slack, ledger_url) as (hubspot, submission):
        first = await slack.double.socket.push("interactive", submission, connection=0)
        assert (await slack.double.socket.ack(first, timeout=20))["payload"][
            "response_action"
        ] == "update"
        await slack.until(lambda: slack.count("chat.postMessage") >= 1, "the channel card")

        again = await slack.double.socket.push("interactive", submission, connection=1)
        answer = (await slack.double.socket.ack(again, timeout=20))["payload"]
        assert slack.double.socket.acked_on[again] == 1
        assert (await hubspot.get("/_sandbox/stats")).json()["book_calls"] == 1
        assert answer["response_action"] == "update", answer
        view_id = submission["view"]["id"]
        await slack.until(lambda: len(result_updates(slack, view_id)) >= 2, "both results")
        assert all("booked" in texts(v).lower() for v in result_updates(slack, view_id))
        assert slack.count("chat.postMessage") == 1


def result_updates(slack: SocketSlack, view_id: str) -> list[dict[str, object]]:
    """views.update calls on the modal after the submission that show an outcome."""
    updates = [
        dict(call.params["view"])
        for call in slack.double.calls_to("views.update")
        if call.params.get("view_id") == view_id
    ]
    return [v for v in updates if "booked" in texts(v).lower() or "could not" in texts(v).lower()]
