"""Issue 7's "done when": a second workspace installs Booker (Slack OAuth), connects its own
HubSpot account and books, with clicks only and offline (`--sandbox`: the built-in HubSpot
stand-in, its consent page served by Booker), while the first workspace keeps its own account."""

from __future__ import annotations

import contextlib
import html
import re
import secrets
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from bot.config import Settings
from bot.crypto import TokenCipher
from bot.devtools.slack_double import SlackDouble
from bot.services import build_services
from tests.oauth.conftest import (
    CHANNEL,
    CLIENT_ID,
    CLIENT_SECRET,
    NOW,
    Clock,
    OAuthBooker,
    serving,
)

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
_HREF = re.compile(r'href="([^"]+)"[^>]*>([^<]+)<')


@contextlib.asynccontextmanager
async def installable_booker(tmp_path: Path) -> AsyncIterator[OAuthBooker]:
    """Booker installable in many workspaces, each connecting HubSpot, all offline."""
    double = SlackDouble(tokens=[])
    await double.start()
    double.oauth.register(CLIENT_ID, CLIENT_SECRET)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    secret = secrets.token_hex(16)
    key = TokenCipher.generate_key()
    database_path = tmp_path / "ledger.db"
    clock = Clock(NOW)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=double.base_url,
        SLACK_AUTHORIZE_URL=f"{double.base_url.removesuffix('/api/')}/oauth/v2/authorize",
        BOOKBOT_ENCRYPTION_KEY=key,
        BOOKBOT_PUBLIC_URL=base_url,
        DATABASE_URL=f"sqlite:///{database_path}",
        HUBSPOT_CLIENT_ID="booker-hubspot-app",
        HUBSPOT_CLIENT_SECRET="hubspot-secret",
    )
    services = await build_services(settings, force_sandbox=True, clock=clock)
    assert services.hubspot_connect is not None
    sandbox_app = services.hubspot_connect.sandbox_app
    # The built-in sandbox runs on the wall clock; put it on the test's, as Booker is.
    sandbox_app.state.sandbox.config.clock = clock
    sandbox_app.state.sandbox.reset()
    async with serving(
        sock, settings, services, double, clock=clock, sandbox=sandbox_app.state.sandbox
    ) as booker:
        yield booker


def bearer(call: Any) -> str:
    return str(call.headers.get("Authorization", "")).removeprefix("Bearer ")


async def home(booker: OAuthBooker, team_id: str, user_id: str) -> dict[str, Any]:
    before = len(booker.double.calls_to("views.publish"))
    answer = await booker.slack(team_id, user_id).send_event(
        {"type": "app_home_opened", "user": user_id, "tab": "home"}
    )
    assert answer.status_code == 200
    await booker.until(lambda: len(booker.double.calls_to("views.publish")) > before)
    view: dict[str, Any] = booker.double.calls_to("views.publish")[-1].params["view"]
    return view


def connect_url(view: dict[str, Any]) -> str:
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == "hubspot_connect":
            return str(accessory["url"])
    raise AssertionError("no Connect HubSpot button in App Home")


async def connect_hubspot(booker: OAuthBooker, team_id: str, user_id: str) -> httpx.Response:
    """Click Connect HubSpot, then "Allow for a new account" on the consent page."""
    async with httpx.AsyncClient(timeout=10, follow_redirects=True) as browser:
        consent = await browser.get(connect_url(await home(booker, team_id, user_id)))
        assert consent.status_code == 200, consent.text
        links = {text: html.unescape(href) for href, text in _HREF.findall(consent.text)}
        return await browser.get(consent.url.join(links["Allow for a new account"]))


async def book(booker: OAuthBooker, team_id: str, user_id: str, text: str) -> Any:
    slack = booker.slack(team_id, user_id)
    updates = len(booker.double.calls_to("views.update"))
    assert (await slack.slash_command(text)).status_code == 200
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
    view = dict(list(booker.double.views.values())[-1])
    posted = len(booker.double.calls_to("chat.postMessage"))
    assert (await slack.view_submission(view, GUEST)).status_code == 200
    await booker.until(lambda: len(booker.double.calls_to("chat.postMessage")) > posted)
    return booker.double.calls_to("chat.postMessage")[-1]


async def test_a_second_workspace_installs_connects_its_hubspot_and_books(
    tmp_path: Path,
) -> None:
    async with installable_booker(tmp_path) as booker:
        booker.double.add_user("U1DANA", tz="America/New_York", locale="en-US", name="Dana")
        booker.double.add_user("U2ELI", tz="America/New_York", locale="en-US", name="Eli")
        portals: dict[str, int] = {}
        for team, person, guest in (
            ("T0ACME", "U1DANA", "ana@acme.example"),
            ("T0GLOBEX", "U2ELI", "bo@globex.example"),
        ):
            installed = await booker.install(team)
            assert installed.page.status_code == 200
            connected = await connect_hubspot(booker, team, person)
            assert connected.status_code == 200
            assert "HubSpot is connected" in connected.text
            oauth = booker.services.hubspot_connect
            assert oauth is not None
            connection = await oauth.accounts.connection(team)
            assert connection is not None and connection.hub_id is not None
            portals[team] = int(connection.hub_id)

            card = await book(booker, team, person, f"demo tomorrow 10am {guest}")
            assert card.params["channel"] == CHANNEL
            [team_token] = booker.double.oauth.tokens_of(team)
            assert bearer(card) == team_token  # posted with this workspace's bot token
            assert "join_meeting" in str(card.params["blocks"])

        assert portals["T0ACME"] != portals["T0GLOBEX"]
        sandbox = oauth.sandbox_app.state.oauth
        acme = sandbox.portals[portals["T0ACME"]].state.bookings
        globex = sandbox.portals[portals["T0GLOBEX"]].state.bookings
        assert [b["guestEmails"] for b in acme] == [["ana@acme.example"]]
        assert [b["guestEmails"] for b in globex] == [["bo@globex.example"]]
