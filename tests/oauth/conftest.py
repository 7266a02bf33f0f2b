"""Booker in OAuth mode on a real socket: Slack's side (authorize page, oauth.v2.access, the Web
API) played by the Slack double, HubSpot by the sandbox, installs kept in a real SQLite ledger.

`installed.install("T1")` goes through the whole flow as a browser would: the "Add to Slack" page,
the link to Slack's authorize page, Slack's redirect back with code and state (and the state
cookie), and the installed page.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from bot.config import Settings
from bot.crypto import TokenCipher
from bot.devtools.sandbox import SandboxConfig, SandboxState, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import Services, build_services

# Fixtures that give a fresh SQLite file or PostgreSQL schema (migration tests).
from tests.store.conftest import (  # noqa: F401
    database_url,
    fresh_postgres_url,
    fresh_sqlite_url,
    make_draft,
    postgres_url,
)

CLIENT_ID = "1234567890.0987654321"
CLIENT_SECRET = "client-secret-for-tests"
PERSON = "U0PERSON"
CHANNEL = "C0GENERAL"
STATE_COOKIE = "slack-app-oauth-state"
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
_LINK = re.compile(r'<a class="button" href="([^"]+)"')


class Clock:
    """The app's clock (OAuth state expiry); tests move it forward."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Finished:
    """Where an install attempt ended: the app's page after Slack sent the browser back."""

    page: httpx.Response
    redirect: str


@dataclass
class OAuthBooker:
    base_url: str
    http: httpx.AsyncClient
    double: SlackDouble
    services: Services
    settings: Settings
    secret: str
    encryption_key: str
    clock: Clock
    database_path: Path
    sandbox: SandboxState

    def slack(self, team_id: str, user_id: str = PERSON) -> SlackRequests:
        return SlackRequests(
            self.http, self.secret, team_id=team_id, user_id=user_id, channel_id=CHANNEL
        )

    async def install_page(
        self, team_id: str | None = None, language: str = "en"
    ) -> httpx.Response:
        page = await self.http.get(
            "/slack/install",
            params={"team": team_id} if team_id else None,
            headers={"Accept-Language": language},
        )
        assert page.status_code == 200, page.text
        return page

    @staticmethod
    def link_of(page: httpx.Response) -> str:
        match = _LINK.search(page.text)
        assert match, page.text
        return html.unescape(match.group(1))

    @staticmethod
    def state_cookie(page: httpx.Response) -> str:
        for header in page.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            if name.strip() == STATE_COOKIE:
                return rest.split(";", 1)[0]
        raise AssertionError(f"no {STATE_COOKIE} cookie in {page.headers}")

    async def consent(self, authorize_url: str, *, deny: bool = False) -> str:
        """The browser at Slack's authorize page: Slack redirects it back to the app."""
        url = authorize_url + ("&decision=deny" if deny else "")
        async with httpx.AsyncClient(timeout=10) as browser:
            answer = await browser.get(url)
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]

    async def back_to_app(
        self, redirect: str, cookie: str | None, language: str = "en"
    ) -> httpx.Response:
        headers = {"Accept-Language": language}
        if cookie is not None:
            headers["Cookie"] = f"{STATE_COOKIE}={cookie}"
        # The redirect URL is absolute (BOOKBOT_PUBLIC_URL); this client talks to the same app.
        return await self.http.get(redirect, headers=headers)

    async def install(
        self, team_id: str | None = None, *, deny: bool = False, language: str = "en"
    ) -> Finished:
        page = await self.install_page(team_id, language)
        redirect = await self.consent(self.link_of(page), deny=deny)
        finished = await self.back_to_app(redirect, self.state_cookie(page), language)
        return Finished(finished, redirect)

    async def until(self, condition: object, seconds: float = 10.0) -> None:
        assert callable(condition)
        deadline = asyncio.get_running_loop().time() + seconds
        while not condition():
            assert asyncio.get_running_loop().time() < deadline, "expected Slack call never came"
            await asyncio.sleep(0.02)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def running_booker(
    tmp_path: Path, *, token_rotation: bool = False, token_lifetime_seconds: int = 12 * 3600
) -> AsyncIterator[OAuthBooker]:
    double = SlackDouble(tokens=[])
    await double.start()
    double.oauth.register(
        CLIENT_ID,
        CLIENT_SECRET,
        token_rotation=token_rotation,
        token_lifetime_seconds=token_lifetime_seconds,
    )
    double.add_user(PERSON, tz="America/New_York", locale="en-US", name="Dana")
    sock = _free_socket()
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    secret = secrets.token_hex(16)
    key = TokenCipher.generate_key()
    database_path = tmp_path / "ledger.db"
    origin = double.base_url.removesuffix("/api/")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=double.base_url,
        SLACK_AUTHORIZE_URL=f"{origin}/oauth/v2/authorize",
        BOOKBOT_ENCRYPTION_KEY=key,
        BOOKBOT_PUBLIC_URL=base_url,
        DATABASE_URL=f"sqlite:///{database_path}",
        HUBSPOT_BASE_URL="http://hubspot.sandbox.test",
    )
    clock = Clock(NOW)
    sandbox_app = create_sandbox_app(SandboxConfig(clock=lambda: NOW))
    services = await build_services(
        settings, hubspot_transport=httpx.ASGITransport(app=sandbox_app), clock=clock
    )
    async with serving(
        sock, settings, services, double, clock=clock, sandbox=sandbox_app.state.sandbox
    ) as booker:
        yield booker


@contextlib.asynccontextmanager
async def serving(
    sock: socket.socket,
    settings: Settings,
    services: Services,
    double: SlackDouble,
    *,
    clock: Clock,
    sandbox: SandboxState,
) -> AsyncIterator[OAuthBooker]:
    """Booker under uvicorn on `sock`; on the way out the server, services and double stop."""
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(
        uvicorn.Config(asgi_app_for(settings, services), log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    assert settings.slack_signing_secret is not None and settings.encryption_key is not None
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            yield OAuthBooker(
                base_url=base_url,
                http=http,
                double=double,
                services=services,
                settings=settings,
                secret=settings.slack_signing_secret.get_secret_value(),
                encryption_key=settings.encryption_key.get_secret_value(),
                clock=clock,
                database_path=Path(settings.database_url.removeprefix("sqlite:///")),
                sandbox=sandbox,
            )
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()
        await services.aclose()
        await double.stop()


@pytest.fixture
async def booker(tmp_path: Path) -> AsyncIterator[OAuthBooker]:
    async with running_booker(tmp_path) as running:
        yield running
