"""A hostile client against Booker over a real socket (uvicorn): oversized, slow, unsigned and
malformed requests are answered at once by the guard, never reach Bolt, its logs or the ack
metric, and never hold up anyone else."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.devtools.slack_requests import EVENTS_PATH, signed_headers
from bot.logging_setup import log_handler
from tests.conftest import CHANNEL, PERSON, FaultBooker, start_booker
from tests.faults.helpers import tracebacks

FORM = "application/x-www-form-urlencoded"
MARKER = "ana.souza@acme-private.example"
LIMIT = 1024 * 1024  # bot.guard.MAX_BODY_BYTES, as an operator would read it in the README


@pytest.fixture
async def booker(tmp_path: Path) -> AsyncIterator[FaultBooker]:
    async with start_booker(tmp_path, settings={"BOOKBOT_BODY_TIMEOUT_SECONDS": 1}) as running:
        yield running


def _port(booker: FaultBooker) -> int:
    return int(str(booker.http.base_url).rsplit(":", 1)[1].rstrip("/"))


class RawAnswer:
    def __init__(self, status: int, head: str, sent: int, closed: bool) -> None:
        self.status, self.head, self.sent, self.closed = status, head, sent, closed


async def _raw_post(
    port: int,
    *,
    headers: dict[str, str],
    body_size: int,
    chunk: bytes = b"x" * 65536,
    first: bytes = b"",
    stall_after: int | None = None,
    deadline: float = 20.0,
) -> RawAnswer:
    """POST /slack/events announcing `body_size` bytes and sending them (`first`, then `chunk`
    repeated) until the server answers; stops sending after `stall_after` bytes if given.
    Returns the status, how many body bytes were sent by then, and whether the server closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"POST {EVENTS_PATH} HTTP/1.1", "Host: booker.test", f"Content-Length: {body_size}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    sent = 0

    async def send_body() -> None:
        nonlocal sent
        pieces = [first] if first else []
        while sent < body_size:
            piece = pieces.pop(0) if pieces else chunk
            piece = piece[: body_size - sent]
            if stall_after is not None:
                piece = piece[: max(0, stall_after - sent)]
                if not piece:
                    await asyncio.Event().wait()  # stall for ever
            writer.write(piece)
            sent += len(piece)
            try:
                await writer.drain()
            except ConnectionError:  # the server closed: it has answered
                return

    sender = asyncio.ensure_future(send_body())
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), deadline)
        sent_then = sent
        # Until the server closes (a reset when some of what we sent was left unread).
        with contextlib.suppress(ConnectionResetError):
            await asyncio.wait_for(reader.read(), deadline)
        closed = True
    finally:
        sender.cancel()
        writer.close()
    text = head.decode()
    return RawAnswer(int(text.split(" ", 2)[1]), text, sent_then, closed)


def _hostile_headers(booker: FaultBooker) -> dict[str, str]:
    """What an attacker can send: a fresh timestamp and a signature of the right shape, not
    made with the secret."""
    return {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }


def _guard_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "bot.guard"]


def _body_in_logs(caplog: pytest.LogCaptureFixture, marker: str) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()[:120]!r}"
        for record in caplog.records
        if marker in record.getMessage() or marker[:20] in record.getMessage()
    ]


@pytest.mark.parametrize("size", [100_000, 1_000_000, 50_000_000])
async def test_an_unsigned_body_of_any_size_is_refused_at_once_and_never_logged(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, size: int
) -> None:
    caplog.set_level(logging.DEBUG)
    # A long run without an `@` (what made the old email redaction quadratic), a guest email,
    # and a newline that would forge a log line if the body were ever logged.
    first = (f"command=/book&text={MARKER}%0AERROR+forged&filler=").encode()
    health_before = await booker.http.get("/healthz")
    # Past 2 MB the sender waits for an answer: a server that reads everything never gives one.
    answer = await _raw_post(
        _port(booker),
        headers=_hostile_headers(booker),
        body_size=size,
        first=first,
        stall_after=2_000_000,
    )
    if size > LIMIT:
        assert answer.status == 413
        assert answer.sent < size  # answered long before the 50 MB were sent: never read
    else:
        assert answer.status == 401
    assert answer.closed
    assert (await booker.http.get("/healthz")).status_code == health_before.status_code == 200
    assert _body_in_logs(caplog, MARKER) == []
    assert _body_in_logs(caplog, "x" * 64) == []
    guard = _guard_lines(caplog)
    assert [record.levelno for record in guard] == [logging.WARNING]
    assert "/slack/events" in guard[0].getMessage()
    assert tracebacks(caplog) == []
    assert booker.double.calls == []


async def test_healthz_answers_while_a_huge_unsigned_body_is_being_sent(
    booker: FaultBooker,
) -> None:
    hostile = asyncio.ensure_future(
        _raw_post(
            _port(booker),
            headers={"Content-Type": FORM},
            body_size=50_000_000,
            stall_after=2_000_000,
        )
    )
    try:
        for _ in range(5):
            assert (await booker.http.get("/healthz")).status_code == 200
    finally:
        answer = await hostile
    assert answer.status == 413  # refused from its Content-Length alone
    assert answer.sent < 50_000_000


async def test_a_slow_body_sender_is_cut_off(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    # BOOKBOT_BODY_TIMEOUT_SECONDS=1 in this module's Booker (10 s by default).
    headers = _hostile_headers(booker)
    answer = await _raw_post(
        _port(booker), headers=headers, body_size=1000, chunk=b"x", stall_after=10, deadline=10
    )
    assert answer.status == 408
    assert answer.closed and answer.sent == 10
    assert [record.getMessage() for record in _guard_lines(caplog)] == [
        "refused POST /slack/events from 127.0.0.1: body not sent in time (408)"
    ]
    assert (await booker.http.get("/healthz")).status_code == 200


def _malformed(secret: str) -> dict[str, tuple[bytes, dict[str, str]]]:
    now = str(int(time.time()))
    slash = urlencode({"command": "/book", "text": "demo", "user_id": PERSON}).encode()

    def signed(body: bytes, content_type: str = FORM) -> tuple[bytes, dict[str, str]]:
        return body, signed_headers(secret, body, content_type=content_type)

    return {
        "non-numeric timestamp": (
            slash,
            {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"},
        ),
        "huge timestamp": (
            slash,
            {
                "Content-Type": FORM,
                "X-Slack-Request-Timestamp": "9" * 400,
                "X-Slack-Signature": "v0=" + "0" * 64,
            },
        ),
        "invalid UTF-8, unsigned": (b"command=/book&text=\xff\xfe", {"Content-Type": FORM}),
        "invalid UTF-8, signed": signed(b"command=/book&text=\xff\xfe"),
        "JSON content type, not JSON, unsigned": (
            b"{not json",
            {"Content-Type": "application/json", "X-Slack-Request-Timestamp": now},
        ),
        "JSON content type, not JSON, signed": signed(b"{not json", "application/json"),
        "JSON that is not an object, signed": signed(b"[1, 2]", "application/json"),
        "payload=x, unsigned": (b"payload=x", {"Content-Type": FORM}),
        "payload=x, signed": signed(b"payload=x"),
        "payload=[], signed": signed(b"payload=%5B%5D"),
    }


@pytest.mark.parametrize("case", list(_malformed("s")))
async def test_a_malformed_request_gets_400_or_401_and_one_warning_never_500(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, headers = _malformed(booker.secret)[case]
    answer = await booker.http.post(EVENTS_PATH, content=body, headers=headers)
    # Unsigned: 401 (nobody we know sent it). Signed by Slack but unreadable: 400.
    assert answer.status_code == (400 if case.endswith(", signed") else 401)
    assert tracebacks(caplog) == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [record.levelno for record in _guard_lines(caplog)] == [logging.WARNING]
    assert booker.double.calls == []


def _ack_count(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("bookbot_slack_ack_seconds_count")
    )


async def test_refused_requests_are_not_counted_as_acks(booker: FaultBooker) -> None:
    await booker.open_modal("demo")
    before = _ack_count((await booker.http.get("/metrics")).text)
    assert before >= 1
    for _ in range(3):
        body = urlencode({"command": "/book", "text": "x", "channel_id": CHANNEL}).encode()
        answer = await booker.http.post(EVENTS_PATH, content=body, headers=_hostile_headers(booker))
        assert answer.status_code == 401
    metrics = (await booker.http.get("/metrics")).text
    assert _ack_count(metrics) == before
    assert 'bookbot_http_refused_total{reason="signature does not match"} 3.0' in metrics


async def test_newlines_in_a_request_cannot_forge_log_lines(booker: FaultBooker) -> None:
    stream = io.StringIO()
    handler = log_handler(stream=stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    forged = "\n2026-01-01 00:00:00,000 ERROR bot.booking: FORGED booked for eve"
    try:
        body = urlencode({"command": "/book", "text": forged}).encode()
        await booker.http.post(EVENTS_PATH, content=body, headers={"Content-Type": FORM})
        raw = ('{"type": "event_callback"}' + forged).encode()
        json_headers = _hostile_headers(booker) | {"Content-Type": "application/json"}
        await booker.http.post(EVENTS_PATH, content=raw, headers=json_headers)
        # A signed one too: what a person types is theirs to type, never a line of its own.
        await booker.slack.slash_command(forged.replace("\n", "\r\n"))
        await booker.until(lambda: bool(booker.double.calls_to("views.open")))
        logging.getLogger("bot.test").warning("typed: %s", forged)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert any("refused POST /slack/events" in line for line in lines)
    assert any("typed: " in line for line in lines)
    assert [line for line in lines if line.startswith("2026-01-01")] == []


def test_redaction_of_a_megabyte_masks_what_it_keeps_and_cuts_the_rest() -> None:
    from bot.logging_setup import MAX_LOGGED_CHARS, redact

    email = "ana.souza@acme-private.example"
    token = "xoxb-1111-2222-abcdefabcdef"
    # Emails and tokens in the kept part; one straddling the cut; a megabyte of filler without
    # an `@` (the old pattern's quadratic case) after it.
    filler = "x" * (MAX_LOGGED_CHARS - 40 - len(email) - len(token) - 4)
    straddling = "bruno.lima@acme-private.example"
    text = f"{email} {token} text=ana%40acme.com {filler} {straddling}" + "y" * 1_000_000
    cleaned = redact(text)
    assert len(cleaned) <= MAX_LOGGED_CHARS + 40
    assert cleaned.startswith("a***@acme-private.example [redacted] text=a***@acme.com xxx")
    assert "bruno" not in cleaned and "lima" not in cleaned
    assert "y" * 10 not in cleaned
    assert cleaned.endswith(" characters cut]")
    # Short text is untouched but for the masking.
    assert redact("booked for bruno.lima@acme.com") == "booked for b***@acme.com"
    # Long runs that are not addresses are left as they are (below the cut).
    assert redact("a@" * 1000) == "a@" * 1000
    assert redact("%40" * 1000) == "%40" * 1000


# --------------------------------------------------------------------------- the signing secret


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_http_mode_refuses_to_start_with_a_blank_signing_secret(tmp_path: Path, blank: str) -> None:
    from tests.test_cli import run

    env = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": blank}
    try:
        done = run(["run", "--sandbox", "--port", "0"], env=env, cwd=tmp_path, timeout=30)
    except subprocess.TimeoutExpired as started:  # it served, unverified, until killed
        raise AssertionError("bookbot run started with a blank signing secret") from started
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "bookbot: SLACK_SIGNING_SECRET is blank: HTTP mode verifies every request with it; "
        "copy it from Basic Information > Signing Secret"
    ]


def test_the_app_is_never_built_without_verification_in_http_mode(tmp_path: Path) -> None:
    from pydantic import SecretStr

    from bot.app import build_app
    from bot.config import Settings
    from bot.services import build_services

    async def build() -> None:
        settings = Settings(
            SLACK_BOT_TOKEN=SecretStr("xoxb-1-2-abc"),
            SLACK_SIGNING_SECRET=SecretStr(" "),
            DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
        )
        services = await build_services(settings, force_sandbox=True)
        try:
            with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
                build_app(settings, services)
        finally:
            await services.aclose()

    asyncio.run(build())


def test_check_calls_a_blank_secret_a_problem_and_prints_no_character_of_a_secret(
    tmp_path: Path,
) -> None:
    from tests.test_cli import run

    client_secret = "abcd-efgh-1234-5678-secret"
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
        "SLACK_SIGNING_SECRET": "  ",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "HUBSPOT_CLIENT_ID": "hub-client",
        "HUBSPOT_CLIENT_SECRET": client_secret,
    }
    done = run(["check"], env=env, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "set (0 chars)" not in output and "set (2 chars)" not in output
    line = next(line for line in output.splitlines() if line.startswith("SLACK_SIGNING_SECRET"))
    assert "BLANK" in line
    assert "SLACK_SIGNING_SECRET is blank" in output
    secret_line = next(
        line for line in output.splitlines() if line.startswith("HUBSPOT_CLIENT_SECRET")
    )
    assert secret_line.split(None, 1)[1] == f"set (…{len(client_secret)} chars)"
    assert "abcd" not in output


# --------------------------------------------------------------------------- long text


async def test_long_book_text_is_refused_with_a_message_and_never_parsed(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    text = "demo tomorrow 10am ana@acme.com " + "and then " * 900  # ~8,000 characters
    answer = await booker.slack.slash_command(text, response_url=booker.double.response_url())
    assert answer.status_code == 200
    await booker.until(lambda: len(booker.double.responses) == 1)
    said = booker.double.responses[0]
    assert said["response_type"] == "ephemeral"
    assert said["text"] == booker.text("error.text_too_long", limit=500, length=len(text))
    assert booker.double.calls_to("views.open") == []
    # 500 characters exactly are still read.
    await booker.open_modal(("demo tomorrow 10am " + "x" * 500)[:500])
    assert tracebacks(caplog) == []


async def test_every_free_text_field_is_capped_at_500_characters(booker: FaultBooker) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    full = booker.double.calls_to("views.update")[-1].params["view"]
    texts = [
        block["element"]
        for block in full["blocks"]
        if block.get("type") == "input" and block["element"]["type"] == "plain_text_input"
    ]
    assert texts and all(element["max_length"] == 500 for element in texts)
    # A client that ignores max_length: each long field gets its own inline error, nothing parsed
    # or booked, and everything else typed is kept (Slack keeps the form on `errors`).
    long = "next friday at 3pm " * 30
    answer = await booker.submit(
        view, {"when": long, "guest_first_name": "A" * 501, "guest_last_name": "Souza"}
    )
    assert answer["response_action"] == "errors"
    too_long = booker.text("error.field_too_long", limit=500)
    errors = answer["errors"]
    assert errors["guest_first_name"] == too_long
    assert [message for block, message in errors.items() if block.startswith("when")] == [too_long]
    assert "guest_last_name" not in errors
    assert booker.sandbox.book_calls == 0


# --------------------------------------------------------------------------- per-person budget


def _hubspot_calls(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("bookbot_hubspot_requests_total{")
    )


ZONES = ["Europe/Lisbon", "Europe/Madrid", "Asia/Tokyo", "America/Chicago", "America/Denver",
         "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "America/Bogota", "Africa/Cairo",
         "Europe/London", "America/Sao_Paulo"]  # fmt: skip


async def test_one_person_cannot_spend_everyone_s_hubspot_budget(tmp_path: Path) -> None:
    from bot.devtools.slack_requests import SlackRequests

    settings = {"BOOKBOT_PERSON_BUDGET_PER_MINUTE": 5}
    async with start_booker(tmp_path, settings=settings) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.until(lambda: len(booker.double.calls_to("views.update")) >= 1)
        before = _hubspot_calls((await booker.http.get("/metrics")).text)
        slow_down = booker.text("error.slow_down")
        action = {"action_id": "timezone", "block_id": "timezone", "type": "static_select"}
        for zone in ZONES:
            updates = len(booker.double.calls_to("views.update"))
            await booker.slack.block_action(view, action, {"timezone": (zone, zone)})
            await booker.until(lambda n=updates: len(booker.double.calls_to("views.update")) > n)
        shown = [str(call.params["view"]) for call in booker.double.calls_to("views.update")]
        noted = [text for text in shown[-len(ZONES) :] if slow_down in text]
        assert len(noted) == len(ZONES) - 5  # the first five were checked with HubSpot
        spent = _hubspot_calls((await booker.http.get("/metrics")).text) - before
        assert spent <= 5 * 2  # page details and availability per checked change, no more
        # The modal kept what the person typed: the slow-down view is the one Slack showed.
        last = booker.double.calls_to("views.update")[-1].params["view"]
        ids = [block.get("block_id") for block in last["blocks"]]
        assert {"meeting_page", "guest_email", "guest_first_name"} <= set(ids)
        preview = last["blocks"][ids.index("when_preview")]
        assert preview["text"]["text"] == slow_down
        # Someone else, in their own modal, is not slowed down by it.
        booker.double.add_user("U0OTHER", tz="Asia/Tokyo", locale="en-US", name="Eve")
        other = SlackRequests(booker.http, booker.secret, user_id="U0OTHER", channel_id=CHANNEL)
        updates = len(booker.double.calls_to("views.update"))
        await other.slash_command("demo tomorrow 10am bo@acme.com")
        await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
        theirs = booker.view()
        updates = len(booker.double.calls_to("views.update"))
        await other.block_action(theirs, action, {"timezone": ("Asia/Tokyo", "Asia/Tokyo")})
        await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
        assert slow_down not in str(booker.double.calls_to("views.update")[-1].params["view"])
        # And the person who was slowed down still books: bookings are never held by it.
        await booker.submit(view, {"guest_first_name": "Ana", "guest_last_name": "Souza"})
        await booker.posted()
        assert booker.sandbox.book_calls == 1


# --------------------------------------------------------------------------- keys from Slack


def _answers() -> dict[str, str]:
    return {"guest_first_name": "Ana", "guest_last_name": "Souza"}


@pytest.mark.parametrize("forgery", ["another person", "edited", "unsigned"])
async def test_a_modal_whose_private_metadata_booker_did_not_write_books_nothing(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, forgery: str
) -> None:
    import json

    from bot.devtools.slack_requests import SlackRequests

    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    sealed = view["private_metadata"]
    text, _, signature = sealed.rpartition("~")
    assert json.loads(text)["user_id"] == PERSON and signature  # signed, with who asked
    sender = booker.slack
    if forgery == "another person":
        # A signed request from someone else, carrying the modal Booker opened for PERSON.
        sender = SlackRequests(booker.http, booker.secret, user_id="U0EVE", channel_id=CHANNEL)
    elif forgery == "edited":
        edited = text.replace(CHANNEL, "C0ELSEWHERE")
        view = view | {"private_metadata": f"{edited}~{signature}"}
    else:
        view = view | {"private_metadata": text}
    answer = await sender.view_submission(view, _answers())
    assert answer.status_code == 200 and not answer.content  # acknowledged, nothing more
    await asyncio.sleep(0.3)  # anything started after the ack would have called out by now
    assert booker.sandbox.book_calls == 0
    assert booker.double.calls_to("chat.postMessage") == []
    assert await booker.ledger() == []
    warned = [r.getMessage() for r in caplog.records if r.name == "bot.app"]
    assert len(warned) == 1 and "private_metadata" in warned[0]
    # The genuine modal, submitted by the person it was opened for, books.
    genuine = booker.view()
    assert (await booker.submit(genuine, _answers()))["response_action"] == "update"
    await booker.posted()
    assert booker.sandbox.book_calls == 1


async def test_a_booking_key_from_another_workspace_gives_it_nothing(
    booker: FaultBooker,
) -> None:
    from bot.devtools.slack_requests import SlackRequests

    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    await booker.submit(view, _answers())
    card = (await booker.posted())[0]
    button = next(
        element
        for block in card["blocks"]
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("action_id") == "add_to_calendar"
    )
    # Workspace B (a signed click: same app, another workspace) sends workspace A's key.
    booker.double.add_user("U0EVE", tz="UTC", locale="en-US", name="Eve")
    other = SlackRequests(
        booker.http, booker.secret, team_id="T0OTHER", user_id="U0EVE", channel_id="C0B"
    )
    payload = other._envelope("block_actions") | {
        "actions": [button | {"block_id": "booking_actions", "action_ts": str(time.time())}],
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "C0B"},
        "channel": {"id": "C0B", "name": "general"},
        "message": {"type": "message", "ts": "1.2", "text": "card"},
        "response_url": booker.double.response_url("click"),
    }
    assert (await other.send_interaction(payload)).status_code == 200
    await booker.until(lambda: len(booker.double.responses) == 1)
    assert booker.double.responses[0]["text"] == booker.text("calendar.not_found")
    assert booker.double.calls_to("files.completeUploadExternal") == []
    # In its own workspace the same click sends the .ics.
    payload["team"] = {"id": "T0BOOKER"}
    payload["user"] = {"id": PERSON, "team_id": "T0BOOKER"}
    assert (await booker.slack.send_interaction(payload)).status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("files.completeUploadExternal")))


async def test_bolt_s_own_refusal_line_never_carries_the_body(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Behind the guard Bolt never sees an unsigned request; if it ever did (an app mounted
    without the guard), its INFO line must not carry the body."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    caplog.set_level(logging.DEBUG)
    async with start_booker(tmp_path) as booker:
        from bot.app import build_app

        bolt = build_app(booker.services.settings, booker.services)
        body = f"command=/book&text={MARKER}%0Aforged"
        answer = await bolt.async_dispatch(
            AsyncBoltRequest(
                body=body,
                headers={
                    "content-type": FORM,
                    "x-slack-request-timestamp": str(int(time.time())),
                    "x-slack-signature": "v0=" + "0" * 64,
                },
            )
        )
    assert answer.status == 401
    lines = [
        r.getMessage() for r in caplog.records if "Invalid request signature" in r.getMessage()
    ]
    assert lines == ["Invalid request signature detected (body not logged)"]
    assert _body_in_logs(caplog, MARKER) == []
