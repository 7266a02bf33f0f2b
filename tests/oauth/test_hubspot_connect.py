"""Connect HubSpot per workspace, end to end: App Home's button, the sandbox's consent page, the
callback, encrypted tokens, refresh before expiry and after a 401, a revoked connection, and two
workspaces booking at once in their own HubSpot portals.

Booker runs for real under uvicorn (Slack requests signed, Slack's Web API played by the double);
the sandbox plays HubSpot in-process, at http://hubspot.sandbox.test, for both the app and the
"browser" (an httpx client that reaches Booker at http://booker.test over its real socket).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from bot.config import Settings
from bot.crypto import TokenCipher, UndecryptableError
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.sandbox.oauth import MAIN_HUB_ID
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import Services, build_services
from bot.store import hubspot_connections

BOT_TOKEN = "xoxb-test-token-hubspot-connect"
CLIENT_ID = "booker-hubspot-app"
CLIENT_SECRET = "hubspot-client-secret-for-tests"
PUBLIC = "http://booker.test"
HUBSPOT = "http://hubspot.sandbox.test"
CHANNEL = "C0GENERAL"
# A Wednesday morning in New York: "tomorrow 10am" is a free slot on "demo" in every portal.
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
_HREF = re.compile(r'href="([^"]+)"[^>]*>([^<]+)<')


class Clock:
    """One clock for Booker and the sandbox: tests move it to expire tokens and states."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Browser(httpx.AsyncBaseTransport):
    """A person's browser: Booker's public address goes to its socket, HubSpot to the sandbox."""

    def __init__(self, booker_port: int, sandbox: httpx.AsyncBaseTransport) -> None:
        self._booker = httpx.AsyncHTTPTransport()
        self._port = booker_port
        self._sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "booker.test":
            local = httpx.Request(
                request.method,
                request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port),
                headers=request.headers,
                content=await request.aread(),
            )
            return await self._booker.handle_async_request(local)
        assert request.url.host == "hubspot.sandbox.test", request.url
        return await self._sandbox.handle_async_request(request)

    async def aclose(self) -> None:
        await self._booker.aclose()


@dataclass
class Person:
    team_id: str
    user_id: str
    slack: SlackRequests


@dataclass
class Harness:
    double: SlackDouble
    services: Services
    sandbox_app: Any
    browser: httpx.AsyncClient
    http: httpx.AsyncClient
    secret: str
    clock: Clock
    key: str
    database_url: str
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, team_id: str, user_id: str) -> Person:
        if user_id not in self.people:
            self.double.add_user(user_id, tz="America/New_York", locale="en-US", name=user_id)
            slack = SlackRequests(
                self.http, self.secret, team_id=team_id, user_id=user_id, channel_id=CHANNEL
            )
            self.people[user_id] = Person(team_id, user_id, slack)
        return self.people[user_id]

    async def until(self, condition: Any, seconds: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not condition():
            assert asyncio.get_running_loop().time() < deadline, "expected Slack call never came"
            await asyncio.sleep(0.02)

    async def home(self, person: Person) -> dict[str, Any]:
        """App Home as published for `person` (views.publish on the Slack double)."""
        before = len(self.double.calls_to("views.publish"))
        answer = await person.slack.send_event(
            {"type": "app_home_opened", "user": person.user_id, "tab": "home"}
        )
        assert answer.status_code == 200
        await self.until(lambda: len(self.double.calls_to("views.publish")) > before)
        call = self.double.calls_to("views.publish")[-1]
        assert call.params["user_id"] == person.user_id
        view: dict[str, Any] = call.params["view"]
        if isinstance(view, str):
            view = json.loads(view)
        return view

    async def open_modal(self, person: Person, text: str) -> dict[str, Any]:
        before = len(self.double.calls_to("views.update"))
        answer = await person.slack.slash_command(text)
        assert answer.status_code == 200
        await self.until(lambda: len(self.double.calls_to("views.update")) > before)
        return dict(list(self.double.views.values())[-1])

    async def book(self, person: Person, text: str) -> dict[str, Any]:
        """Open the modal with `text`, submit it, and return the card posted for it."""
        view = await self.open_modal(person, text)
        return await self.submit(person, view)

    async def submit(self, person: Person, view: dict[str, Any]) -> dict[str, Any]:
        posted = len(self.double.calls_to("chat.postMessage"))
        answer = await person.slack.view_submission(view, GUEST)
        assert answer.status_code == 200
        await self.until(lambda: len(self.double.calls_to("chat.postMessage")) > posted)
        cards = [c for c in self.double.calls_to("chat.postMessage")[posted:]]
        return dict(cards[-1].params)

    async def sandbox_stats(self) -> dict[str, Any]:
        response = await self.browser.get(f"{HUBSPOT}/_sandbox/oauth")
        stats: dict[str, Any] = response.json()
        return stats

    async def portal(self, hub_id: int) -> dict[str, Any]:
        return next(p for p in (await self.sandbox_stats())["portals"] if p["hub_id"] == hub_id)

    async def connect(
        self,
        person: Person,
        *,
        account: str = "new",
        decision: str = "allow",
        url: str | None = None,
    ) -> httpx.Response:
        """Click Connect HubSpot in App Home (or `url`), then a choice on HubSpot's consent page."""
        url = url or connect_url(await self.home(person))
        to_hubspot = await self.browser.get(url)
        assert to_hubspot.status_code == 302
        consent = await self.browser.get(to_hubspot.headers["location"])
        assert consent.status_code == 200
        links = {text: html.unescape(href) for href, text in _HREF.findall(consent.text)}
        if decision == "deny":
            choice = links["Deny"]
        elif account == "new":
            choice = links["Allow for a new account"]
        else:
            choice = next(href for text, href in links.items() if f"({account})" in text)
        back = await self.browser.get(urljoin(str(consent.url), choice))
        assert back.status_code == 302
        assert back.headers["location"].startswith(f"{PUBLIC}/hubspot/oauth/callback?")
        return await self.browser.get(back.headers["location"])

    async def stored(self) -> list[dict[str, Any]]:
        engine = self.services.store.engine
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.select(hubspot_connections))).all()
        return [dict(row._mapping) for row in rows]


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        if "accessory" in block:
            found.append(block["accessory"])
        found.extend(block.get("elements", []) if block["type"] == "actions" else [])
    return found


def connect_button(view: dict[str, Any]) -> dict[str, Any] | None:
    return next((b for b in buttons(view) if b.get("action_id") == "hubspot_connect"), None)


def connect_url(view: dict[str, Any]) -> str:
    button = connect_button(view)
    assert button is not None, "no Connect HubSpot button"
    url: str = button["url"]
    assert url.startswith(f"{PUBLIC}/hubspot/connect?")
    return url


@contextlib.asynccontextmanager
async def running(tmp_path: Path, *, offline: bool = False) -> AsyncIterator[Harness]:
    """Booker with Connect HubSpot; `offline`: `--sandbox`, the consent page served by Booker."""
    clock = Clock()
    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    secret = secrets.token_hex(16)
    key = TokenCipher.generate_key()
    sandbox_app = create_sandbox_app(
        SandboxConfig(clock=clock, oauth_client_id=CLIENT_ID, oauth_client_secret=CLIENT_SECRET)
    )
    database_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": double.base_url,
        "DATABASE_URL": database_url,
        "HUBSPOT_CLIENT_ID": CLIENT_ID,
        "HUBSPOT_CLIENT_SECRET": CLIENT_SECRET,
        "BOOKBOT_PUBLIC_URL": PUBLIC,
        "BOOKBOT_ENCRYPTION_KEY": key,
    }
    if offline:
        settings = Settings(**values)
        services = await build_services(settings, force_sandbox=True, clock=clock)
        assert services.hubspot_connect is not None
        sandbox_app = services.hubspot_connect.sandbox_app
        # The built-in sandbox runs on the wall clock; put it on the test's, as Booker is.
        sandbox_app.state.sandbox.config.clock = clock
        sandbox_app.state.sandbox.reset()
    else:
        values["HUBSPOT_BASE_URL"] = HUBSPOT
        values["HUBSPOT_AUTHORIZE_URL"] = f"{HUBSPOT}/oauth/authorize"
        settings = Settings(**values)
        transport = httpx.ASGITransport(app=sandbox_app)
        services = await build_services(settings, hubspot_transport=transport, clock=clock)
    server = uvicorn.Server(
        uvicorn.Config(
            asgi_app_for(settings, services),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            log_config=None,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    browser_transport = Browser(port, httpx.ASGITransport(app=sandbox_app))
    try:
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
            httpx.AsyncClient(transport=browser_transport, timeout=10) as browser,
        ):
            yield Harness(
                double=double,
                services=services,
                sandbox_app=sandbox_app,
                browser=browser,
                http=http,
                secret=secret,
                clock=clock,
                key=key,
                database_url=database_url,
            )
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await services.aclose()
        await double.stop()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(tmp_path) as running_harness:
        yield running_harness


def page_text(response: httpx.Response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.text))


# --- connecting -------------------------------------------------------------------------------


async def test_connect_from_app_home_stores_tokens_encrypted_and_then_books(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    home = await harness.home(dana)
    button = connect_button(home)
    assert button is not None and button["text"]["text"] == "Connect HubSpot"
    assert "has not connected" in str(home["blocks"])

    page = await harness.connect(dana)
    assert page.status_code == 200
    assert '<html lang="en"' in page.text
    assert "HubSpot is connected" in page_text(page)
    assert "sandbox.booker.invalid" in page_text(page)

    rows = await harness.stored()
    assert len(rows) == 1
    row = rows[0]
    assert (row["team_id"], row["enterprise_id"], row["status"]) == ("T1", "", "connected")
    assert row["connected_by"] == "U1DANA"
    hub_id = int(row["hub_id"])
    assert hub_id != MAIN_HUB_ID
    # Tokens at rest: ciphertext only, readable with the key, not with another one.
    cipher = TokenCipher.from_setting(harness.key)
    access = cipher.decrypt(row["access_token"])
    refresh = cipher.decrypt(row["refresh_token"])
    assert access.startswith("sbx-at-") and refresh.startswith("sbx-rt-")
    assert access not in row["access_token"] and refresh not in row["refresh_token"]
    with pytest.raises(UndecryptableError):
        TokenCipher.from_setting(TokenCipher.generate_key()).decrypt(row["access_token"])

    assert connect_button(await harness.home(dana)) is None
    card = await harness.book(dana, "demo tomorrow 10am ana@acme.com")
    assert any(b.get("action_id") == "join_meeting" for b in buttons(card))
    portal = await harness.portal(hub_id)
    assert [b["guestEmails"] for b in portal["bookings"]] == [["ana@acme.com"]]
    assert (await harness.portal(MAIN_HUB_ID))["bookings"] == []


def published_home(call: Any) -> dict[str, Any]:
    view: dict[str, Any] = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def book_button(view: dict[str, Any]) -> dict[str, Any] | None:
    return next((b for b in buttons(view) if b.get("action_id") == "open_booking_modal"), None)


async def test_app_home_refreshes_itself_once_hubspot_is_connected(harness: Harness) -> None:
    rita = harness.person("T1", "U1RITA")
    harness.double.add_user("U1RITA", tz="America/Sao_Paulo", locale="pt-BR", name="Rita")
    await harness.connect(rita)

    # Opened once (to click Connect HubSpot), published again by the callback: nobody reopened it.
    opened, refreshed = harness.double.calls_to("views.publish")
    assert connect_button(published_home(opened)) is not None
    assert refreshed.params["user_id"] == "U1RITA"
    assert refreshed.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    home = published_home(refreshed)
    assert home["type"] == "home"
    assert connect_button(home) is None
    assert all(block.get("block_id") != "hubspot_connect" for block in home["blocks"])
    # The App Home a person sees when opening it, in their own language.
    button = book_button(home)
    assert button is not None and button["text"]["text"] == "Agendar reunião"
    assert "Próximas reuniões" in str(home["blocks"])
    assert home == await harness.home(rita)


async def test_a_slack_failure_refreshing_app_home_still_shows_the_connected_page(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    dana = harness.person("T1", "U1DANA")
    url = connect_url(await harness.home(dana))
    harness.double.fail_next("views.publish", "internal_error")
    with caplog.at_level(logging.WARNING, logger="bot.hubspot.connect"):
        page = await harness.connect(dana, url=url)
    assert page.status_code == 200 and "HubSpot is connected" in page_text(page)
    assert [row["status"] for row in await harness.stored()] == ["connected"]
    assert "could not refresh App Home" in caplog.text and "internal_error" in caplog.text
    assert BOT_TOKEN not in caplog.text
    # Opening App Home shows the connected home as before.
    home = await harness.home(dana)
    assert connect_button(home) is None and book_button(home) is not None


async def test_in_slack_oauth_mode_app_home_is_refreshed_with_the_workspaces_own_token(
    tmp_path: Path,
) -> None:
    from tests.oauth.test_hubspot_full_install import bearer, connect_hubspot, installable_booker

    async with installable_booker(tmp_path) as booker:
        booker.double.add_user("U1DANA", tz="America/New_York", locale="en-US", name="Dana")
        assert (await booker.install("T0ACME")).page.status_code == 200
        connected = await connect_hubspot(booker, "T0ACME", "U1DANA")
        assert connected.status_code == 200 and "HubSpot is connected" in connected.text

        opened, refreshed = booker.double.calls_to("views.publish")
        assert connect_button(published_home(opened)) is not None
        assert refreshed.params["user_id"] == "U1DANA"
        assert bearer(refreshed) == booker.double.oauth.tokens_of("T0ACME")[-1]
        home = published_home(refreshed)
        assert connect_button(home) is None
        button = book_button(home)
        assert button is not None and button["text"]["text"] == "Book a meeting"


async def test_the_modal_asks_to_connect_first_and_books_nothing(harness: Harness) -> None:
    dana = harness.person("T1", "U1DANA")
    view = await harness.open_modal(dana, "demo tomorrow 10am ana@acme.com")
    button = connect_button(view)
    assert button is not None and button["url"].startswith(f"{PUBLIC}/hubspot/connect?")
    assert not view.get("submit")
    clicked = await dana.slack.block_action(
        view, {"action_id": "hubspot_connect", "type": "button", "block_id": "hubspot_connect"}
    )
    assert clicked.status_code == 200
    stats = await harness.sandbox_stats()
    assert all(portal["book_calls"] == 0 for portal in stats["portals"])


async def test_denied_consent_shows_a_cancelled_page_and_stores_nothing(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    page = await harness.connect(dana, decision="deny")
    assert page.status_code == 200
    assert "HubSpot was not connected" in page_text(page)
    again = re.search(r'class="button" href="([^"]+)"', page.text)
    assert again is not None and html.unescape(again.group(1)).startswith(PUBLIC)
    assert await harness.stored() == []
    assert (await harness.sandbox_stats())["token_requests"] == {}
    assert connect_button(await harness.home(dana)) is not None


async def test_a_tampered_expired_or_replayed_state_is_refused_without_a_token_request(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    url = connect_url(await harness.home(dana))
    to_hubspot = await harness.browser.get(url)
    state = parse_qs(urlsplit(to_hubspot.headers["location"]).query)["state"][0]
    callback = f"{PUBLIC}/hubspot/oauth/callback"

    payload, signature = state.split(".")
    other_team = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    for forged in (f"{other_team}.{signature}", "not-a-state", "<script>x</script>"):
        page = await harness.browser.get(callback, params={"code": "sbx-code-x", "state": forged})
        assert page.status_code == 400
        assert "not valid" in page_text(page)
        assert "<script>x" not in page.text

    harness.clock.now += timedelta(minutes=11)
    late = await harness.browser.get(callback, params={"code": "sbx-code-x", "state": state})
    assert late.status_code == 400 and "expired" in page_text(late)
    harness.clock.now += timedelta(days=1)
    stale_link = await harness.browser.get(url)
    assert stale_link.status_code == 400 and "expired" in page_text(stale_link)
    assert (await harness.sandbox_stats())["token_requests"] == {}

    harness.clock.now = NOW
    page = await harness.connect(dana)
    assert page.status_code == 200
    # The state that just worked cannot be used again.
    used_state = page.request.url.params["state"]
    replay = await harness.browser.get(callback, params={"code": "sbx-code-y", "state": used_state})
    assert replay.status_code == 400 and "expired or was already used" in page_text(replay)
    assert (await harness.sandbox_stats())["token_requests"] == {"authorization_code": 1}
    assert len(await harness.stored()) == 1


async def test_result_pages_follow_the_browsers_language(harness: Harness) -> None:
    page = await harness.browser.get(
        f"{PUBLIC}/hubspot/oauth/callback",
        params={"state": "forged"},
        headers={"Accept-Language": "pt-BR,pt;q=0.9"},
    )
    assert page.status_code == 400
    assert '<html lang="pt-BR"' in page.text
    assert "Não foi possível conectar o HubSpot" in page_text(page)


# --- tokens over time ---------------------------------------------------------------------------


async def test_a_token_expiring_during_a_booking_is_refreshed_first_and_booked_once(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    await harness.connect(dana)
    hub_id = int((await harness.stored())[0]["hub_id"])
    view = await harness.open_modal(dana, "demo tomorrow 10am ana@acme.com")
    # The person takes their time: HubSpot's 30-minute token is at its last minutes.
    harness.clock.now += timedelta(minutes=27)
    card = await harness.submit(dana, view)
    assert any(b.get("action_id") == "join_meeting" for b in buttons(card))

    portal = await harness.portal(hub_id)
    assert portal["book_calls"] == 1
    assert len(portal["bookings"]) == 1
    stats = await harness.sandbox_stats()
    assert stats["token_requests"] == {"authorization_code": 1, "refresh_token": 1}
    row = (await harness.stored())[0]
    assert row["expires_at"].replace(tzinfo=UTC) == harness.clock.now + timedelta(minutes=30)


async def test_a_token_hubspot_refuses_early_is_refreshed_once_and_the_booking_made_once(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    await harness.connect(dana)
    hub_id = int((await harness.stored())[0]["hub_id"])
    view = await harness.open_modal(dana, "demo tomorrow 10am ana@acme.com")
    expired = await harness.browser.post(f"{HUBSPOT}/_sandbox/oauth/expire", json={})
    assert expired.json()["expired"] >= 1

    card = await harness.submit(dana, view)
    assert any(b.get("action_id") == "join_meeting" for b in buttons(card))
    portal = await harness.portal(hub_id)
    # The refused request did nothing; the retry with the fresh token booked.
    assert len(portal["bookings"]) == 1
    assert portal["book_calls"] == 2
    stats = await harness.sandbox_stats()
    assert stats["token_requests"]["refresh_token"] == 1


async def test_a_revoked_connection_is_marked_broken_and_home_offers_to_reconnect(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    await harness.connect(dana)
    hub_id = int((await harness.stored())[0]["hub_id"])
    # A HubSpot admin uninstalls Booker's app: refresh tokens die, then the access token expires.
    await harness.browser.post(f"{HUBSPOT}/_sandbox/oauth/uninstall", json={"hub_id": hub_id})
    harness.clock.now += timedelta(minutes=31)

    view = await harness.open_modal(dana, "demo tomorrow 10am ana@acme.com")
    # Found out while drawing the form: the modal asks to reconnect instead.
    button = connect_button(view)
    assert button is not None and button["text"]["text"] == "Reconnect HubSpot"
    row = (await harness.stored())[0]
    assert row["status"] == "broken" and row["broken_reason"]

    home = await harness.home(dana)
    button = connect_button(home)
    assert button is not None and button["text"]["text"] == "Reconnect HubSpot"
    assert "connection is broken" in str(home["blocks"])
    again = await harness.open_modal(dana, "demo tomorrow 10am")
    assert connect_button(again) is not None

    # Reconnecting mends it, and booking works again.
    page = await harness.connect(dana, account=str(hub_id))
    assert page.status_code == 200
    row = (await harness.stored())[0]
    assert row["status"] == "connected" and int(row["hub_id"]) == hub_id
    card = await harness.book(dana, "demo tomorrow 10am ana@acme.com")
    assert any(b.get("action_id") == "join_meeting" for b in buttons(card))


# --- many workspaces ----------------------------------------------------------------------------


async def test_two_workspaces_book_the_same_slot_at_once_each_in_its_own_portal(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    eli = harness.person("T2", "U2ELI")
    await harness.connect(dana)
    await harness.connect(eli)
    hubs = {row["team_id"]: int(row["hub_id"]) for row in await harness.stored()}
    assert len(set(hubs.values())) == 2

    by_user = {
        "U1DANA": await harness.open_modal(dana, "demo tomorrow 10am ana@one.example"),
        "U2ELI": await harness.open_modal(eli, "demo tomorrow 10am bo@two.example"),
    }
    posted = len(harness.double.calls_to("chat.postMessage"))
    answers = await asyncio.gather(
        dana.slack.view_submission(by_user["U1DANA"], GUEST),
        eli.slack.view_submission(by_user["U2ELI"], GUEST),
    )
    assert [a.status_code for a in answers] == [200, 200]
    await harness.until(lambda: len(harness.double.calls_to("chat.postMessage")) >= posted + 2)

    one = await harness.portal(hubs["T1"])
    two = await harness.portal(hubs["T2"])
    assert [b["guestEmails"] for b in one["bookings"]] == [["ana@one.example"]]
    assert [b["guestEmails"] for b in two["bookings"]] == [["bo@two.example"]]
    assert one["book_calls"] == two["book_calls"] == 1
    assert (await harness.portal(MAIN_HUB_ID))["bookings"] == []


async def test_offline_with_the_built_in_sandbox_connect_is_clicks_only(tmp_path: Path) -> None:
    """`bookbot run --sandbox` with Connect HubSpot: HubSpot's consent page comes from Booker's
    own address, so a browser completes the whole connection and the booking offline."""
    async with running(tmp_path, offline=True) as offline:
        dana = offline.person("T1", "U1DANA")
        url = connect_url(await offline.home(dana))
        to_consent = await offline.browser.get(url)
        assert to_consent.headers["location"].startswith(f"{PUBLIC}/_hubspot_sandbox/oauth/")
        page = await offline.connect(dana)
        assert page.status_code == 200 and "HubSpot is connected" in page_text(page)
        card = await offline.book(dana, "demo tomorrow 10am ana@acme.com")
        assert any(b.get("action_id") == "join_meeting" for b in buttons(card))
        hub_id = int((await offline.stored())[0]["hub_id"])
        portals = offline.sandbox_app.state.oauth.portals
        assert len(portals[hub_id].state.bookings) == 1


async def test_removing_booker_from_a_workspace_revokes_and_deletes_its_hubspot_tokens(
    harness: Harness,
) -> None:
    dana = harness.person("T1", "U1DANA")
    eli = harness.person("T2", "U2ELI")
    await harness.connect(dana)
    await harness.connect(eli)
    cipher = TokenCipher.from_setting(harness.key)
    rows = {row["team_id"]: row for row in await harness.stored()}
    refresh = cipher.decrypt(rows["T1"]["refresh_token"])

    answer = await dana.slack.send_event({"type": "app_uninstalled"})
    assert answer.status_code == 200
    for _ in range(200):
        if [row["team_id"] for row in await harness.stored()] == ["T2"]:
            break
        await asyncio.sleep(0.02)
    assert [row["team_id"] for row in await harness.stored()] == ["T2"]
    # HubSpot no longer honours T1's refresh token; T2 still books.
    info = await harness.browser.post(
        f"{HUBSPOT}/oauth/2026-03/token/introspect",
        data={"token": refresh, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert info.json() == {"active": False}
    card = await harness.book(eli, "demo tomorrow 10am bo@two.example")
    assert any(b.get("action_id") == "join_meeting" for b in buttons(card))
