"""Requests not signed by Slack with our secret, now, over exactly this body: 401, no effect."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.devtools.sandbox import Fault
from bot.devtools.slack_requests import EVENTS_PATH, signed_headers, state_values
from tests.conftest import CHANNEL, PERSON, FaultBooker
from tests.faults.helpers import GUEST, tracebacks

FORM = "application/x-www-form-urlencoded"
UNTOUCHED = 1000  # a fault armed this many times counts every HubSpot request that arrives


def _slash(text: str) -> bytes:
    return urlencode(
        {
            "command": "/book",
            "text": text,
            "team_id": "T0BOOKER",
            "user_id": PERSON,
            "channel_id": CHANNEL,
            "trigger_id": f"trigger.{time.time_ns()}",
            "response_url": "",
        }
    ).encode()


def _interaction(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def _submission(view: dict[str, Any], answers: dict[str, Any]) -> bytes:
    return _interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0BOOKER"},
            "user": {"id": PERSON, "team_id": "T0BOOKER"},
            "api_app_id": "A0BOOKER",
            "trigger_id": f"trigger.{time.time_ns()}",
            "view": view | {"state": {"values": state_values(view, answers)}},
            "response_urls": [],
        }
    )


def _forgeries(secret: str, body: bytes, tampered: bytes) -> dict[str, tuple[bytes, dict]]:
    now = int(time.time())
    signed_now = signed_headers(secret, body, content_type=FORM, timestamp=now)
    return {
        "unsigned": (body, {"Content-Type": FORM}),
        "stale": (body, signed_headers(secret, body, content_type=FORM, timestamp=now - 6 * 60)),
        "tampered body": (tampered, signed_now),
        "wrong secret": (body, signed_headers("0" * 32, body, content_type=FORM, timestamp=now)),
        "timestamp moved": (body, signed_now | {"X-Slack-Request-Timestamp": str(now - 1)}),
        "empty signature": (body, signed_now | {"X-Slack-Signature": ""}),
    }


async def _refused_without_effect(
    booker: FaultBooker, body: bytes, tampered: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    booker.sandbox.reset()
    booker.sandbox.inject(Fault(operation="any", kind="status", status=500, times=UNTOUCHED))
    slack_calls = len(booker.double.calls)
    for name, (content, headers) in _forgeries(booker.secret, body, tampered).items():
        answer = await booker.http.post(EVENTS_PATH, content=content, headers=headers)
        assert answer.status_code == 401, name
    await asyncio.sleep(0.3)  # anything started after an ack would have called out by now
    assert len(booker.double.calls) == slack_calls
    assert booker.sandbox.pending_faults[0].times == UNTOUCHED  # no HubSpot request at all
    assert booker.sandbox.book_calls == 0
    assert await booker.ledger() == []
    assert tracebacks(caplog) == []


async def test_forged_slash_commands_are_refused_and_do_nothing(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    body = _slash("demo tomorrow 10am ana@acme.com")
    await _refused_without_effect(booker, body, body.replace(b"ana", b"eve"), caplog)
    assert booker.double.calls == []
    # The same body signed properly opens the modal: the refusals above were the signature's.
    booker.sandbox.reset()
    headers = signed_headers(booker.secret, body, content_type=FORM)
    assert (await booker.http.post(EVENTS_PATH, content=body, headers=headers)).status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("views.open")))


async def test_forged_submissions_book_nothing(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    body = _submission(view, GUEST)
    tampered = _submission(view, GUEST | {"guest_email": "eve@evil.example"})
    await _refused_without_effect(booker, body, tampered, caplog)
    booker.sandbox.reset()
    headers = signed_headers(booker.secret, body, content_type=FORM)
    answer = await booker.http.post(EVENTS_PATH, content=body, headers=headers)
    assert answer.json()["response_action"] == "update"
    await booker.posted()
    assert booker.sandbox.book_calls == 1


async def test_forged_clicks_change_nothing(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    payload = {
        "type": "block_actions",
        "team": {"id": "T0BOOKER"},
        "user": {"id": PERSON, "team_id": "T0BOOKER"},
        "api_app_id": "A0BOOKER",
        "trigger_id": f"trigger.{time.time_ns()}",
        "actions": [{"action_id": "when", "block_id": "when", "type": "plain_text_input"}],
        "view": view | {"state": {"values": state_values(view, {"when": "friday 3pm"})}},
        "container": {"type": "view", "view_id": view["id"]},
    }
    body = _interaction(payload)
    await _refused_without_effect(booker, body, body.replace(b"friday", b"monday"), caplog)


async def test_a_forged_event_is_refused(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture
) -> None:
    event = {
        "type": "event_callback",
        "team_id": "T0BOOKER",
        "event": {"type": "app_home_opened", "user": PERSON, "tab": "home"},
        "event_id": "Ev1",
        "event_time": int(time.time()),
    }
    body = json.dumps(event).encode()
    answer = await booker.http.post(
        EVENTS_PATH, content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 401
    stale = signed_headers(
        booker.secret, body, content_type="application/json", timestamp=int(time.time()) - 400
    )
    assert (await booker.http.post(EVENTS_PATH, content=body, headers=stale)).status_code == 401
    await asyncio.sleep(0.3)
    assert booker.double.calls == []
    assert tracebacks(caplog) == []
