"""Booker's HubSpot OAuth client and per-workspace accounts against the sandbox, on SQLite and
PostgreSQL: token endpoint errors, one refresh at a time, a 401 retried once, revocation,
`bookbot check`'s report, and the settings Connect HubSpot needs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.config import Settings
from bot.crypto import TokenCipher
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.hubspot.connect import connection_report, hubspot_oauth_problems
from bot.hubspot.connections import ConnectionStore, HubSpotAccounts, Workspace
from bot.hubspot.errors import (
    BadAuthCodeError,
    NotConnectedError,
    OAuthClientError,
    RefreshTokenRevoked,
)
from bot.hubspot.models import BookingRequest
from bot.hubspot.oauth import HubSpotOAuth, TokenResponse, authorize_url
from bot.server import settings_problems
from bot.store import Store
from tests.store.conftest import (  # noqa: F401  (fixtures)
    fresh_postgres_url,
    fresh_sqlite_url,
    postgres_url,
)

CLIENT_ID = "booker-hubspot-app"
CLIENT_SECRET = "hubspot-client-secret-for-tests"
REDIRECT = "http://booker.test/hubspot/oauth/callback"
BASE = "http://hubspot.sandbox.test"
SCOPES = ("oauth", "scheduler.meetings.meeting-link.read", "meetings-write")
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    clock: Clock
    sandbox: Any
    transport: httpx.AsyncBaseTransport
    oauth: HubSpotOAuth
    store: Store
    connections: ConnectionStore
    accounts: HubSpotAccounts
    key: str

    async def code(self, hub_id: str = "new") -> str:
        url = authorize_url(
            f"{BASE}/oauth/authorize",
            client_id=CLIENT_ID,
            redirect_uri=REDIRECT,
            scopes=SCOPES,
            state="s",
        )
        async with httpx.AsyncClient(transport=self.transport) as browser:
            answer = await browser.get(url + f"&decision=allow&hub_id={hub_id}")
        return parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]

    async def connect(self, team_id: str) -> TokenResponse:
        tokens = await self.oauth.exchange_code(await self.code(), redirect_uri=REDIRECT)
        info = await self.oauth.access_token_info(tokens.access_token)
        await self.connections.save(
            Workspace.of(team_id),
            tokens,
            hub_id=str(info.hub_id),
            hub_domain=info.hub_domain,
            scopes=tuple(info.scopes),
            connected_by="U1",
        )
        return tokens

    def stats(self) -> Any:
        return self.sandbox.state.oauth

    def settings(self, database_url: str, **extra: Any) -> Settings:
        values = {
            "DATABASE_URL": database_url,
            "HUBSPOT_BASE_URL": BASE,
            "HUBSPOT_CLIENT_ID": CLIENT_ID,
            "HUBSPOT_CLIENT_SECRET": CLIENT_SECRET,
            "BOOKBOT_PUBLIC_URL": "http://booker.test",
            "BOOKBOT_ENCRYPTION_KEY": self.key,
            **extra,
        }
        return Settings(**values)


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"fresh_{request.param}_url")
    return url


@pytest.fixture
async def world(ledger_url: str) -> AsyncIterator[World]:
    clock = Clock()
    sandbox = create_sandbox_app(
        SandboxConfig(
            clock=clock,
            oauth_client_id=CLIENT_ID,
            oauth_client_secret=CLIENT_SECRET,
            oauth_access_token_seconds=1800,
        )
    )
    transport = httpx.ASGITransport(app=sandbox)
    store = await Store.open(ledger_url)
    key = TokenCipher.generate_key()
    oauth = HubSpotOAuth(
        base_url=BASE, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, transport=transport
    )
    connections = ConnectionStore(store, TokenCipher.from_setting(key), clock=clock)
    accounts = HubSpotAccounts(
        connections=connections, oauth=oauth, base_url=BASE, transport=transport, clock=clock
    )
    world = World(clock, sandbox, transport, oauth, store, connections, accounts, key)
    try:
        yield world
    finally:
        await accounts.aclose()
        await store.close()
    # HubSpot switches the v1 OAuth API off on 2027-02-16: no test here may have used it.
    assert world.stats().v1_requests == {}


async def test_token_endpoint_errors_become_classes_of_the_error_tree(world: World) -> None:
    code = await world.code()
    tokens = await world.oauth.exchange_code(code, redirect_uri=REDIRECT)
    assert tokens.expires_in == 1800
    assert tokens.access_token not in repr(tokens) and tokens.refresh_token not in repr(tokens)

    with pytest.raises(BadAuthCodeError) as reused:
        await world.oauth.exchange_code(code, redirect_uri=REDIRECT)
    assert reused.value.oauth_status == "BAD_AUTH_CODE"
    assert code not in str(reused.value)

    wrong = HubSpotOAuth(
        base_url=BASE, client_id=CLIENT_ID, client_secret="wrong", transport=world.transport
    )
    async with wrong:
        with pytest.raises(OAuthClientError):
            await wrong.refresh(tokens.refresh_token)

    await world.oauth.revoke(tokens.refresh_token)
    await world.oauth.revoke(tokens.refresh_token)  # already gone: fine
    with pytest.raises(RefreshTokenRevoked) as revoked:
        await world.oauth.refresh(tokens.refresh_token)
    assert tokens.refresh_token not in str(revoked.value)


async def test_a_workspace_connected_through_oauth_v1_keeps_booking_with_no_v1_call(
    world: World,
) -> None:
    """Tokens HubSpot issued before Booker moved to the 2026-03 API (stored by the old code)
    refresh and book through the new endpoints: nobody reconnects, nothing calls v1."""
    sandbox = world.stats()
    hub_id = sandbox.new_portal().hub_id
    code = sandbox.issue_code(
        client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES, hub_id=hub_id
    )
    status, issued = sandbox.token(  # what `POST /oauth/v1/token` gave the old Booker
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
    )
    assert status == 200
    await world.connections.save(
        Workspace.of("T1"),
        TokenResponse.model_validate(issued),
        hub_id=str(hub_id),
        hub_domain=None,
        scopes=SCOPES,
        connected_by="U1",
    )
    world.clock.now += timedelta(hours=3)  # long expired: the first call refreshes
    client = await world.accounts.client_for("T1")
    availability = await client.get_availability("demo", timezone="UTC")
    info = await client.get_booking_info("demo", timezone="UTC")
    booked = await client.book(
        BookingRequest.create(
            slug="demo",
            start=availability.slots(30)[0].start,
            duration_minutes=30,
            email="ana@acme.com",
            first_name="Ana",
            last_name="Souza",
            form_fields={},
            consents={},
            likely_available_user_ids=info.organizer_user_ids,
            locale="en-us",
            timezone="UTC",
        )
    )
    assert booked.calendar_event_id
    assert len(sandbox.portals[hub_id].state.bookings) == 1
    assert sandbox.token_requests["refresh_token"] == 1
    connection = await world.connections.get(Workspace.of("T1"))
    assert connection is not None and not connection.broken
    assert sandbox.v1_requests == {}


async def test_an_oauth_v1_call_would_fail_as_after_the_sunset(world: World) -> None:
    """The guard the fixture's v1 check relies on: the sandbox counts and refuses v1 paths."""
    tokens = await world.connect("T1")
    async with httpx.AsyncClient(transport=world.transport, base_url=BASE) as old_booker:
        refused = await old_booker.post(
            "/oauth/v1/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens.refresh_token,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            },
        )
    assert refused.status_code == 404
    assert world.stats().v1_requests == {"POST /oauth/v1/token": 1}
    world.stats().v1_requests.clear()


async def test_a_workspace_without_a_connection_is_told_so_before_any_request(
    world: World,
) -> None:
    client = world.accounts.client("T9")
    with pytest.raises(NotConnectedError):
        await client.list_meeting_links()
    assert world.stats().token_requests == {}


async def test_single_token_mode_is_one_shared_client(world: World) -> None:
    from bot.hubspot.client import HubSpotClient

    async with HubSpotClient(base_url=BASE, access_token=None, transport=world.transport) as one:
        accounts = HubSpotAccounts.single(one)
        assert not accounts.per_workspace
        assert await accounts.client_for("T1") is one
        assert accounts.client("T2", "E1") is one
        assert await accounts.connection("T1") is None


async def test_many_requests_with_a_due_token_share_one_refresh(world: World) -> None:
    await world.connect("T1")
    client = world.accounts.client("T1")
    assert len(await client.list_meeting_links()) > 0
    world.clock.now += timedelta(minutes=26)  # within the 5-minute margin of expiry

    results = await asyncio.gather(*(client.list_meeting_links() for _ in range(8)))
    assert all(len(pages) == len(results[0]) for pages in results)
    assert world.stats().token_requests["refresh_token"] == 1
    assert world.accounts.refreshes == 1
    connection = await world.connections.get(Workspace.of("T1"))
    assert connection is not None
    assert connection.expires_at == world.clock.now + timedelta(minutes=30)


async def test_a_booking_refused_for_an_expired_token_is_sent_again_once(
    world: World,
) -> None:
    await world.connect("T1")
    client = await world.accounts.client_for("T1")
    info = await client.get_booking_info("demo", timezone="UTC")
    availability = await client.get_availability("demo", timezone="UTC")
    slot = availability.slots(30)[0]
    world.stats().expire_access_tokens()  # HubSpot says it expired; Booker thought not

    response = await client.book(
        BookingRequest.create(
            slug="demo",
            start=slot.start,
            duration_minutes=30,
            email="ana@acme.com",
            first_name="Ana",
            last_name="Souza",
            form_fields={},
            consents={},
            likely_available_user_ids=info.organizer_user_ids,
            locale="en-us",
            timezone="UTC",
        )
    )
    assert response.calendar_event_id
    portal = next(p for p in world.stats().portals.values() if p.hub_id != 4_200_001)
    assert portal.state.book_calls == 2  # the refused one, then the one that booked
    assert len(portal.state.bookings) == 1
    assert world.stats().token_requests["refresh_token"] == 1


async def test_a_revoked_refresh_token_breaks_the_connection_for_good(world: World) -> None:
    tokens = await world.connect("T1")
    await world.oauth.revoke(tokens.refresh_token)
    world.clock.now += timedelta(minutes=31)
    client = world.accounts.client("T1")
    with pytest.raises(RefreshTokenRevoked):
        await client.list_meeting_links()
    connection = await world.connections.get(Workspace.of("T1"))
    assert connection is not None and connection.broken
    # Broken stays broken: no more refresh attempts until someone reconnects.
    with pytest.raises(RefreshTokenRevoked):
        await client.list_meeting_links()
    assert world.stats().token_requests["refresh_token"] == 1

    await world.connect("T1")
    world.accounts.forget(Workspace.of("T1"))
    assert len(await client.list_meeting_links()) > 0


async def test_an_org_wide_connection_serves_the_orgs_workspaces(world: World) -> None:
    tokens = await world.oauth.exchange_code(await world.code(), redirect_uri=REDIRECT)
    await world.connections.save(
        Workspace.of(None, "E1"),
        tokens,
        hub_id="1",
        hub_domain=None,
        scopes=SCOPES,
        connected_by="U1",
    )
    assert len(await (await world.accounts.client_for("T7", "E1")).list_meeting_links()) > 0
    with pytest.raises(NotConnectedError):
        await world.accounts.client_for("T7", "E2")


async def test_bookbot_check_reports_each_workspace(world: World, ledger_url: str) -> None:
    await world.connect("T1")
    tokens = await world.connect("T2")
    await world.oauth.revoke(tokens.refresh_token)
    world.clock.now += timedelta(minutes=31)
    with pytest.raises(RefreshTokenRevoked):
        await world.accounts.client("T2").list_meeting_links()

    lines, problems = await connection_report(world.settings(ledger_url), transport=world.transport)
    text = "\n".join(lines)
    assert "2 workspace(s) connected" in text
    assert "T1  ok, portal portal-" in text and "meeting pages" in text
    assert "T2  BROKEN" in text and "Reconnect HubSpot" in text
    assert problems == []
    assert "sbx-" not in text


def test_connect_hubspot_needs_both_credentials_a_public_url_and_a_key() -> None:
    lonely = Settings(HUBSPOT_CLIENT_ID="x")
    assert any("go together" in p for p in hubspot_oauth_problems(lonely))
    bare = Settings(HUBSPOT_CLIENT_ID="x", HUBSPOT_CLIENT_SECRET="y")
    problems = hubspot_oauth_problems(bare)
    assert any("BOOKBOT_PUBLIC_URL" in p for p in problems)
    assert any("BOOKBOT_ENCRYPTION_KEY" in p for p in problems)
    bad_key = Settings(
        HUBSPOT_CLIENT_ID="x",
        HUBSPOT_CLIENT_SECRET="y",
        BOOKBOT_PUBLIC_URL="https://booker.example",
        BOOKBOT_ENCRYPTION_KEY="not-a-fernet-key",
    )
    problems = hubspot_oauth_problems(bad_key)
    assert problems and "not-a-fernet-key" not in " ".join(problems)
    run_problems = settings_problems(bad_key, force_sandbox=False)
    assert any("BOOKBOT_ENCRYPTION_KEY" in p for p in run_problems)
    assert bad_key.hubspot_oauth_mode and not bad_key.uses_sandbox
    socket = Settings(
        HUBSPOT_CLIENT_ID="x",
        HUBSPOT_CLIENT_SECRET="y",
        BOOKBOT_PUBLIC_URL="https://booker.example",
        BOOKBOT_ENCRYPTION_KEY=TokenCipher.generate_key(),
        SLACK_APP_TOKEN="xapp-1-A0-1-abc",
    )
    assert [p for p in hubspot_oauth_problems(socket) if "HTTP mode" in p]
    assert hubspot_oauth_problems(Settings()) == []


async def test_no_hubspot_token_reaches_the_logs(world: World) -> None:
    import io
    import logging

    from bot.logging_setup import log_handler

    out = io.StringIO()
    handler = log_handler(stream=out)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        tokens = await world.connect("T1")
        world.clock.now += timedelta(minutes=29)
        await world.accounts.client("T1").list_meeting_links()
        await world.oauth.revoke(tokens.refresh_token)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    text = out.getvalue()
    # httpx's request lines: the 2026-03 API carries every token in the body, never the URL.
    assert "POST http://hubspot.sandbox.test/oauth/2026-03/token/introspect" in text
    assert "POST http://hubspot.sandbox.test/oauth/2026-03/token/revoke" in text
    assert tokens.access_token not in text and tokens.refresh_token not in text
    assert "sbx-at-" not in text and "sbx-rt-" not in text


async def test_bookbot_check_shows_the_connect_hubspot_settings_masked(tmp_path: Any) -> None:
    import io

    from bot.check import run_check

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    await (await Store.open(url)).close()
    key = TokenCipher.generate_key()
    settings = Settings(
        DATABASE_URL=url,
        HUBSPOT_CLIENT_ID="app-1",
        HUBSPOT_CLIENT_SECRET="very-secret-client-value",
        BOOKBOT_PUBLIC_URL="https://booker.example",
        BOOKBOT_ENCRYPTION_KEY=key,
    )
    out = io.StringIO()
    await run_check(settings, out)
    text = out.getvalue()
    assert "HUBSPOT_CLIENT_ID     app-1  (Connect HubSpot per workspace)" in text
    assert "HUBSPOT_CLIENT_SECRET set (" in text
    assert "0 workspace(s) connected" in text
    assert "very-secret-client-value" not in text and key not in text


async def test_workspaces_sharing_a_hubspot_portal_share_its_rate_budget(world: World) -> None:
    from bot.hubspot.limiter import InMemoryRateLimiter

    async def connect(team_id: str, hub_id: str) -> str:
        tokens = await world.oauth.exchange_code(await world.code(hub_id), redirect_uri=REDIRECT)
        info = await world.oauth.access_token_info(tokens.access_token)
        await world.connections.save(
            Workspace.of(team_id),
            tokens,
            hub_id=str(info.hub_id),
            hub_domain=info.hub_domain,
            scopes=tuple(info.scopes),
            connected_by="U1",
        )
        return str(info.hub_id)

    shared_hub = await connect("T1", "new")
    await connect("T2", shared_hub)
    await connect("T3", "new")
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = InMemoryRateLimiter(3, 10.0, clock=lambda: now[0], sleep=sleep)
    accounts = HubSpotAccounts(
        connections=world.connections,
        oauth=world.oauth,
        base_url=BASE,
        transport=world.transport,
        limiter=limiter,
        clock=world.clock,
    )
    try:
        for team in ("T1", "T2", "T1"):  # three calls in the shared portal's budget
            await accounts.client(team).get_booking_info("demo", timezone="UTC")
        await accounts.client("T3").get_booking_info("demo", timezone="UTC")
        assert waits == []  # another portal has a budget of its own
        await accounts.client("T2").get_booking_info("demo", timezone="UTC")
        assert waits == [10.0]  # the fourth call in the shared portal waited for its window
    finally:
        await accounts.aclose()
