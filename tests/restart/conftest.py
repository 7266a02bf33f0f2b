"""`bookbot run` stopped (SIGTERM) or killed (SIGKILL) while a booking is under way, then started
again on the same ledger: real subprocesses, in HTTP mode or Socket Mode, against the Slack double
and a HubSpot sandbox served on its own port from this process (it outlives every Booker, so its
count of book calls spans the restart)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.devtools.sandbox import Fault, SandboxConfig, create_sandbox_app
from bot.devtools.sandbox.state import SandboxState
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests, state_values
from tests.conftest import ledger_statuses
from tests.scale.conftest import free_port
from tests.socket_mode.conftest import ZONE, words_for

BOT_TOKEN = "xoxb-restart-test"
APP_TOKEN = "xapp-1-A0BOOKER-restart-test"
HUBSPOT_TOKEN = "pat-na1-restart-test"
PERSON = "U0PERSON"
CHANNEL = "C0GENERAL"
GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
# Short, so the suite stays quick: HubSpot answers the booking after LATE_SECONDS; a booking
# still pending BOOKING_TIMEOUT seconds after its claim is reconciled, passes every RECONCILE.
LATE_SECONDS = 1.5
GRACE_SECONDS = 10.0
BOOKING_TIMEOUT = 4.0
RECONCILE_SECONDS = 0.5
_KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TZ")


@dataclass
class Process:
    """One `python -m bot run` and its log file."""

    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def exit_code(self, seconds: float) -> int:
        try:
            await asyncio.wait_for(self.process.wait(), seconds)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"still running {seconds} s after the signal\n{self.log()}"
            ) from None
        assert self.process.returncode is not None
        return self.process.returncode

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(AssertionError):
                await self.exit_code(GRACE_SECONDS + 10)


@dataclass
class Rig:
    """Slack (the double), HubSpot (the sandbox on a port), a ledger, and Booker processes."""

    tmp_path: Path
    mode: str  # "http" or "socket"
    database_url: str
    double: SlackDouble
    sandbox_app: Any
    hubspot_url: str
    secret: str = field(default_factory=lambda: secrets.token_hex(16))
    port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def sandbox(self) -> SandboxState:
        state: SandboxState = self.sandbox_app.state.sandbox
        return state

    # --- processes -----------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {k: os.environ[k] for k in _KEPT_ENV if k in os.environ} | {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": self.double.base_url,
            "DATABASE_URL": self.database_url,
            "HUBSPOT_BASE_URL": self.hubspot_url,
            "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
            "BOOKBOT_LOG_LEVEL": "INFO",
            "BOOKBOT_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
            "BOOKBOT_BOOKING_TIMEOUT_SECONDS": str(BOOKING_TIMEOUT),
            "BOOKBOT_RECONCILE_SECONDS": str(RECONCILE_SECONDS),
        }
        if self.mode == "socket":
            env["SLACK_APP_TOKEN"] = APP_TOKEN
        else:
            env["SLACK_SIGNING_SECRET"] = self.secret
        return env | self.extra_env

    async def start(self, name: str, *args: str) -> Process:
        workdir = self.tmp_path / name
        workdir.mkdir()
        log_path = workdir / "bookbot.log"
        command = ["-m", "bot", "run"]
        if self.mode == "http":
            command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with log_path.open("wb") as log_file:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *command,
                *args,
                cwd=workdir,
                env=self.env(),
                stdout=log_file,
                stderr=asyncio.subprocess.STDOUT,
                # Its own process group: a SIGTERM to it is what an orchestrator sends.
                start_new_session=True,
            )
        started = Process(process, log_path)
        self.processes.append(started)
        await self._ready(started)
        return started

    async def _ready(self, process: Process) -> None:
        deadline = time.monotonic() + 60
        while True:
            if process.process.returncode is not None:
                raise AssertionError(f"bookbot run exited early\n{process.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"bookbot run never got ready\n{process.log()}")
            if self.mode == "socket":
                if len(self.double.socket.live) >= 1:
                    return
            else:
                with contextlib.suppress(httpx.TransportError, ValueError):
                    async with httpx.AsyncClient(timeout=2) as http:
                        answer = await http.get(f"http://127.0.0.1:{self.port}/healthz")
                        if answer.json().get("ok"):
                            return
            await asyncio.sleep(0.05)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.log_path.parent.name} ---\n{p.log()[-6000:]}" for p in self.processes
        )

    # --- what the person does --------------------------------------------------------------
    def _envelope(self, kind: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": self.double.team_id},
            "user": {"id": PERSON, "team_id": self.double.team_id},
            "api_app_id": self.double.app_id,
            "trigger_id": f"trigger.{time.time_ns()}",
        }

    async def _interaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Slack's interaction delivered to Booker; returns Booker's answer (the ack's body)."""
        if self.mode == "socket":
            envelope = await self.double.socket.push("interactive", payload)
            ack = await self.double.socket.ack(envelope, timeout=20)
            return dict(ack.get("payload") or {})
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=20) as http:
            answer = await SlackRequests(http, self.secret).send_interaction(payload)
        assert answer.status_code == 200, answer.text
        return dict(answer.json()) if answer.content else {}

    async def open_modal(self, text: str) -> dict[str, Any]:
        updates = self.count("views.update")
        if self.mode == "socket":
            payload = self.double.slash_command_payload(text, user_id=PERSON, channel_id=CHANNEL)
            envelope = await self.double.socket.push("slash_commands", payload)
            await self.double.socket.ack(envelope, timeout=20)
        else:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{self.port}", timeout=20
            ) as http:
                answer = await SlackRequests(
                    http, self.secret, user_id=PERSON, channel_id=CHANNEL
                ).slash_command(text)
            assert answer.status_code == 200
        await self.until(lambda: self.count("views.update") > updates, "the full form")
        return dict(list(self.double.views.values())[-1])

    async def submit(self, view: Mapping[str, Any]) -> dict[str, Any]:
        payload = self._envelope("view_submission") | {
            "view": dict(view) | {"state": {"values": state_values(view, GUEST)}},
            "response_urls": [],
        }
        return await self._interaction(payload)

    async def click_in_view(self, view: Mapping[str, Any], action: Mapping[str, Any]) -> None:
        payload = self._envelope("block_actions") | {
            "actions": [dict(action)],
            "view": dict(view) | {"state": {"values": {}}},
            "container": {"type": "view", "view_id": view.get("id")},
        }
        await self._interaction(payload)

    async def click_in_message(
        self, channel: str, message: Mapping[str, Any], action: Mapping[str, Any]
    ) -> None:
        payload = self._envelope("block_actions") | {
            "actions": [dict(action)],
            "channel": {"id": channel},
            "message": dict(message),
            "container": {
                "type": "message",
                "message_ts": message.get("ts"),
                "channel_id": channel,
            },
            "response_url": self.double.response_url("check-again"),
        }
        await self._interaction(payload)

    # --- what can be seen --------------------------------------------------------------------
    def count(self, method: str) -> int:
        return len(self.double.calls_to(method))

    def view(self, view_id: str) -> dict[str, Any]:
        return dict(self.double.views[view_id])

    def posted(self, channel: str = CHANNEL) -> list[dict[str, Any]]:
        return [
            dict(call.params)
            for call in self.double.calls_to("chat.postMessage")
            if call.params.get("channel") == channel
        ]

    async def statuses(self) -> list[str]:
        return await ledger_statuses(self.database_url)

    async def until(self, condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"never happened within {seconds} s: {what}")
            await asyncio.sleep(0.02)

    async def until_status(self, status: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while (statuses := await self.statuses()) != [status]:
            if time.monotonic() > deadline:
                raise AssertionError(f"the ledger says {statuses}, not [{status!r}]")
            await asyncio.sleep(0.05)

    async def booking_in_flight(self) -> dict[str, Any]:
        """A modal opened and submitted; returns once HubSpot has the booking request (and is
        holding its answer back for LATE_SECONDS). Returns the modal as it was submitted."""
        return (await self.bookings_in_flight(1))[0]

    async def bookings_in_flight(self, count: int) -> list[dict[str, Any]]:
        """`count` modals (each on its own free slot) submitted at once, each request on a
        connection of its own; returns once HubSpot has every booking request."""
        slots = await free_slots(self.sandbox_app, count)
        views = [await self.open_modal(f"demo {words_for(s)} ana@acme.com") for s in slots]
        self.sandbox.inject(
            Fault(operation="book", kind="timeout", delay_seconds=LATE_SECONDS, times=count)
        )
        answers = await asyncio.gather(*(self.submit(view) for view in views))
        assert all(a.get("response_action") == "update" for a in answers), answers
        await self.until(lambda: self.sandbox.book_calls == count, "HubSpot got the bookings")
        return views


async def free_slots(sandbox_app: Any, count: int) -> list[datetime]:
    """`count` 30-minute start times the sandbox offers for `demo`, a few hours ahead."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url="http://sandbox"
    ) as http:
        answer = await http.get(
            "/scheduler/v3/meetings/meeting-links/book/availability-page/demo",
            params={"timezone": ZONE},
            headers={"Authorization": f"Bearer {HUBSPOT_TOKEN}"},
        )
    answer.raise_for_status()
    by_duration = answer.json()["linkAvailability"]["linkAvailabilityByDuration"]
    soon = datetime.now(UTC) + timedelta(hours=3)
    starts = [
        datetime.fromtimestamp(slot["startMillisUtc"] / 1000, UTC)
        for slot in by_duration[str(30 * 60_000)]["availabilities"]
    ]
    found: list[datetime] = []
    for start in starts:  # an hour apart: one booking never makes another's slot busy
        if start > soon and (not found or start >= found[-1] + timedelta(hours=1)):
            found.append(start)
    found = found[:count]
    assert len(found) == count, f"the sandbox offers {len(found)} slots, not {count}"
    return found


@contextlib.asynccontextmanager
async def hubspot_on_a_port() -> AsyncIterator[tuple[str, Any]]:
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


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


@contextlib.asynccontextmanager
async def rig(tmp_path: Path, mode: str, database_url: str) -> AsyncIterator[Rig]:
    double = SlackDouble(tokens=[BOT_TOKEN], app_tokens=[APP_TOKEN])
    await double.start()
    double.add_user(PERSON, tz="America/New_York", locale="en-US", name="Dana")
    try:
        async with hubspot_on_a_port() as (hubspot_url, sandbox_app):
            running = Rig(tmp_path, mode, database_url, double, sandbox_app, hubspot_url)
            try:
                yield running
            except BaseException as error:
                for process in running.processes:
                    await process.stop()
                if isinstance(error, AssertionError):
                    raise AssertionError(f"{error}\n{running.logs()}") from error
                raise
            for process in running.processes:
                await process.stop()
    finally:
        await double.stop()
