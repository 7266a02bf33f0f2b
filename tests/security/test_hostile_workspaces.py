"""Hostile clients in multi-workspace (OAuth) mode: anonymous install hits write nothing, and at
DEBUG no log line carries an OAuth code, a secret, a token, a body or a guest email."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from bot.devtools.slack_requests import EVENTS_PATH
from tests.faults.helpers import tracebacks
from tests.oauth.conftest import CLIENT_SECRET, OAuthBooker, running_booker

GUEST_EMAIL = "ana.souza@acme-private.example"


@pytest.fixture
async def booker(tmp_path: Path) -> AsyncIterator[OAuthBooker]:
    async with running_booker(tmp_path) as running:
        yield running


async def _state_rows(booker: OAuthBooker) -> int:
    engine = booker.services.store.engine
    async with engine.connect() as connection:
        count = (await connection.execute(sa.text("SELECT count(*) FROM oauth_states"))).scalar()
    return int(count or 0)


async def test_anonymous_install_page_hits_write_no_state_row(booker: OAuthBooker) -> None:
    for _ in range(20):
        await booker.install_page()
    assert await _state_rows(booker) == 0
    # The flow still works, and its state is good once.
    booker.double.oauth.add_workspace("T0ACME", "Acme Corp")
    finished = await booker.install("T0ACME")
    assert finished.page.status_code == 200 and "Booker is installed" in finished.page.text
    again = await booker.back_to_app(finished.redirect, parse_qs(
        urlsplit(finished.redirect).query)["state"][0])  # fmt: skip
    assert again.status_code == 401 and "invalid_state" in again.text


async def test_nothing_secret_reaches_a_log_line_at_debug_in_multi_workspace_mode(
    booker: OAuthBooker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    booker.double.oauth.add_workspace("T0ACME", "Acme Corp")
    finished = await booker.install("T0ACME")
    assert finished.page.status_code == 200
    code = parse_qs(urlsplit(finished.redirect).query)["code"][0]
    # A workspace member books; a stranger sends an unsigned body with a guest email in it.
    view_answer = await booker.slack("T0ACME").slash_command(f"demo tomorrow 10am {GUEST_EMAIL}")
    assert view_answer.status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("views.open")))
    body = urlencode({"command": "/book", "text": f"demo {GUEST_EMAIL}"}).encode()
    unsigned = await booker.http.post(
        EVENTS_PATH,
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    assert unsigned.status_code == 401
    installed = sorted(booker.double.tokens)  # the workspace's bot token among them
    secrets = {
        "OAuth code": code,
        "client secret": CLIENT_SECRET,
        "signing secret": booker.secret,
        "encryption key": booker.encryption_key,
        "guest email": GUEST_EMAIL,
        "guest email, form-encoded": GUEST_EMAIL.replace("@", "%40"),
        **{f"bot token {i}": token for i, token in enumerate(installed)},
    }
    assert len(caplog.records) > 20  # DEBUG really was on
    leaks = [
        f"{name} in {record.name}: {record.getMessage()[:120]!r}"
        for record in caplog.records
        for name, value in secrets.items()
        if value in record.getMessage()
    ]
    assert leaks == []
    assert tracebacks(caplog) == []


# --------------------------------------------------------------------------- Connect HubSpot


async def test_a_connect_link_works_once(tmp_path: Path) -> None:
    from tests.oauth.test_hubspot_connect import connect_url, page_text, running

    async with running(tmp_path) as harness:
        dana = harness.person("T1", "U1DANA")
        url = connect_url(await harness.home(dana))
        assert (await harness.browser.get(url)).status_code == 302
        # The same link again, here or anywhere it was forwarded to: refused, nothing started.
        replay = await harness.browser.get(url)
        assert replay.status_code == 400
        assert "expired or was already used" in page_text(replay)
        # A fresh link (App Home is published anew) still connects.
        page = await harness.connect(dana)
        assert page.status_code == 200
        assert len(await harness.stored()) == 1


async def test_the_callback_only_connects_in_the_browser_that_opened_the_link(
    tmp_path: Path,
) -> None:
    import html as html_module
    from urllib.parse import urljoin

    import httpx

    from tests.oauth.test_hubspot_connect import _HREF, connect_url, page_text, running

    async with running(tmp_path) as harness:
        dana = harness.person("T1", "U1DANA")
        # The attacker starts the flow with their own link and approves their own portal...
        to_hubspot = await harness.browser.get(connect_url(await harness.home(dana)))
        consent = await harness.browser.get(to_hubspot.headers["location"])
        links = {text: html_module.unescape(href) for href, text in _HREF.findall(consent.text)}
        back = await harness.browser.get(
            urljoin(str(consent.url), links["Allow for a new account"])
        )
        callback = back.headers["location"]
        # ...and sends the callback address to a victim, whose browser never opened a link.
        victim = httpx.AsyncClient(transport=harness.browser._transport, timeout=10)
        async with victim:
            refused = await victim.get(callback)
        assert refused.status_code == 400
        assert "browser where you pressed Connect HubSpot" in page_text(refused)
        assert await harness.stored() == []
        assert (await harness.sandbox_stats())["token_requests"] == {}
        # In the browser that started it, the same callback connects.
        assert (await harness.browser.get(callback)).status_code == 200
        assert len(await harness.stored()) == 1


async def test_with_sandbox_the_public_port_serves_only_the_consent_page(tmp_path: Path) -> None:
    from tests.oauth.test_hubspot_connect import CLIENT_ID, connect_url, running

    async with running(tmp_path, offline=True) as harness:
        mount = "/_hubspot_sandbox"
        for method, path in (
            ("GET", "/_sandbox/oauth"),
            ("POST", "/_sandbox/reset"),
            ("POST", "/_sandbox/faults"),
            ("GET", "/_sandbox/stats"),
            ("GET", "/scheduler/v3/meetings/meeting-links"),
        ):
            answer = await harness.http.request(method, mount + path)
            assert answer.status_code == 404, (method, path)
        # The consent page never sends a browser anywhere but Booker's own callback.
        evil = await harness.http.get(
            f"{mount}/oauth/authorize",
            params={
                "client_id": CLIENT_ID,
                "redirect_uri": "https://evil.example/steal",
                "scope": "oauth",
                "state": "x",
                "decision": "allow",
            },
        )
        assert evil.status_code == 404 and "evil.example" not in evil.headers.get("location", "")
        # What the demo needs still works: the click-through connect.
        dana = harness.person("T1", "U1DANA")
        to_consent = await harness.browser.get(connect_url(await harness.home(dana)))
        assert to_consent.status_code == 302
        consent = await harness.browser.get(to_consent.headers["location"])
        assert consent.status_code == 200
