"""A running Booker: the real Bolt app served by uvicorn on a socket, Slack's Web API played by a
local server (SLACK_API_URL), HubSpot by the built-in sandbox, and a real SQLite ledger."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.config import Settings
from bot.devtools.sandbox import SandboxConfig, SandboxState, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import Services, build_services

BOT_TOKEN = "xoxb-test-token-e2e"
PERSON = "U0PERSON"
CHANNEL = "C0GENERAL"
# A Wednesday morning in New York: "tomorrow 10am" is a free business-hours slot on "demo".
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


@dataclass
class Booker:
    slack: SlackRequests
    double: SlackDouble
    sandbox: SandboxState
    services: Services
    http: httpx.AsyncClient
    secret: str
    updates_before_submit: int = 0

    def view(self) -> dict[str, Any]:
        """The modal as Slack holds it now (id and hash included)."""
        return dict(list(self.double.views.values())[-1])

    async def until(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not condition():
            assert asyncio.get_running_loop().time() < deadline, "expected Slack call never came"
            await asyncio.sleep(0.02)

    async def open_modal(self, text: str = "") -> dict[str, Any]:
        updates = len(self.double.calls_to("views.update"))
        answer = await self.slack.slash_command(text)
        assert answer.status_code == 200
        await self.until(lambda: len(self.double.calls_to("views.update")) > updates)
        return self.view()

    async def posted(self, count: int = 1) -> list[dict[str, Any]]:
        await self.until(lambda: len(self.double.calls_to("chat.postMessage")) >= count)
        return [dict(call.params) for call in self.double.calls_to("chat.postMessage")]

    async def submit(self, view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
        """Submit the modal; returns Slack's ack body (errors, or the "Booking…" update)."""
        self.updates_before_submit = len(self.double.calls_to("views.update"))
        answer = await self.slack.view_submission(view, answers)
        assert answer.status_code == 200
        return answer.json() if answer.content else {}

    async def result(self) -> dict[str, Any]:
        """The modal once the booking is settled (the views.update after the submission)."""
        await self.until(
            lambda: len(self.double.calls_to("views.update")) > self.updates_before_submit
        )
        return self.view()


@pytest.fixture
async def booker(tmp_path: Path) -> AsyncIterator[Booker]:
    double = SlackDouble(tokens=[BOT_TOKEN])
    double.schedule_clock = NOW.timestamp  # Slack's "now" for scheduled reminders
    await double.start()
    double.add_user(PERSON, tz="America/New_York", locale="en-US", name="Dana")
    secret = secrets.token_hex(16)
    settings = Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=double.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
        HUBSPOT_BASE_URL="http://hubspot.sandbox.test",
        # Tests change a person's Slack language or zone between requests.
        BOOKBOT_PROFILE_TTL_SECONDS=0,
    )
    sandbox_app = create_sandbox_app(SandboxConfig(clock=lambda: NOW))
    services = await build_services(
        settings,
        hubspot_transport=httpx.ASGITransport(app=sandbox_app),
        clock=lambda: NOW,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            asgi_app_for(settings, services),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        yield Booker(
            slack=SlackRequests(http, secret, user_id=PERSON, channel_id=CHANNEL),
            double=double,
            sandbox=sandbox_app.state.sandbox,
            services=services,
            http=http,
            secret=secret,
        )
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await services.aclose()
    await double.stop()
