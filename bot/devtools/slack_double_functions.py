"""The Slack double's workflow functions and link unfurling (used by bot/devtools/slack_double.py).

Functions (Workflow Builder custom steps): `run_function` makes the `function_executed` event
Slack sends when a workflow reaches the app's step — a `function_execution_id` and a short-lived
bot token (`xwfp-…`) the app must use for that execution. `functions.completeSuccess` checks the
outputs against the function's output parameters (from the manifest, `define`), and a second
completion of the same execution is refused (`execution_not_in_running_state`), as Slack does.
A message posted with an execution's token carries that execution: a click on one of its buttons
comes back with `function_data` and the token (`block_actions_payload`).

Links: `share_links` makes the `link_shared` event for links pasted in a channel (or typed in
the composer); `chat.unfurl` accepts unfurls only for links of that message, checks their blocks
like any message's, and records them (`unfurls`); `unfurl_block_actions_payload` is a click on a
button of an unfurl (container `message_attachment`, `is_app_unfurl`).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.devtools.slack_double import SlackDouble

JsonDict = dict[str, Any]


@dataclass
class FunctionExecution:
    execution_id: str
    callback_id: str
    inputs: JsonDict
    token: str
    team_id: str
    state: str = "running"  # "completed" | "failed"
    outputs: JsonDict | None = None
    error: str | None = None


@dataclass
class SharedLinks:
    """One link_shared: where the links are and which of them may be unfurled."""

    channel: str
    message_ts: str
    unfurl_id: str
    source: str
    urls: tuple[str, ...]
    user: str


@dataclass
class RecordedUnfurl:
    url: str
    channel: str
    message_ts: str
    unfurl: JsonDict


@dataclass
class FunctionsDouble:
    """Workflow functions: definitions, executions and their tokens."""

    double: SlackDouble
    definitions: dict[str, JsonDict] = field(default_factory=dict)
    executions: dict[str, FunctionExecution] = field(default_factory=dict)
    _by_token: dict[str, str] = field(default_factory=dict)
    # (channel, ts) of messages posted with an execution's token -> that execution
    _messages: dict[tuple[str, str], str] = field(default_factory=dict)

    def define(self, functions: Mapping[str, Any]) -> None:
        """The manifest's `functions` (callback_id -> title, input/output parameters)."""
        self.definitions.update({str(k): dict(v) for k, v in functions.items()})

    def execution_of_token(self, token: str) -> FunctionExecution | None:
        execution_id = self._by_token.get(token)
        return self.executions.get(execution_id) if execution_id else None

    def run_function(
        self, callback_id: str, inputs: Mapping[str, Any], *, execution_id: str | None = None
    ) -> JsonDict:
        """The Events API body of a `function_executed` event (as Slack POSTs it)."""
        execution_id = execution_id or f"Fx{uuid.uuid4().hex[:10].upper()}"
        existing = self.executions.get(execution_id)
        if existing is None:
            token = f"xwfp-{secrets.token_hex(12)}"
            existing = FunctionExecution(
                execution_id, callback_id, dict(inputs), token, self.double.team_id
            )
            self.executions[execution_id] = existing
            self._by_token[token] = execution_id
        definition = self.definitions.get(callback_id, {})
        now = time.time()
        return {
            "token": "deprecated-verification-token",
            "team_id": self.double.team_id,
            "api_app_id": self.double.app_id,
            "event": {
                "type": "function_executed",
                "function": {
                    "id": f"Fn{callback_id.upper()[:10]}",
                    "callback_id": callback_id,
                    "title": definition.get("title", callback_id),
                    "description": definition.get("description", ""),
                    "type": "app",
                    "input_parameters": _parameters(definition.get("input_parameters")),
                    "output_parameters": _parameters(definition.get("output_parameters")),
                    "app_id": self.double.app_id,
                    "date_created": int(now) - 86400,
                    "date_updated": int(now) - 3600,
                    "date_deleted": 0,
                },
                "inputs": dict(existing.inputs),
                "function_execution_id": execution_id,
                "workflow_execution_id": f"Wx{uuid.uuid4().hex[:10].upper()}",
                "event_ts": f"{now:.6f}",
                "bot_access_token": existing.token,
            },
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(now),
        }

    def message_posted(self, channel: str, ts: str, execution_id: str) -> None:
        self._messages[(channel, ts)] = execution_id

    def block_actions_payload(
        self,
        message: Mapping[str, Any],
        action_id: str,
        *,
        user_id: str,
        response_url: str,
    ) -> JsonDict:
        """A click on the button `action_id` of a posted message (as Slack sends it)."""
        channel, ts = str(message["channel"]), str(message["ts"])
        button, block_id = _find_element(message.get("blocks") or [], action_id)
        payload: JsonDict = {
            "type": "block_actions",
            "team": {"id": self.double.team_id, "domain": "booker-test"},
            "user": {"id": user_id, "team_id": self.double.team_id},
            "api_app_id": self.double.app_id,
            "token": "deprecated-verification-token",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": f"trigger.{time.time_ns()}",
            "channel": {"id": channel, "name": channel.lower()},
            "message": {k: v for k, v in message.items() if k != "channel"},
            "response_url": response_url,
            "actions": [_action(button, block_id)],
        }
        execution = self.executions.get(self._messages.get((channel, ts), ""))
        if execution is not None:
            payload["function_data"] = {
                "execution_id": execution.execution_id,
                "function": {"callback_id": execution.callback_id},
                "inputs": dict(execution.inputs),
            }
            payload["bot_access_token"] = execution.token
            payload["interactivity"] = {
                "interactor": {"secret": secrets.token_hex(8), "id": user_id},
                "interactivity_pointer": f"{time.time_ns()}.{secrets.token_hex(6)}",
            }
        return payload

    # --- Web API methods -----------------------------------------------------------------
    def _execution(self, params: JsonDict) -> FunctionExecution:
        from bot.devtools.slack_double import SlackError

        self.double._required(params, "function_execution_id")
        execution = self.executions.get(str(params["function_execution_id"]))
        if execution is None:
            raise SlackError("function_execution_not_found")
        if execution.state != "running":
            raise SlackError("execution_not_in_running_state")
        return execution

    async def complete_success(self, params: JsonDict) -> JsonDict:
        from bot.devtools.slack_double import SlackError

        execution = self._execution(params)
        outputs = params.get("outputs")
        if not isinstance(outputs, dict):
            raise SlackError("invalid_arguments", messages=["[ERROR] outputs must be an object"])
        problems = _output_problems(self.definitions.get(execution.callback_id), outputs)
        if problems:
            raise SlackError("parameter_validation_failed", messages=problems)
        execution.state, execution.outputs = "completed", dict(outputs)
        return {}

    async def complete_error(self, params: JsonDict) -> JsonDict:
        execution = self._execution(params)
        self.double._required(params, "error")
        execution.state, execution.error = "failed", str(params["error"])
        return {}


@dataclass
class LinksDouble:
    """link_shared events and the unfurls the app attached with chat.unfurl."""

    double: SlackDouble
    shared: list[SharedLinks] = field(default_factory=list)
    unfurls: list[RecordedUnfurl] = field(default_factory=list)

    def share_links(
        self,
        urls: Sequence[str],
        *,
        channel: str = "C0GENERAL",
        user: str = "U0PERSON",
        source: str = "conversations_history",
    ) -> JsonDict:
        """The Events API body of `link_shared` for `urls` pasted by `user` in `channel`."""
        ts = self.double._new_ts()
        unfurl_id = f"{channel}.{ts}.{secrets.token_hex(16)}"
        if source == "composer":
            channel, ts = "COMPOSER", f"Uxxxxxxx-{uuid.uuid4()}"
        shared = SharedLinks(channel, ts, unfurl_id, source, tuple(urls), user)
        self.shared.append(shared)
        event: JsonDict = {
            "type": "link_shared",
            "channel": channel,
            "is_bot_user_member": True,
            "user": user,
            "message_ts": ts,
            "unfurl_id": unfurl_id,
            "source": source,
            "links": [{"domain": _domain(url), "url": url} for url in urls],
            "event_ts": ts,
        }
        return {
            "token": "deprecated-verification-token",
            "team_id": self.double.team_id,
            "api_app_id": self.double.app_id,
            "event": event,
            "type": "event_callback",
            "authed_users": [user],
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
        }

    def unfurl_block_actions_payload(
        self, unfurl: RecordedUnfurl, action_id: str, *, user_id: str
    ) -> JsonDict:
        """A click on a button of an app unfurl."""
        button, block_id = _find_element(unfurl.unfurl.get("blocks") or [], action_id)
        return {
            "type": "block_actions",
            "team": {"id": self.double.team_id, "domain": "booker-test"},
            "user": {"id": user_id, "team_id": self.double.team_id},
            "api_app_id": self.double.app_id,
            "token": "deprecated-verification-token",
            "container": {
                "type": "message_attachment",
                "message_ts": unfurl.message_ts,
                "attachment_id": 1,
                "channel_id": unfurl.channel,
                "is_ephemeral": False,
                "is_app_unfurl": True,
                "app_unfurl_url": unfurl.url,
            },
            "trigger_id": f"trigger.{time.time_ns()}",
            "channel": {"id": unfurl.channel, "name": unfurl.channel.lower()},
            "response_url": self.double.response_url("unfurl"),
            "actions": [_action(button, block_id)],
        }

    async def chat_unfurl(self, params: JsonDict) -> JsonDict:
        from bot.devtools.slack_double import SlackError, block_problems

        by_id = params.get("unfurl_id") and params.get("source")
        by_message = params.get("channel") and params.get("ts")
        if not by_id and not by_message:
            raise SlackError(
                "invalid_arguments",
                messages=["[ERROR] channel and ts, or unfurl_id and source, are required"],
            )
        shared = next(
            (
                item
                for item in self.shared
                if (by_id and item.unfurl_id == params["unfurl_id"])
                or (
                    by_message
                    and item.channel == params["channel"]
                    and item.message_ts == params["ts"]
                )
            ),
            None,
        )
        if shared is None:
            raise SlackError("cannot_find_channel" if by_message else "cannot_unfurl_message")
        unfurls = params.get("unfurls")
        if not isinstance(unfurls, dict) or not unfurls:
            raise SlackError("invalid_unfurls_format")
        for url, unfurl in unfurls.items():
            if url not in shared.urls:
                raise SlackError("cannot_unfurl_url")
            if not isinstance(unfurl, dict):
                raise SlackError("invalid_unfurls_format")
            blocks = unfurl.get("blocks")
            if blocks is not None:
                problems = block_problems(blocks)
                if problems:
                    raise SlackError("invalid_blocks", messages=problems)
            elif not unfurl.get("text") and not unfurl.get("title"):
                raise SlackError("invalid_unfurls_format")
        for url, unfurl in unfurls.items():
            self.unfurls.append(RecordedUnfurl(url, shared.channel, shared.message_ts, unfurl))
        return {}


# --- helpers -------------------------------------------------------------------------------------
def _parameters(declared: Any) -> list[JsonDict]:
    """Manifest parameters ({name: {type, title, …}}) as the event lists them."""
    if not isinstance(declared, Mapping):
        return []
    return [{"name": name, **dict(spec)} for name, spec in declared.items()]


def _output_problems(definition: JsonDict | None, outputs: JsonDict) -> list[str]:
    if definition is None:
        return []
    declared = definition.get("output_parameters") or {}
    problems: list[str] = []
    for name, spec in declared.items():
        value = outputs.get(name)
        if value is None:
            if spec.get("is_required"):
                problems.append(f"[ERROR] missing required output: {name}")
            continue
        kind = spec.get("type")
        if kind in ("integer", "slack#/types/timestamp") and (
            not isinstance(value, int) or isinstance(value, bool)
        ):
            problems.append(f"[ERROR] output {name} must be {kind}")
        elif kind == "string" and not isinstance(value, str):
            problems.append(f"[ERROR] output {name} must be a string")
    problems += [f"[ERROR] unknown output: {name}" for name in outputs if name not in declared]
    return problems


def _find_element(blocks: Sequence[Any], action_id: str) -> tuple[JsonDict, str]:
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else None
        candidates = list(elements or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for element in candidates:
            if element.get("action_id") == action_id:
                return element, str(block.get("block_id") or "")
    raise KeyError(f"no element {action_id!r} in these blocks")


def _action(element: JsonDict, block_id: str) -> JsonDict:
    action: JsonDict = {
        "type": element.get("type", "button"),
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element.get("text"),
        "action_ts": f"{time.time():.6f}",
    }
    if "value" in element:
        action["value"] = element["value"]
    return action


def _domain(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()
