"""The same submission reaching two app processes at once books once (PostgreSQL ledger).

Two Booker workers run as separate processes (the app `bookbot run` serves, under uvicorn) on one
PostgreSQL schema; HubSpot is the sandbox served over HTTP with a token; Slack is one Web API
double. Slack delivers the same signed view_submission to both workers at the same moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.process import BaseProcess
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import uvicorn

from bot.config import Settings
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.hubspot.client import HubSpotClient
from tests.e2e._app_process import serve
from tests.store.conftest import (  # noqa: F401  (fixtures)
    _asyncpg_dsn,
    fresh_postgres_url,
    postgres_url,
)

BOT_TOKEN = "xoxb-two-workers"
HUBSPOT_TOKEN = "pat-na1-two-workers-0000"
PERSON = "U0PERSON"
ZONE = "America/New_York"
START_SECONDS = 90


@dataclass
class Worker:
    process: BaseProcess
    slack: SlackRequests


@contextlib.asynccontextmanager
async def sandbox_over_http() -> AsyncIterator[str]:
    app = create_sandbox_app(SandboxConfig(access_token=HUBSPOT_TOKEN))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def free_slot(sandbox_url: str) -> datetime:
    """A free 30-minute slot of "demo" at least a day ahead, as HubSpot advertises it."""
    settings = Settings(HUBSPOT_ACCESS_TOKEN=HUBSPOT_TOKEN, HUBSPOT_BASE_URL=sandbox_url)
    soon = datetime.now(UTC) + timedelta(days=1)
    async with HubSpotClient.from_settings(settings) as hubspot:
        for month in (0, 1):
            availability = await hubspot.get_availability("demo", timezone=ZONE, month_offset=month)
            later = [s.start for s in availability.slots(30, zone=ZoneInfo(ZONE)) if s.start > soon]
            if later:
                return later[0]
    raise AssertionError("the sandbox advertises no free slot on demo")


async def start_workers(environ: dict[str, str], secret: str) -> list[Worker]:
    context = multiprocessing.get_context("spawn")
    ports: Any = context.Queue()
    processes = [context.Process(target=serve, args=(environ, ports)) for _ in range(2)]
    for process in processes:
        process.start()
    workers = []
    for process in processes:
        answer = await asyncio.to_thread(ports.get, True, START_SECONDS)
        assert isinstance(answer, int), f"a worker did not start:\n{answer}"
        http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{answer}", timeout=30)
        workers.append(Worker(process, SlackRequests(http, secret, user_id=PERSON)))
    return workers


async def until(condition: Any, seconds: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "expected Slack call never came"
        await asyncio.sleep(0.05)


async def stats(sandbox_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=sandbox_url) as http:
        answer = await http.get("/_sandbox/stats")
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result


async def ledger_rows(database_url: str) -> list[asyncpg.Record]:
    schema = database_url.rsplit("search_path%3D", 1)[-1]
    connection = await asyncpg.connect(_asyncpg_dsn(database_url.split("?", 1)[0]))
    try:
        return await connection.fetch(f'SELECT key, status FROM "{schema}".bookings')
    finally:
        await connection.close()


async def test_one_submission_sent_to_two_app_processes_books_once(
    fresh_postgres_url: str,  # noqa: F811
) -> None:
    secret = secrets.token_hex(16)
    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    double.add_user(PERSON, tz=ZONE, locale="en-US", name="Dana")
    workers: list[Worker] = []
    try:
        async with sandbox_over_http() as sandbox_url:
            environ = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": double.base_url,
                "DATABASE_URL": fresh_postgres_url,
                "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                "HUBSPOT_BASE_URL": sandbox_url,
            }
            slot = await free_slot(sandbox_url)
            workers = await start_workers(environ, secret)
            first, second = workers

            when = slot.strftime("%Y-%m-%d %H:%M")
            assert (await first.slack.slash_command(f"demo {when} ana@acme.com")).status_code == 200
            await until(lambda: bool(double.calls_to("views.update")))
            view = dict(list(double.views.values())[-1])
            preview = next(b for b in view["blocks"] if b.get("block_id") == "when_preview")
            assert "*Free:*" in preview["text"]["text"], preview

            updates = len(double.calls_to("views.update"))
            guest = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
            answers = await asyncio.gather(
                first.slack.view_submission(view, guest), second.slack.view_submission(view, guest)
            )
            assert [answer.status_code for answer in answers] == [200, 200]
            assert [answer.json()["response_action"] for answer in answers] == ["update"] * 2

            # Each worker shows the person the outcome: the winner after booking, the other
            # once the winner's result is in the ledger.
            await until(lambda: len(double.calls_to("views.update")) >= updates + 2)
            titles = [c.params["view"]["title"]["text"] for c in double.calls_to("views.update")]
            assert titles[-2:] == ["Booked ✓", "Booked ✓"]
            assert (await stats(sandbox_url))["book_calls"] == 1
            rows = await ledger_rows(fresh_postgres_url)
            assert [row["status"] for row in rows] == ["booked"]
            await until(lambda: bool(double.calls_to("chat.postMessage")))
            assert len(double.calls_to("chat.postMessage")) == 1
    finally:
        for worker in workers:
            await worker.slack.http.aclose()
            worker.process.terminate()
        for worker in workers:
            await asyncio.to_thread(worker.process.join, 30)
        await double.stop()
