"""Secrets and personal data stay out of logs; URLs from people never become buttons or fetches."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest

from bot.devtools.sandbox import SandboxConfig
from bot.logging_setup import log_handler
from tests.conftest import APP_TOKEN, BOT_TOKEN, HUBSPOT_TOKEN, NOW, start_booker
from tests.faults.helpers import GUEST, action_ids, text_of, tracebacks

GUEST_EMAIL = "ana.souza@acme-private.example"


def _record_text(record: logging.LogRecord) -> str:
    """All a log record can put in front of someone: the message, its args, its traceback."""
    parts = [record.getMessage(), repr(record.args), str(record.msg)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


async def _book_with_everything_logged(tmp_path: Path) -> dict[str, str]:
    """A whole booking (and /book list) with every secret configured; returns the secrets."""
    sandbox = SandboxConfig(clock=lambda: NOW, access_token=HUBSPOT_TOKEN)
    # The channel card shows the guest's email too (BOOKBOT_CARD_GUEST_EMAIL), so it passes
    # through every Slack call that might be logged.
    settings = {"SLACK_APP_TOKEN": APP_TOKEN, "BOOKBOT_CARD_GUEST_EMAIL": "true"}
    async with start_booker(tmp_path, sandbox=sandbox, settings=settings) as booker:
        view = await booker.open_modal(f"demo tomorrow 10am {GUEST_EMAIL}")
        await booker.submit(view, GUEST)
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        await booker.posted()
        await booker.slack.slash_command("list", response_url=booker.double.response_url())
        await booker.until(lambda: len(booker.double.responses) == 1)
        assert GUEST_EMAIL in str(booker.double.messages)  # the card does show it, to people
        return {
            "bot token": BOT_TOKEN,
            "app token": APP_TOKEN,
            "signing secret": booker.secret,
            "HubSpot token": HUBSPOT_TOKEN,
            "guest email": GUEST_EMAIL,
        }


def _leaks(records: list[logging.LogRecord], secrets: dict[str, str]) -> list[str]:
    return [
        f"{name} in {record.name}: {record.getMessage()[:160]!r}"
        for record in records
        for name, secret in secrets.items()
        if secret in _record_text(record)
    ]


async def test_no_secret_in_any_log_record_at_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = await _book_with_everything_logged(tmp_path)
    assert len(caplog.records) > 50  # DEBUG really was on: Bolt, slack_sdk, httpx, Booker
    tokens = {name: value for name, value in secrets.items() if name != "guest email"}
    assert _leaks(caplog.records, tokens) == []
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("json_lines", [False, True])
async def test_what_booker_writes_to_its_log_at_debug_has_no_secret_and_no_guest_email(
    tmp_path: Path, json_lines: bool
) -> None:
    stream = io.StringIO()
    handler = log_handler(json_lines=json_lines, stream=stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        secrets = await _book_with_everything_logged(tmp_path)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    written = stream.getvalue()
    assert "views.open" in written and "chat.postMessage" in written  # DEBUG lines were written
    assert [name for name, secret in secrets.items() if secret in written] == []
    assert "a***@acme-private.example" in written  # guests stay tellable apart, masked


async def test_no_guest_email_in_any_raw_log_record_at_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = await _book_with_everything_logged(tmp_path)
    assert _leaks(caplog.records, {"guest email": secrets["guest email"]}) == []


@pytest.mark.parametrize(
    "base",
    [
        "http://meet.example.com/j",
        "javascript:alert(document.cookie)//",
        "JavaScript:alert(1)//",
        "data:text/html,<script>alert(1)</script>",
        "https:/missing-host",
    ],
)
async def test_a_web_conference_url_that_is_not_https_is_never_a_button(
    tmp_path: Path, base: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = SandboxConfig(clock=lambda: NOW, web_conference_base=base)
    async with start_booker(tmp_path, sandbox=sandbox) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.submit(view, GUEST)
        result = await booker.result()
        card = (await booker.posted())[0]
        await booker.slack.slash_command("list", response_url=booker.double.response_url())
        await booker.until(lambda: len(booker.double.responses) == 1)
        await booker.slack.send_event({"type": "app_home_opened", "user": "U0PERSON"})
        await booker.until(lambda: bool(booker.double.calls_to("views.publish")))
        home = booker.double.calls_to("views.publish")[-1].params["view"]
        seen = [result, card, booker.double.responses[0], home]
        for surface in seen:
            assert "join_meeting" not in action_ids(surface)
            urls = [b.get("url", "") for b in _all_elements(surface)]
            assert not [u for u in urls if not u.startswith("https://")], urls
        assert booker.sandbox.bookings[0]["webConferenceUrl"].startswith(base)  # it was sent
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        assert "<javascript:" not in text_of(card).lower()
    assert tracebacks(caplog) == []


def _all_elements(surface: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "url" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(surface.get("blocks", []))
    return found


class Listener:
    """A TCP listener that counts every connection made to it."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            writer.close()

        self.server = await asyncio.start_server(accept, "127.0.0.1", 0)
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


async def test_no_url_typed_by_a_person_is_ever_fetched(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    listener = Listener()
    port = await listener.start()
    bait = f"http://127.0.0.1:{port}/x"
    try:
        async with start_booker(tmp_path) as booker:
            view = await booker.open_modal(f"demo tomorrow 10am ana@acme.com {bait} <{bait}|here>")
            await booker.submit(
                view,
                {
                    "guest_first_name": bait,
                    "guest_last_name": f"<{bait}>",
                    "when": f"tomorrow 10am {bait}",
                },
            )
            await booker.result()
            await booker.slack.block_suggestion(view, "meeting_page", bait)
            await booker.slack.block_action(
                view,
                {"action_id": "when", "block_id": "when", "type": "plain_text_input"},
                {"when": bait},
            )
            await booker.slack.slash_command(bait, response_url=booker.double.response_url())
            await asyncio.sleep(0.5)
            posts = booker.double.calls_to("chat.postMessage")
            assert all(call.params.get("unfurl_links") in (False, "false", "0") for call in posts)
        assert listener.connections == 0
    finally:
        await listener.stop()
    assert tracebacks(caplog) == []
