"""A local stand-in for Slack's Web API, served over real HTTP, for tests and the offline demo.

Point slack_sdk (or Bolt) at `await double.start()` as its base URL. The double answers the
methods Booker uses the way Slack does (same shapes, same error codes), records every call,
checks the bearer token, rejects views and messages that slack_sdk's Block Kit models or
Slack's limits reject, and can be told to fail the next calls (`fail_next`).
"""

from __future__ import annotations

import itertools
import json
import time
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

JsonDict = dict[str, Any]

DEFAULT_TOKEN = "xoxb-booker-test-token"
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
MESSAGE_TEXT_MAX = 40000
SCHEDULE_MAX_SECONDS = 120 * 24 * 3600
# Slack form-encodes these as JSON strings; decoded so tests and validation see objects.
_JSON_ENCODED_PARAMS = frozenset({"view", "blocks", "attachments", "files", "metadata"})
_NO_TOKEN_METHODS = frozenset({"oauth.v2.access", "oauth.access", "api.test"})


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

    def __init__(self, code: str, *, messages: list[str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages or []


class SlackDouble:
    """Slack's Web API on 127.0.0.1, one instance per test or demo run."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        team_id: str = "T0BOOKER",
        bot_user_id: str = "U0BOOKERBOT",
        chat_write_public: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.tokens = frozenset(tokens)
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B0BOOKER"
        self.app_id = "A0BOOKER"
        self.chat_write_public = chat_write_public
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
        }

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> str:
        """Serve on a free port; returns the API base URL, e.g. http://127.0.0.1:PORT/api/."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_post("/respond/{token}", self._handle_response_url)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._origin = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
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
        if method not in _NO_TOKEN_METHODS:
            token = self._token_of(request, params)
            if not token:
                return self._error_response(SlackError("not_authed"))
            if token not in self.tokens:
                return self._error_response(SlackError("invalid_auth"))
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
        try:
            result = await implementation(params)
        except SlackError as e:
            return self._error_response(e)
        return web.json_response({"ok": True, **result})

    @staticmethod
    def _error_response(error: SlackError) -> web.Response:
        body: JsonDict = {"ok": False, "error": error.code}
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
        return {
            "url": "https://booker-test.slack.com/",
            "team": "Booker Test",
            "user": "booker",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    async def _views_open(self, params: JsonDict) -> JsonDict:
        self._required(params, "trigger_id")
        view = self._checked_view(params, "modal")
        return {"view": self._stored_view(view, view_id=self._new_id("V"), root_view_id=None)}

    async def _views_push(self, params: JsonDict) -> JsonDict:
        self._required(params, "trigger_id")
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

    async def _chat_schedule_message(self, params: JsonDict) -> JsonDict:
        self._required(params, "channel", "post_at")
        self._check_message(params)
        channel_id = str(params["channel"])
        self._channel_for_posting(channel_id)
        try:
            post_at = int(params["post_at"])
        except (TypeError, ValueError) as e:
            raise SlackError("invalid_time") from e
        now = int(time.time())
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at - now > SCHEDULE_MAX_SECONDS:
            raise SlackError("time_too_far")
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
            self._channel_for_posting(str(params["channel_id"]))
        return {"files": completed}

    async def _oauth_v2_access(self, params: JsonDict) -> JsonDict:
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
