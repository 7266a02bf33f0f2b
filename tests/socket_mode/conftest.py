"""`bookbot run` in Socket Mode as an operator starts it: a real subprocess with SLACK_APP_TOKEN
set, talking to the Slack double (Web API over HTTP, Socket Mode over a WebSocket) and to HubSpot
(the built-in sandbox with --sandbox, or a sandbox served over HTTP)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.slack_double import SlackDouble

BOT_TOKEN = "xoxb-socket-mode-test"
APP_TOKEN = "xapp-1-A0BOOKER-socket-mode-test"
PERSON = "U0PERSON"
CHANNEL = "C0GENERAL"
ZONE = "America/New_York"
# Only what `bookbot run` reads; nothing from the developer's shell leaks in.
_KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TZ")


@dataclass
class BookerProcess:
    """One `bookbot run` subprocess and the file its output goes to."""

    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def stop(self) -> int:
        """SIGTERM, as a process manager stops it; returns the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        assert self.process.returncode is not None
        return self.process.returncode


async def start_bookbot(
    tmp_path: Path, name: str, env: Mapping[str, str], *args: str
) -> BookerProcess:
    """`python -m bot run ARGS` with exactly `env` (plus PATH and friends), in its own dir."""
    workdir = tmp_path / name
    workdir.mkdir()
    log_path = workdir / "bookbot.log"
    full_env = {k: os.environ[k] for k in _KEPT_ENV if k in os.environ} | dict(env)
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *args,
            cwd=workdir,  # no stray .env from the repository
            env=full_env,
            stdout=log_file,
            stderr=asyncio.subprocess.STDOUT,
        )
    return BookerProcess(process, log_path)


@dataclass
class SocketSlack:
    """The Slack double, with a person, and helpers to wait for what Booker does."""

    double: SlackDouble

    async def until(self, condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not condition():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"never happened within {seconds} s: {what}")
            await asyncio.sleep(0.02)

    def count(self, method: str) -> int:
        return len(self.double.calls_to(method))

    def view(self) -> dict[str, Any]:
        return dict(list(self.double.views.values())[-1])

    async def slash_command(self, text: str, *, connection: int | None = None) -> dict[str, Any]:
        """/book TEXT over the socket; returns the ack once the modal is fully drawn."""
        updates = self.count("views.update")
        payload = self.double.slash_command_payload(text, user_id=PERSON, channel_id=CHANNEL)
        envelope = await self.double.socket.push("slash_commands", payload, connection=connection)
        ack = await self.double.socket.ack(envelope, timeout=20)
        await self.until(lambda: self.count("views.update") > updates, "views.update of the form")
        return ack


@pytest.fixture
async def slack() -> AsyncIterator[SocketSlack]:
    double = SlackDouble(tokens=[BOT_TOKEN], app_tokens=[APP_TOKEN])
    await double.start()
    double.add_user(PERSON, tz=ZONE, locale="en-US", name="Dana")
    try:
        yield SocketSlack(double)
    finally:
        await double.stop()


def socket_env(slack: SocketSlack, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.double.base_url,
        "DATABASE_URL": database_url,
        "BOOKBOT_LOG_LEVEL": "INFO",
    }


async def free_slot(sandbox_app: Any, *, slug: str = "demo", minutes: int = 30) -> datetime:
    """A start time the sandbox offers for `slug`, a few hours ahead."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url="http://sandbox"
    ) as http:
        config = sandbox_app.state.sandbox.config
        headers = {"Authorization": f"Bearer {config.access_token}"} if config.access_token else {}
        answer = await http.get(
            f"/scheduler/v3/meetings/meeting-links/book/availability-page/{slug}",
            params={"timezone": ZONE},
            headers=headers,
        )
    answer.raise_for_status()
    by_duration = answer.json()["linkAvailability"]["linkAvailabilityByDuration"]
    slots = by_duration[str(minutes * 60_000)]["availabilities"]
    soon = datetime.now(UTC) + timedelta(hours=3)
    for slot in slots:
        start = datetime.fromtimestamp(slot["startMillisUtc"] / 1000, UTC)
        if start > soon:
            return start
    raise AssertionError(f"the sandbox offers no {minutes}-minute slot on {slug}")


def words_for(start: datetime) -> str:
    """What a person would type for `start`, e.g. "December 1 2026 10:00 AM"."""
    local = start.astimezone(ZoneInfo(ZONE))
    return f"{local:%B} {local.day} {local.year} {local:%I:%M %p}"


def builtin_sandbox_app() -> Any:
    """A twin of the sandbox `bookbot run --sandbox` builds (same seed, same day, same busy
    calendars): used only to find a slot that is free there too."""
    return create_sandbox_app(SandboxConfig.from_env({}))


async def connected(slack: SocketSlack, processes: list[BookerProcess]) -> None:
    """Until every process has its Socket Mode connection; fails at once if one exits."""
    socket = slack.double.socket
    deadline = asyncio.get_running_loop().time() + 60
    while len(socket.live) < len(processes):
        for process in processes:
            if process.process.returncode is not None:
                raise AssertionError(f"bookbot run exited with {process.process.returncode}")
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{len(socket.live)} of {len(processes)} connected after 60 s")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running(processes: list[BookerProcess]) -> AsyncIterator[None]:
    """Stops every process at the end; on failure the assertion carries their logs."""
    try:
        yield
    except BaseException as error:
        logs = "\n".join(f"--- {p.log_path.parent.name} ---\n{p.log()[-4000:]}" for p in processes)
        for process in processes:
            await process.stop()
        if isinstance(error, AssertionError | TimeoutError):
            raise AssertionError(f"{error}\n{logs}") from error
        raise
    else:
        for process in processes:
            await process.stop()
