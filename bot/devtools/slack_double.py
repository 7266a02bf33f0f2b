"""A local stand-in for Slack's Web API, served over real HTTP, for tests and the offline demo.

Point slack_sdk (or Bolt) at `await double.start()` as its base URL. The double answers the
methods Booker uses the way Slack does (same shapes, same error codes), records every call,
checks the bearer token, rejects views and messages that slack_sdk's Block Kit models or
Slack's limits reject, and can be told to fail the next calls (`fail_next`).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import time
import urllib.parse
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.devtools.slack_double_functions import FunctionsDouble, LinksDouble

JsonDict = dict[str, Any]

DEFAULT_TOKEN = "xoxb-booker-test-token"
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
MESSAGE_TEXT_MAX = 40000
SCHEDULE_MAX_SECONDS = 120 * 24 * 3600
# A trigger_id (slash command, shortcut, button) opens a view only within 3 s of its issue.
TRIGGER_SECONDS = 3.0
# chat.scheduleMessage: at most 30 messages scheduled in one channel for any 5-minute window.
SCHEDULE_WINDOW_SECONDS = 5 * 60
SCHEDULE_WINDOW_MAX = 30
# The bot scopes of manifest.yml: methods needing another scope answer missing_scope.
MANIFEST_BOT_SCOPES = frozenset(
    {"commands", "chat:write", "chat:write.public", "users:read", "im:write", "files:write"}
)
# Slack form-encodes these as JSON strings; decoded so tests and validation see objects.
_JSON_ENCODED_PARAMS = frozenset(
    {"view", "blocks", "attachments", "files", "metadata", "unfurls", "outputs"}
)
_NO_TOKEN_METHODS = frozenset({"oauth.v2.access", "oauth.access", "api.test"})
# Socket Mode: these take the app-level token (xapp-), never a bot token.
DEFAULT_APP_TOKEN = "xapp-1-A0BOOKER-booker-test-app-token"
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


# --- Block Kit validation (also useful to tests directly) ------------------------------------
def _dropped_keys(sent: Any, parsed: Any, path: str = "") -> list[str]:
    """Keys Slack's models did not recognise: Slack itself rejects unknown properties."""
    problems: list[str] = []
    if isinstance(sent, dict) and isinstance(parsed, dict):
        for key, value in sent.items():
            if key not in parsed:
                if value is not None:
                    problems.append(f"unknown or invalid property {path}/{key}")
            else:
                problems += _dropped_keys(value, parsed[key], f"{path}/{key}")
        if sent.get("type") in ("plain_text", "mrkdwn") and not str(sent.get("text") or "").strip():
            problems.append(f"text must be more than 0 characters [json-pointer:{path}/text]")
    elif isinstance(sent, list) and isinstance(parsed, list):
        for index, (a, b) in enumerate(zip(sent, parsed, strict=False)):
            problems += _dropped_keys(a, b, f"{path}/{index}")
    return problems


def _duplicate_ids(blocks: Iterable[Any]) -> list[str]:
    problems: list[str] = []
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        action_ids: set[str] = set()  # Slack wants action_ids unique within their block
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                problems.append(f"duplicate block_id {block_id!r} at /blocks/{index}")
            block_ids.add(block_id)
        elements = list(block.get("elements") or [])
        for key in ("element", "accessory"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    problems.append(f"duplicate action_id {action_id!r} at /blocks/{index}")
                action_ids.add(action_id)
    return problems


def block_problems(blocks: Any, *, max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[str]:
    """Why Slack would answer invalid_blocks for these message blocks ([] when fine)."""
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    if len(blocks) > max_blocks:
        return [f"no more than {max_blocks} items allowed [json-pointer:/blocks]"]
    problems: list[str] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            problems.append(f"block must be an object [json-pointer:/blocks/{index}]")
            continue
        try:
            parsed = Block.parse(block)
            if parsed is None:
                problems.append(f"unknown block type [json-pointer:/blocks/{index}]")
                continue
            problems += _dropped_keys(block, parsed.to_dict(), f"/blocks/{index}")
        except (SlackObjectFormationError, TypeError, KeyError, ValueError, AttributeError) as e:
            problems.append(f"{e} [json-pointer:/blocks/{index}]")
    return problems + _duplicate_ids(blocks)


def view_problems(view: Any, *, expected_type: str | None = None) -> list[str]:
    """Why Slack would reject this view ([] when fine): slack_sdk's models plus Slack's limits."""
    if not isinstance(view, dict):
        return ["view must be an object"]
    if expected_type is not None and view.get("type") != expected_type:
        return [f"view type must be {expected_type!r} [json-pointer:/view/type]"]
    try:
        parsed = View(**view).to_dict()
    except (SlackObjectFormationError, TypeError, KeyError, ValueError, AttributeError) as e:
        return [f"{e} [json-pointer:/view]"]
    problems = _dropped_keys(view, parsed, "/view")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        problems.append("views must have at least one block [json-pointer:/view/blocks]")
    else:
        problems += block_problems(blocks, max_blocks=VIEW_BLOCKS_MAX)
    if view.get("type") == "modal" and "title" not in view:
        problems.append("modal views need a title [json-pointer:/view/title]")
    has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks or [])
    if view.get("type") == "modal" and has_inputs and "submit" not in view:
        problems.append("a modal with input blocks needs submit [json-pointer:/view/submit]")
    return problems


# --- the double ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedCall:
    """One Web API call as received: params merge query, form and JSON body (JSON strings in
    view/blocks/… decoded); `as_json` tells whether the body was JSON."""

    method: str
    params: Mapping[str, Any]
    headers: Mapping[str, str]
    as_json: bool
    # time.monotonic() when the call arrived (benches measure from it).
    at: float = field(default_factory=time.monotonic)


@dataclass
class _ScriptedFailure:
    error: str
    retry_after: int | None


@dataclass
class SlackUser:
    user_id: str
    tz: str
    locale: str
    name: str


@dataclass
class SlackChannel:
    channel_id: str
    name: str
    is_private: bool
    is_member: bool


@dataclass
class _Uploads:
    pending: dict[str, JsonDict] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)


Handler = Callable[[JsonDict], Awaitable[JsonDict]]


class SlackError(Exception):
    """Raised inside a method implementation to answer {"ok": false, "error": code}."""

    def __init__(
        self, code: str, *, messages: list[str] | None = None, needed: str | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages or []
        self.needed = needed


class SlackDouble:
    """Slack's Web API on 127.0.0.1, one instance per test or demo run."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        app_tokens: Iterable[str] = (DEFAULT_APP_TOKEN,),
        team_id: str = "T0BOOKER",
        bot_user_id: str = "U0BOOKERBOT",
        chat_write_public: bool = True,
        bot_scopes: Iterable[str] = MANIFEST_BOT_SCOPES,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.tokens = frozenset(tokens)
        self.app_tokens = frozenset(app_tokens)
        self.socket = SocketModeHub()
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B0BOOKER"
        self.app_id = "A0BOOKER"
        # Workspaces that install the app through OAuth (configure with `oauth.register`).
        self.oauth = OAuthDouble(self)
        # Workflow Builder steps (function_executed, functions.complete*) and link unfurls.
        self.functions = FunctionsDouble(self)
        self.links = LinksDouble(self)
        self.chat_write_public = chat_write_public
        self.bot_scopes = set(bot_scopes)
        # Seconds a method takes to answer (e.g. {"users.info": 1.0}: a slow Slack).
        self.method_latency: dict[str, float] = {}
        self.calls: list[RecordedCall] = []
        self.views: dict[str, JsonDict] = {}
        self.home_views: dict[str, JsonDict] = {}
        self.messages: list[JsonDict] = []
        self.ephemeral_messages: list[JsonDict] = []
        self.scheduled_messages: list[JsonDict] = []
        # What listeners sent to a response_url (ephemeral answers to slash commands).
        self.responses: list[JsonDict] = []
        self.users: dict[str, SlackUser] = {}
        self.channels: dict[str, SlackChannel] = {}
        self.uploads = _Uploads()
        self._host = host
        self._port = port
        self._failures: dict[str, deque[_ScriptedFailure]] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._origin = ""
        self._methods: dict[str, Handler] = {
            "api.test": self._api_test,
            "auth.test": self._auth_test,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.push": self._views_push,
            "views.publish": self._views_publish,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.scheduleMessage": self._chat_schedule_message,
            "conversations.join": self._conversations_join,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "oauth.v2.access": self._oauth_v2_access,
            "auth.revoke": self._auth_revoke,
            "apps.connections.open": self._apps_connections_open,
            "functions.completeSuccess": self.functions.complete_success,
            "functions.completeError": self.functions.complete_error,
            "chat.unfurl": self.links.chat_unfurl,
        }

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> str:
        """Serve on a free port; returns the API base URL, e.g. http://127.0.0.1:PORT/api/."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_post("/respond/{token}", self._handle_response_url)
        app.router.add_get("/oauth/v2/authorize", self._handle_oauth_authorize)
        app.router.add_get("/link/", self.socket.handle_websocket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._origin = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
        await self.socket.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SlackDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if not self._origin:
            raise RuntimeError("SlackDouble is not started")
        return f"{self._origin}/api/"

    def response_url(self, token: str = "cmd") -> str:
        """A response_url this double answers, as Slack hands one to each slash command."""
        return f"{self._origin}/respond/{token}"

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        problems = block_problems(body.get("blocks", [])) if body.get("blocks") else []
        if problems:
            return web.Response(status=400, text="invalid_blocks")
        self.responses.append({"token": request.match_info["token"], **body})
        return web.Response(text="ok")

    # --- scripting ---------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        error: str = "not_in_channel",
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls to `method` answer `error` ("ratelimited": HTTP 429 +
        Retry-After)."""
        queue = self._failures.setdefault(method, deque())
        queue.extend(_ScriptedFailure(error, retry_after) for _ in range(times))

    def add_user(
        self,
        user_id: str,
        tz: str = "America/New_York",
        locale: str = "en-US",
        name: str | None = None,
    ) -> SlackUser:
        user = SlackUser(user_id=user_id, tz=tz, locale=locale, name=name or user_id.lower())
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str | None = None,
        *,
        is_private: bool = False,
        is_member: bool = True,
    ) -> SlackChannel:
        """Channels not added are treated as public ones the bot is in."""
        channel = SlackChannel(channel_id, name or channel_id.lower(), is_private, is_member)
        self.channels[channel_id] = channel
        return channel

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == method]

    # --- HTTP plumbing -----------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> tuple[JsonDict, bool]:
        params: JsonDict = dict(request.query)
        as_json = False
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise SlackError("invalid_json")
                params.update(body)
                as_json = True
            else:
                form = await request.post()
                params.update({key: value for key, value in form.items() if isinstance(value, str)})
        for key in _JSON_ENCODED_PARAMS & params.keys():
            value = params[key]
            if isinstance(value, str) and value.strip()[:1] in ("{", "["):
                try:
                    params[key] = json.loads(value)
                except json.JSONDecodeError as e:
                    raise SlackError("invalid_arguments", messages=[f"{key}: {e}"]) from e
        return params, as_json

    def _token_of(self, request: web.Request, params: JsonDict) -> str | None:
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            return authorization.removeprefix("Bearer ").strip()
        token = params.get("token")
        return token if isinstance(token, str) else None

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params, as_json = await self._read_params(request)
        except SlackError as e:
            return self._error_response(e)
        except (ValueError, UnicodeDecodeError):
            return self._error_response(SlackError("invalid_json"))
        self.calls.append(RecordedCall(method, params, dict(request.headers), as_json))
        if method in _APP_TOKEN_METHODS:
            token = self._token_of(request, params)
            if not token:
                return self._error_response(SlackError("not_authed"))
            if token in self.tokens:
                return self._error_response(SlackError("not_allowed_token_type"))
            if token not in self.app_tokens:
                return self._error_response(SlackError("invalid_auth"))
        elif method not in _NO_TOKEN_METHODS:
            token = self._token_of(request, params)
            if not token:
                return self._error_response(SlackError("not_authed"))
            execution = self.functions.execution_of_token(token)
            if execution is not None:
                # A workflow step's own token: what it posts belongs to that execution.
                params = {**params, "_function_execution_id": execution.execution_id}
            elif token not in self.tokens:
                problem = self.oauth.token_problem(token)
                if problem is not None:
                    return self._error_response(SlackError(problem))
        if method == "oauth.v2.access":
            params = {**params, **_basic_auth_credentials(request)}
        if method in ("auth.test", "auth.revoke"):
            params = {**params, "_token": self._token_of(request, params)}
        queue = self._failures.get(method)
        if queue:
            failure = queue.popleft()
            if failure.error == "ratelimited":
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(failure.retry_after or 1)},
                )
            return self._error_response(SlackError(failure.error))
        implementation = self._methods.get(method)
        if implementation is None:
            return self._error_response(SlackError("unknown_method"))
        latency = self.method_latency.get(method)
        if latency:
            await asyncio.sleep(latency)
        try:
            result = await implementation(params)
        except SlackError as e:
            return self._error_response(e)
        return web.json_response({"ok": True, **result})

    @staticmethod
    def _error_response(error: SlackError) -> web.Response:
        body: JsonDict = {"ok": False, "error": error.code}
        if error.needed:
            body["needed"] = error.needed
            body["provided"] = "(the app's bot scopes)"
        if error.messages:
            body["response_metadata"] = {"messages": error.messages}
            if error.code == "invalid_blocks":
                body["errors"] = error.messages
        return web.json_response(body)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if file_id not in self.uploads.pending:
            return web.Response(status=404, text="unknown upload")
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            part = next(iter(form.values()), b"")
            data = part.file.read() if isinstance(part, web.FileField) else str(part).encode()
        else:
            data = await request.read()
        self.uploads.contents[file_id] = data
        return web.Response(text=f"OK - {len(data)}")

    # --- helpers -----------------------------------------------------------------------------
    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def _new_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    @staticmethod
    def _required(params: JsonDict, *names: str) -> None:
        missing = [name for name in names if params.get(name) in (None, "")]
        if missing:
            raise SlackError(
                "invalid_arguments",
                messages=[f"[ERROR] missing required field: {name}" for name in missing],
            )

    @staticmethod
    def _flag(value: Any) -> bool:
        return value is True or (isinstance(value, str) and value.lower() in {"true", "1"})

    def _checked_view(self, params: JsonDict, expected_type: str) -> JsonDict:
        self._required(params, "view")
        view = params["view"]
        problems = view_problems(view, expected_type=expected_type)
        if problems:
            raise SlackError("invalid_arguments", messages=[f"[ERROR] {p}" for p in problems])
        return dict(view)

    def _stored_view(self, view: JsonDict, *, view_id: str, root_view_id: str | None) -> JsonDict:
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.{next(self._ids):08x}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_view_id or view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = stored
        return stored

    def _check_message(self, params: JsonDict) -> None:
        blocks = params.get("blocks")
        text = params.get("text")
        if not blocks and not text and not params.get("attachments"):
            raise SlackError("no_text")
        if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
            raise SlackError("msg_too_long")
        if blocks:
            problems = block_problems(blocks)
            if problems:
                raise SlackError("invalid_blocks", messages=problems)

    def _channel_for_posting(self, channel_id: str) -> SlackChannel | None:
        channel = self.channels.get(channel_id)
        if channel is None or channel.is_member:
            return channel
        if channel.is_private:
            raise SlackError("channel_not_found")
        if not self.chat_write_public:
            raise SlackError("not_in_channel")
        return channel

    def _message(self, params: JsonDict, ts: str) -> JsonDict:
        message: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": params.get("text", ""),
            "ts": ts,
        }
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        return message

    # --- methods -----------------------------------------------------------------------------
    async def _api_test(self, params: JsonDict) -> JsonDict:
        return {"args": {k: v for k, v in params.items() if k != "token"}}

    async def _auth_test(self, params: JsonDict) -> JsonDict:
        issued = self.oauth.issued.get(str(params.get("_token") or ""))
        if issued is not None:
            workspace = issued.workspace
            return {
                "url": f"https://{workspace.team_id.lower()}.slack.com/",
                "team": workspace.team_name,
                "user": "booker",
                "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id,
                "bot_id": workspace.bot_id,
                "enterprise_id": workspace.enterprise_id,
                "is_enterprise_install": workspace.is_enterprise_install,
            }
        return {
            "url": "https://booker-test.slack.com/",
            "team": "Booker Test",
            "user": "booker",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    @staticmethod
    def _check_trigger(trigger_id: object) -> None:
        """Triggers this double and slack_requests.py issue (`trigger.<time_ns>`) expire after
        TRIGGER_SECONDS, as Slack's do: views.open then answers expired_trigger_id. Others (a
        hand-written id in a test) carry no issue time and are taken as fresh."""
        text = str(trigger_id)
        if not text.startswith("trigger.") or not text[8:].isdigit():
            return  # not one of ours: its issue time is unknown
        if time.time_ns() - int(text[8:]) > TRIGGER_SECONDS * 1e9:
            raise SlackError("expired_trigger_id")

    async def _views_open(self, params: JsonDict) -> JsonDict:
        self._required(params, "trigger_id")
        self._check_trigger(params["trigger_id"])
        view = self._checked_view(params, "modal")
        return {"view": self._stored_view(view, view_id=self._new_id("V"), root_view_id=None)}

    async def _views_push(self, params: JsonDict) -> JsonDict:
        self._required(params, "trigger_id")
        self._check_trigger(params["trigger_id"])
        view = self._checked_view(params, "modal")
        return {"view": self._stored_view(view, view_id=self._new_id("V"), root_view_id=None)}

    async def _views_update(self, params: JsonDict) -> JsonDict:
        view_id = params.get("view_id")
        external_id = params.get("external_id")
        if not view_id and not external_id:
            raise SlackError(
                "invalid_arguments", messages=["[ERROR] view_id or external_id required"]
            )
        current = self.views.get(view_id) if view_id else None
        if current is None and external_id:
            current = next(
                (v for v in self.views.values() if v.get("external_id") == external_id), None
            )
        if current is None:
            raise SlackError("not_found")
        expected_hash = params.get("hash")
        if expected_hash and expected_hash != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._checked_view(params, "modal")
        stored = self._stored_view(
            view, view_id=current["id"], root_view_id=current["root_view_id"]
        )
        return {"view": stored}

    async def _views_publish(self, params: JsonDict) -> JsonDict:
        self._required(params, "user_id")
        view = self._checked_view(params, "home")
        stored = self._stored_view(view, view_id=self._new_id("V"), root_view_id=None)
        self.home_views[str(params["user_id"])] = stored
        return {"view": stored}

    async def _chat_post_message(self, params: JsonDict) -> JsonDict:
        self._required(params, "channel")
        channel_id = str(params["channel"])
        self._check_message(params)
        self._channel_for_posting(channel_id)
        ts = self._new_ts()
        message = self._message(params, ts)
        self.messages.append({"channel": channel_id, **message})
        if params.get("_function_execution_id"):
            self.functions.message_posted(channel_id, ts, str(params["_function_execution_id"]))
        return {"channel": channel_id, "ts": ts, "message": message}

    async def _chat_post_ephemeral(self, params: JsonDict) -> JsonDict:
        self._required(params, "channel", "user")
        self._check_message(params)
        channel_id = str(params["channel"])
        channel = self.channels.get(channel_id)
        if channel is not None and channel.is_private and not channel.is_member:
            raise SlackError("channel_not_found")
        ts = self._new_ts()
        self.ephemeral_messages.append(
            {"channel": channel_id, "visible_to": params["user"], **self._message(params, ts)}
        )
        return {"message_ts": ts}

    # Slack's "now" for chat.scheduleMessage; tests that pin the app's clock pin this too.
    schedule_clock: Callable[[], float] = staticmethod(time.time)

    async def _chat_schedule_message(self, params: JsonDict) -> JsonDict:
        self._required(params, "channel", "post_at")
        self._check_message(params)
        channel_id = str(params["channel"])
        channel = self.channels.get(channel_id)
        # chat:write.public covers chat.postMessage only: scheduling needs the bot in the channel.
        if channel is not None and not channel.is_member:
            raise SlackError("channel_not_found" if channel.is_private else "not_in_channel")
        try:
            post_at = int(params["post_at"])
        except (TypeError, ValueError) as e:
            raise SlackError("invalid_time") from e
        now = int(self.schedule_clock())
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at - now > SCHEDULE_MAX_SECONDS:
            raise SlackError("time_too_far")
        crowded = [
            m
            for m in self.scheduled_messages
            if m["channel"] == channel_id and abs(m["post_at"] - post_at) < SCHEDULE_WINDOW_SECONDS
        ]
        if len(crowded) >= SCHEDULE_WINDOW_MAX:
            raise SlackError("restricted_too_many")
        scheduled_id = self._new_id("Q")
        message = self._message(params, self._new_ts())
        self.scheduled_messages.append(
            {"channel": channel_id, "post_at": post_at, "id": scheduled_id, **message}
        )
        return {
            "channel": channel_id,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": message,
        }

    async def _conversations_join(self, params: JsonDict) -> JsonDict:
        if "channels:join" not in self.bot_scopes:
            raise SlackError("missing_scope", needed="channels:join")
        self._required(params, "channel")
        channel_id = str(params["channel"])
        channel = self.channels.get(channel_id) or self.add_channel(channel_id)
        if channel.is_private or not channel_id.startswith("C"):
            raise SlackError("method_not_supported_for_channel_type")
        result: JsonDict = {
            "channel": {
                "id": channel.channel_id,
                "name": channel.name,
                "is_channel": True,
                "is_private": False,
                "is_member": True,
            }
        }
        if channel.is_member:
            result["warning"] = "already_in_channel"
            result["response_metadata"] = {"warnings": ["already_in_channel"]}
        channel.is_member = True
        return result

    async def _conversations_open(self, params: JsonDict) -> JsonDict:
        if params.get("channel"):
            return {"channel": {"id": str(params["channel"])}, "already_open": True}
        self._required(params, "users")
        users = sorted(u.strip() for u in str(params["users"]).split(",") if u.strip())
        if not users:
            raise SlackError("users_list_not_supplied")
        unknown = [u for u in users if self.users and u not in self.users]
        if unknown:
            raise SlackError("user_not_found")
        prefix = "D" if len(users) == 1 else "G"
        channel_id = prefix + "".join(u[1:] for u in users)[:20].upper()
        return {"channel": {"id": channel_id}}

    async def _users_info(self, params: JsonDict) -> JsonDict:
        self._required(params, "user")
        user = self.users.get(str(params["user"]))
        if user is None:
            raise SlackError("user_not_found")
        try:
            zone = ZoneInfo(user.tz)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        now = datetime.now(UTC).astimezone(zone)
        offset = now.utcoffset()
        body: JsonDict = {
            "id": user.user_id,
            "team_id": self.team_id,
            "name": user.name,
            "real_name": user.name.title(),
            "deleted": False,
            "is_bot": False,
            "tz": user.tz,
            "tz_label": now.tzname() or user.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {"real_name": user.name.title(), "display_name": user.name},
        }
        # Like Slack: the locale is only returned when asked for.
        if self._flag(params.get("include_locale")):
            body["locale"] = user.locale
        return {"user": body}

    async def _files_get_upload_url(self, params: JsonDict) -> JsonDict:
        self._required(params, "filename", "length")
        try:
            length = int(params["length"])
        except (TypeError, ValueError) as e:
            raise SlackError("invalid_arguments", messages=["[ERROR] length must be int"]) from e
        file_id = self._new_id("F")
        self.uploads.pending[file_id] = {"filename": str(params["filename"]), "length": length}
        return {"upload_url": f"{self._origin}/upload/{file_id}", "file_id": file_id}

    async def _files_complete_upload(self, params: JsonDict) -> JsonDict:
        self._required(params, "files")
        files = params["files"]
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments", messages=["[ERROR] files must be a list"])
        completed = []
        for entry in files:
            file_id = entry.get("id") if isinstance(entry, dict) else None
            if file_id not in self.uploads.pending:
                raise SlackError("file_not_found")
            if file_id not in self.uploads.contents:
                raise SlackError("file_upload_not_completed")
            pending = self.uploads.pending[file_id]
            completed.append(
                {
                    "id": file_id,
                    "title": entry.get("title") or pending["filename"],
                    "name": pending["filename"],
                    "size": len(self.uploads.contents[file_id]),
                }
            )
        if params.get("channel_id"):
            channel_id = str(params["channel_id"])
            self._channel_for_posting(channel_id)
            # Like Slack: sharing into a conversation posts a file_share message there.
            share: JsonDict = {
                "channel": channel_id,
                "type": "message",
                "subtype": "file_share",
                "user": self.bot_user_id,
                "text": str(params.get("initial_comment") or ""),
                "ts": self._new_ts(),
                "files": completed,
            }
            if params.get("thread_ts"):
                share["thread_ts"] = params["thread_ts"]
            self.messages.append(share)
        return {"files": completed}

    async def _auth_revoke(self, params: JsonDict) -> JsonDict:
        revoked = self.oauth.revoke(str(params.get("_token") or ""))
        return {"revoked": revoked}

    async def _handle_oauth_authorize(self, request: web.Request) -> web.Response:
        return self.oauth.authorize(request)

    async def _oauth_v2_access(self, params: JsonDict) -> JsonDict:
        if self.oauth.client_id is not None:
            return self.oauth.access(params)
        if not params.get("code"):
            raise SlackError("invalid_code")
        return {
            "access_token": next(iter(sorted(self.tokens))),
            "token_type": "bot",
            "scope": "commands,chat:write,chat:write.public,users:read,im:write,files:write",
            "bot_user_id": self.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": self.team_id, "name": "Booker Test"},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "U0INSTALLER"},
        }

    # --- Socket Mode ---------------------------------------------------------------------------
    async def _apps_connections_open(self, params: JsonDict) -> JsonDict:
        """A one-time WebSocket URL, as Slack hands one to each Socket Mode connection."""
        ws_origin = "ws://" + self._origin.removeprefix("http://")
        return {"url": f"{ws_origin}/link/?ticket={uuid.uuid4()}&app_id={self.app_id}"}

    def slash_command_payload(
        self,
        text: str,
        *,
        user_id: str = "U0PERSON",
        channel_id: str = "C0GENERAL",
        command: str = "/book",
        response_url: str = "",
    ) -> JsonDict:
        """A slash command as Socket Mode carries it (the HTTP form fields, as JSON)."""
        return {
            "token": "deprecated-verification-token",
            "team_id": self.team_id,
            "team_domain": "booker-test",
            "channel_id": channel_id,
            "channel_name": channel_id.lower(),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"trigger.{time.time_ns()}",
        }

    def view_submission_payload(
        self,
        view: Mapping[str, Any],
        answers: Mapping[str, Any],
        *,
        user_id: str = "U0PERSON",
        response_urls: list[JsonDict] | None = None,
    ) -> JsonDict:
        """A view_submission of `view` with the inputs filled from `answers` (by action_id)."""
        from bot.devtools.slack_requests import state_values

        return {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "booker-test"},
            "user": {"id": user_id, "team_id": self.team_id},
            "api_app_id": self.app_id,
            "token": "deprecated-verification-token",
            "trigger_id": f"trigger.{time.time_ns()}",
            "view": dict(view) | {"state": {"values": state_values(view, answers)}},
            "response_urls": response_urls or [],
            "is_enterprise_install": False,
        }


@dataclass
class SocketConnection:
    """One client connected over Socket Mode (index: order of connecting, from 0)."""

    index: int
    ws: web.WebSocketResponse
    received: list[JsonDict] = field(default_factory=list)
    # Silent: the socket stays open but Slack neither answers pings nor delivers anything
    # (a half-dead connection: only a watchdog on the client notices).
    silent: bool = False
    pings: int = 0


@dataclass(frozen=True)
class SocketEnvelope:
    envelope_id: str
    type: str
    payload: JsonDict
    accepts_response_payload: bool
    connection: int


class SocketModeHub:
    """Slack's side of Socket Mode: WebSocket connections opened with an apps.connections.open
    URL get `hello`, then envelopes pushed by the test (round robin across connections, as
    Slack spreads them); every ack is recorded per envelope and can be awaited."""

    def __init__(self) -> None:
        self.connections: list[SocketConnection] = []
        self.envelopes: list[SocketEnvelope] = []
        self.acks: dict[str, JsonDict] = {}
        # envelope_id -> index of the connection that acked it
        self.acked_on: dict[str, int] = {}
        self._acked: dict[str, asyncio.Event] = {}
        self._changed = asyncio.Condition()
        self._indexes = itertools.count()
        self._next = 0

    @property
    def live(self) -> list[SocketConnection]:
        """Open connections that still carry envelopes (not the silent ones)."""
        return [c for c in self.connections if not c.ws.closed and not c.silent]

    async def disconnect(
        self, connection: int, reason: str = "refresh_requested", *, close_after: float = 0.2
    ) -> None:
        """What Slack does to refresh a connection: a `disconnect` envelope (`refresh_requested`,
        `warning` shortly before it drops the socket, `link_disabled`, ...), then the socket is
        closed (after `close_after` seconds; None leaves it open)."""
        target = next(c for c in self.connections if c.index == connection)
        await target.ws.send_json(
            {
                "type": "disconnect",
                "reason": reason,
                "debug_info": {"host": "booker-slack-double"},
            }
        )
        if close_after is not None:
            await asyncio.sleep(close_after)
            await target.ws.close()
            await self._notify()

    async def go_silent(self, connection: int) -> None:
        """Leave the socket open, but stop answering pings and delivering envelopes."""
        target = next(c for c in self.connections if c.index == connection)
        target.silent = True
        await self._notify()

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if "ticket" not in request.query:
            return web.Response(status=401, text="missing ticket: call apps.connections.open")
        # Pings answered by hand, so a connection can go silent (go_silent).
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        connection = SocketConnection(next(self._indexes), ws)
        self.connections.append(connection)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self.live),
                "debug_info": {"host": "booker-slack-double", "approximate_connection_time": 3600},
                "connection_info": {"app_id": "A0BOOKER"},
            }
        )
        await self._notify()
        try:
            async for message in ws:
                if message.type == web.WSMsgType.PING:
                    connection.pings += 1
                    if not connection.silent:
                        await ws.pong(message.data)
                    continue
                if message.type == web.WSMsgType.CLOSE:
                    await ws.close()
                    break
                if message.type != web.WSMsgType.TEXT or connection.silent:
                    continue
                try:
                    data = json.loads(message.data)
                except json.JSONDecodeError:
                    continue
                if not isinstance(data, dict):
                    continue
                connection.received.append(data)
                envelope_id = data.get("envelope_id")
                if isinstance(envelope_id, str):
                    self.acks.setdefault(envelope_id, data)
                    self.acked_on.setdefault(envelope_id, connection.index)
                    self._acked.setdefault(envelope_id, asyncio.Event()).set()
        finally:
            await self._notify()
        return ws

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for_connections(self, count: int = 1, timeout: float = 30.0) -> None:
        """Until `count` clients are connected (raises TimeoutError saying how many are)."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.live) >= count)

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"{len(self.live)} Socket Mode connection(s) after {timeout} s, wanted {count}"
            ) from None

    async def push(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        connection: int | None = None,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an envelope ("slash_commands", "interactive" or "events_api") to one connection:
        the given one (by index) or the next in round robin. Returns its envelope_id."""
        live = self.live
        if not live:
            raise RuntimeError("no Socket Mode connection to deliver to")
        if connection is None:
            target = live[self._next % len(live)]
            self._next += 1
        else:
            target = next(c for c in self.connections if c.index == connection)
        envelope_id = envelope_id or str(uuid.uuid4())
        accepts = (
            kind != "events_api" if accepts_response_payload is None else accepts_response_payload
        )
        message: JsonDict = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": dict(payload),
            "accepts_response_payload": accepts,
        }
        if kind == "events_api":
            message["retry_attempt"] = retry_attempt
            message["retry_reason"] = retry_reason
        self._acked.setdefault(envelope_id, asyncio.Event())
        self.envelopes.append(
            SocketEnvelope(envelope_id, kind, dict(payload), accepts, target.index)
        )
        await target.ws.send_json(message)
        return envelope_id

    async def push_to_each(self, kind: str, payload: Mapping[str, Any]) -> list[str]:
        """The same payload to every live connection (what Slack's redelivery of a late-acked
        envelope looks like to a pool of connections). One envelope_id per connection."""
        return [await self.push(kind, payload, connection=c.index) for c in list(self.live)]

    async def ack(self, envelope_id: str, timeout: float = 10.0) -> JsonDict:
        """The client's ack of `envelope_id` ({"envelope_id", "payload"?}), once it comes."""
        event = self._acked.setdefault(envelope_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"envelope {envelope_id} was not acked within {timeout} s") from None
        return self.acks[envelope_id]

    async def close_all(self) -> None:
        for connection in self.connections:
            if not connection.ws.closed:
                await connection.ws.close(code=1001, message=b"server shutting down")


# --- OAuth v2 for a distributed app (multi-workspace installs) -------------------------------
def _basic_auth_credentials(request: web.Request) -> dict[str, str]:
    """slack_sdk sends oauth.v2.access credentials as HTTP Basic auth, as Slack prefers."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return {}
    try:
        decoded = base64.b64decode(header.removeprefix("Basic ").strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return {}
    client_id, _, client_secret = decoded.partition(":")
    return {"client_id": client_id, "client_secret": client_secret}


@dataclass
class SlackWorkspace:
    """A workspace (or, with is_enterprise_install, an Enterprise Grid org) that can install."""

    team_id: str
    team_name: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    is_enterprise_install: bool = False
    bot_user_id: str = ""
    bot_id: str = ""


@dataclass
class IssuedToken:
    token: str
    workspace: SlackWorkspace
    expires_at: float | None
    revoked: bool = False


@dataclass
class _Grant:
    workspace: SlackWorkspace
    installer: str
    redirect_uri: str | None


class OAuthDouble:
    """Slack's side of an OAuth install: the authorize redirect, oauth.v2.access (codes and, with
    token rotation, refresh tokens), and the tokens it issued (expiring, revocable).

    Off until `register(client_id, client_secret)`; until then oauth.v2.access answers any code
    with the double's first token, as before.
    """

    def __init__(self, double: SlackDouble) -> None:
        self._double = double
        self.client_id: str | None = None
        self.client_secret: str | None = None
        self.token_rotation = False
        self.token_lifetime_seconds = 12 * 3600
        self.scopes = "commands,chat:write,chat:write.public,users:read,im:write,files:write"
        # What the next visit to the authorize page decides ("allow" or "deny").
        self.decision = "allow"
        self.workspaces: dict[str, SlackWorkspace] = {}
        self.issued: dict[str, IssuedToken] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.clock: Callable[[], float] = time.time
        self._codes: dict[str, _Grant] = {}
        self._refresh_tokens: dict[str, SlackWorkspace] = {}

    def register(
        self,
        client_id: str,
        client_secret: str,
        *,
        token_rotation: bool = False,
        token_lifetime_seconds: int = 12 * 3600,
    ) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.token_rotation = token_rotation
        self.token_lifetime_seconds = token_lifetime_seconds

    def add_workspace(
        self,
        team_id: str,
        name: str | None = None,
        *,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        is_enterprise_install: bool = False,
    ) -> SlackWorkspace:
        workspace = SlackWorkspace(
            team_id=team_id,
            team_name=name or f"Workspace {team_id}",
            enterprise_id=enterprise_id,
            enterprise_name=enterprise_name,
            is_enterprise_install=is_enterprise_install,
            bot_user_id=f"U0BOT{team_id}",
            bot_id=f"B0BOT{team_id}",
        )
        self.workspaces[team_id] = workspace
        return workspace

    def _workspace(self, team_id: str | None) -> SlackWorkspace:
        team_id = team_id or self._double.team_id
        return self.workspaces.get(team_id) or self.add_workspace(team_id)

    def issue_code(
        self,
        team_id: str | None = None,
        *,
        installer: str = "U0INSTALLER",
        redirect_uri: str | None = None,
    ) -> str:
        """A one-time code, as Slack appends to the redirect URL after consent."""
        code = f"code-{secrets.token_hex(8)}"
        self._codes[code] = _Grant(self._workspace(team_id), installer, redirect_uri)
        return code

    def tokens_of(self, team_id: str) -> list[str]:
        """The usable tokens issued to a workspace, oldest first."""
        return [
            issued.token
            for issued in self.issued.values()
            if issued.workspace.team_id == team_id and self.token_problem(issued.token) is None
        ]

    def expire(self, token: str) -> None:
        self.issued[token].expires_at = self.clock() - 1

    def uninstall(self, team_id: str) -> None:
        """What Slack does when a workspace removes the app: every token it holds stops working."""
        for issued in self.issued.values():
            if issued.workspace.team_id == team_id:
                issued.revoked = True
        for refresh, workspace in list(self._refresh_tokens.items()):
            if workspace.team_id == team_id:
                del self._refresh_tokens[refresh]

    def revoke(self, token: str) -> bool:
        issued = self.issued.get(token)
        if issued is None or issued.revoked:
            return False
        issued.revoked = True
        return True

    def token_problem(self, token: str) -> str | None:
        """None for a usable issued token, else Slack's error code for it."""
        issued = self.issued.get(token)
        if issued is None:
            return "invalid_auth"
        if issued.revoked:
            return "token_revoked"
        if issued.expires_at is not None and issued.expires_at <= self.clock():
            return "token_expired"
        return None

    def authorize(self, request: web.Request) -> web.Response:
        """slack.com/oauth/v2/authorize: consent given (or refused) at once, back to the app."""
        query = dict(request.query)
        self.authorize_requests.append(query)
        if self.client_id is None or query.get("client_id") != self.client_id:
            return web.Response(status=400, text="invalid_client_id")
        redirect_uri = query.get("redirect_uri")
        if not redirect_uri:
            return web.Response(status=400, text="missing redirect_uri")
        answer: dict[str, str]
        if query.get("decision", self.decision) == "deny":
            answer = {"error": "access_denied"}
        else:
            answer = {"code": self.issue_code(query.get("team"), redirect_uri=redirect_uri)}
        if query.get("state") is not None:
            answer["state"] = query["state"]
        separator = "&" if "?" in redirect_uri else "?"
        location = redirect_uri + separator + urllib.parse.urlencode(answer)
        return web.Response(status=302, headers={"Location": location})

    def access(self, params: JsonDict) -> JsonDict:
        """oauth.v2.access for a registered app."""
        if params.get("client_id") != self.client_id:
            raise SlackError("invalid_client_id")
        if params.get("client_secret") != self.client_secret:
            raise SlackError("bad_client_secret")
        if params.get("grant_type") == "refresh_token":
            workspace = self._refresh_tokens.pop(str(params.get("refresh_token") or ""), None)
            if workspace is None:
                raise SlackError("invalid_refresh_token")
            return self._grant(workspace, installer=None)
        grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            raise SlackError("invalid_code")
        if grant.redirect_uri is not None and params.get("redirect_uri") != grant.redirect_uri:
            raise SlackError("bad_redirect_uri")
        return self._grant(grant.workspace, installer=grant.installer)

    def _grant(self, workspace: SlackWorkspace, *, installer: str | None) -> JsonDict:
        secret = secrets.token_hex(12)
        if self.token_rotation:
            token = f"xoxe.xoxb-1-{workspace.team_id}-{secret}"
            expires_at: float | None = self.clock() + self.token_lifetime_seconds
        else:
            token = f"xoxb-{workspace.team_id}-{secret}"
            expires_at = None
        self.issued[token] = IssuedToken(token, workspace, expires_at)
        answer: JsonDict = {
            "access_token": token,
            "token_type": "bot",
            "scope": self.scopes,
            "bot_user_id": workspace.bot_user_id,
            "app_id": self._double.app_id,
            "team": (
                None
                if workspace.is_enterprise_install
                else {"id": workspace.team_id, "name": workspace.team_name}
            ),
            "enterprise": (
                {"id": workspace.enterprise_id, "name": workspace.enterprise_name}
                if workspace.enterprise_id
                else None
            ),
            "is_enterprise_install": workspace.is_enterprise_install,
        }
        if installer is not None:
            answer["authed_user"] = {"id": installer}
        if self.token_rotation:
            refresh = f"xoxe-1-{secrets.token_hex(16)}"
            self._refresh_tokens[refresh] = workspace
            answer["refresh_token"] = refresh
            answer["expires_in"] = self.token_lifetime_seconds
        return answer
