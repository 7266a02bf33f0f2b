"""Signed requests as Slack sends them, for the offline demo, the tests and the benchmarks.

Slack signs `v0:<timestamp>:<body>` with the app's signing secret (HMAC-SHA256).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

EVENTS_PATH = "/slack/events"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, *, content_type: str, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret, stamp, body),
    }


def _option_text(element: Mapping[str, Any] | None, value: str) -> str:
    for option in (element or {}).get("options") or []:
        if option.get("value") == value:
            return str(option["text"]["text"])
    return value


def _option(element: Mapping[str, Any] | None, value: Any) -> dict[str, Any]:
    if isinstance(value, tuple | list) and len(value) == 2 and not isinstance(value, list):
        text, option_value = value
    else:
        option_value = str(value)
        text = _option_text(element, option_value)
    return {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": option_value}


def input_value(
    action_type: str, value: Any, element: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One entry of view.state.values as Slack sends it for an input of `action_type`.

    `value`: typed text (text, email, url and number inputs), an option value or a (text,
    value) pair (single selects, radio buttons), a list of option values (checkboxes, multi
    selects), YYYY-MM-DD (datepicker), HH:MM (timepicker), a conversation id. None: empty.
    """
    if action_type in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        return {"type": action_type, "value": value}
    if action_type in ("static_select", "external_select", "radio_buttons"):
        selected = None if value is None else _option(element, value)
        return {"type": action_type, "selected_option": selected}
    if action_type in ("checkboxes", "multi_static_select", "multi_external_select"):
        return {
            "type": action_type,
            "selected_options": [_option(element, item) for item in value or []],
        }
    if action_type == "datepicker":
        return {"type": action_type, "selected_date": value}
    if action_type == "timepicker":
        return {"type": action_type, "selected_time": value}
    if action_type == "conversations_select":
        return {"type": action_type, "selected_conversation": value}
    raise ValueError(f"unsupported input type {action_type}")


def state_values(view: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """view.state.values for `view`, filled from `answers` keyed by action_id.

    Inputs not answered keep their initial value, the way Slack submits an untouched field.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        action_id, kind = element["action_id"], element["type"]
        if action_id in answers:
            value = answers[action_id]
        elif "initial_value" in element:
            value = element["initial_value"]
        elif "initial_option" in element:
            option = element["initial_option"]
            value = (option["text"]["text"], option["value"])
        elif "initial_conversation" in element:
            value = element["initial_conversation"]
        elif "initial_options" in element:
            value = [option["value"] for option in element["initial_options"]]
        elif "initial_date" in element:
            value = element["initial_date"]
        else:
            value = None
        values[block["block_id"]] = {action_id: input_value(kind, value, element)}
    return values


@dataclass
class SlackRequests:
    """Builds and sends signed Slack requests to a Bolt app over `http` (a real socket or ASGI)."""

    http: httpx.AsyncClient
    signing_secret: str
    team_id: str = "T0BOOKER"
    user_id: str = "U0PERSON"
    channel_id: str = "C0GENERAL"

    async def _send(self, body: bytes, content_type: str, **headers: str) -> httpx.Response:
        all_headers = signed_headers(self.signing_secret, body, content_type=content_type)
        all_headers.update(headers)
        return await self.http.post(EVENTS_PATH, content=body, headers=all_headers)

    async def send_form(self, fields: Mapping[str, str]) -> httpx.Response:
        return await self._send(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    async def send_interaction(self, payload: Mapping[str, Any]) -> httpx.Response:
        return await self.send_form({"payload": json.dumps(payload)})

    async def send_event(self, event: Mapping[str, Any]) -> httpx.Response:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": self.team_id,
                "api_app_id": "A0BOOKER",
                "event": dict(event),
                "event_id": f"Ev{int(time.time() * 1000)}",
                "event_time": int(time.time()),
            }
        ).encode()
        return await self._send(body, "application/json")

    async def send_event_body(
        self, body: Mapping[str, Any], *, retry_num: int | None = None
    ) -> httpx.Response:
        """An Events API body as Slack POSTs it (e.g. from the Slack double); a redelivery
        carries the same body with Slack's X-Slack-Retry-Num."""
        headers = (
            {}
            if retry_num is None
            else {
                "X-Slack-Retry-Num": str(retry_num),
                "X-Slack-Retry-Reason": "http_timeout",
            }
        )
        return await self._send(json.dumps(dict(body)).encode(), "application/json", **headers)

    async def slash_command(
        self, text: str, *, command: str = "/book", response_url: str = ""
    ) -> httpx.Response:
        return await self.send_form(
            {
                "command": command,
                "text": text,
                "team_id": self.team_id,
                "user_id": self.user_id,
                "channel_id": self.channel_id,
                "trigger_id": f"trigger.{time.time_ns()}",
                "response_url": response_url,
                "api_app_id": "A0BOOKER",
            }
        )

    def _envelope(self, kind: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": self.team_id},
            "user": {"id": self.user_id, "team_id": self.team_id},
            "api_app_id": "A0BOOKER",
            "trigger_id": f"trigger.{time.time_ns()}",
        }

    async def block_suggestion(
        self, view: Mapping[str, Any], action_id: str, value: str
    ) -> httpx.Response:
        # Slack sends the view with what is filled in so far (its state), as for block actions.
        payload = self._envelope("block_suggestion") | {
            "action_id": action_id,
            "block_id": action_id,
            "value": value,
            "view": dict(view) | {"state": {"values": state_values(view, {})}},
        }
        return await self.send_interaction(payload)

    async def block_action(
        self,
        view: Mapping[str, Any] | None,
        action: Mapping[str, Any],
        answers: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        payload = self._envelope("block_actions") | {"actions": [dict(action)]}
        if view is not None:
            payload["view"] = dict(view) | {"state": {"values": state_values(view, answers or {})}}
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        return await self.send_interaction(payload)

    async def view_submission(
        self,
        view: Mapping[str, Any],
        answers: Mapping[str, Any],
        *,
        response_urls: list[dict[str, str]] | None = None,
    ) -> httpx.Response:
        submitted = dict(view) | {"state": {"values": state_values(view, answers)}}
        payload = self._envelope("view_submission") | {
            "view": submitted,
            "response_urls": response_urls or [],
        }
        return await self.send_interaction(payload)
