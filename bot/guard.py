"""The ASGI guard in front of Bolt (HTTP mode): bounded bodies, a body read deadline, and only
requests whose Slack signature verifies reach Bolt, the ack metric or any log.

Before it, one unsigned 100 KB POST froze the server for half a minute (Bolt logged the whole body
at INFO and the log redaction was quadratic), a 50 MB body was read whole, a body sent at one byte
a second held its connection for ever, and a non-numeric timestamp header or invalid UTF-8 made
Bolt answer 500 with a traceback.

What is refused gets one WARNING line (path, reason, client address; never the body, every value
escaped so that a newline cannot forge a line) and a short plain-text answer; nothing raises.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, Final
from urllib.parse import parse_qs

log = logging.getLogger("bot.guard")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]

# The largest body Slack sends us. Our own modals and cards are a few KB; the only payload whose
# size we do not control is the "Book a meeting" message shortcut, which carries the message it
# was used on: up to 40,000 characters of text, repeated in its rich_text blocks, JSON-escaped and
# then percent-encoded in a form body (a non-Latin character is 3 UTF-8 bytes, 9 bytes encoded).
# That tops out around 720 KB, so 1 MiB lets every real Slack request through, and nothing larger
# is ever read.
MAX_BODY_BYTES: Final = 1024 * 1024
# A whole body must arrive within this many seconds of the request's headers. Slack sends its
# (small) bodies at once; a sender slower than this is holding a connection open on purpose.
BODY_TIMEOUT_SECONDS: Final = 10.0
# Slack's own rule: a timestamp more than five minutes away from now is a replay.
MAX_CLOCK_SKEW_SECONDS: Final = 5 * 60
SIGNED_PATHS: Final = frozenset({"/slack/events"})
_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Refused(Exception):
    """A request answered by the guard itself: status, a short public reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def printable(value: object, limit: int = 80) -> str:
    """A request-derived value safe for one log line: cut, and every control character escaped
    (a newline in it can never start a forged line)."""
    text = str(value)
    cut = text[:limit]
    escaped = cut.encode("unicode_escape").decode("ascii")
    return escaped + ("…" if len(text) > limit else "")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value)
    return None


def signature_problem(
    secret: str, timestamp: bytes | None, signature: bytes | None, *, now: float
) -> str | None:
    """Why the headers alone already rule the request out (None: its body is worth reading)."""
    if not timestamp or not signature:
        return "missing signature headers"
    if not (timestamp.isdigit() and len(timestamp) <= 12):
        return "malformed timestamp header"
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return "stale timestamp"
    if not (signature.startswith(b"v0=") and len(signature) == 67):
        return "malformed signature header"
    if not secret:
        return "no signing secret configured"
    return None


def signature_matches(secret: str, timestamp: bytes, signature: bytes, body: bytes) -> bool:
    base = b"v0:" + timestamp + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature)


@functools.lru_cache(maxsize=16)
def form_fields(text: str) -> dict[str, list[str]]:
    """``parse_qs(text)``, kept for the request's other readers (the ack metric) and computed
    in C where that gives the very same answer. A submission's form carries the whole modal,
    JSON percent-encoded almost character by character: urllib's unquote took ~4 ms a parse on
    the event loop, on every submission's ack path. Callers must not change the result."""
    fast = _c_speed_form(text)
    return fast if fast is not None else parse_qs(text)


def _c_speed_form(text: str) -> dict[str, list[str]] | None:
    """parse_qs's answer through codecs.escape_decode (%XX read as \\xXX); None where the two
    could differ (a backslash in the body, a % not followed by two hex digits)."""
    if "\\" in text:
        return None
    fields: dict[str, list[str]] = {}
    for pair in text.split("&"):
        name, equals, value = pair.partition("=")
        if not equals or not value:  # parse_qs drops fields without a value
            continue
        try:
            key = _unquote(name)
            fields.setdefault(key, []).append(_unquote(value))
        except ValueError:
            return None
    return fields


def _unquote(part: str) -> str:
    raw = part.replace("+", " ").encode("utf-8").replace(b"%", b"\\x")
    decoded: bytes = codecs.escape_decode(raw)[0]
    return decoded.decode("utf-8", "replace")


def body_problem(content_type: bytes | None, body: bytes) -> str | None:
    """Why a signed body is not one Bolt can read (None: it is)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    kind = (content_type or b"").split(b";")[0].strip().lower()
    if kind == b"application/json":
        try:
            parsed = json.loads(text)
        except ValueError:
            return "JSON content type with a body that is not JSON"
        return None if isinstance(parsed, dict) else "JSON body is not an object"
    fields = form_fields(text)
    if "payload" in fields:
        try:
            payload = json.loads(fields["payload"][0])
        except ValueError:
            return "payload field is not JSON"
        if not isinstance(payload, dict):
            return "payload field is not a JSON object"
    return None


class RequestGuard:
    """ASGI middleware: every request body bounded in size and time; on SIGNED_PATHS only
    requests signed with `signing_secret` get through."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        signing_secret: str | None,
        max_body_bytes: int = MAX_BODY_BYTES,
        body_timeout_seconds: float = BODY_TIMEOUT_SECONDS,
        signed_paths: Iterable[str] = SIGNED_PATHS,
        clock: Callable[[], float] = time.time,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.secret = signing_secret or ""
        self.max_body_bytes = max_body_bytes
        self.body_timeout_seconds = body_timeout_seconds
        self.signed_paths = frozenset(signed_paths)
        self.clock = clock
        self.on_refused = on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        signed = scope.get("path") in self.signed_paths and scope.get("method") == "POST"
        if not signed and scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._checked_body(scope, receive, signed=signed)
        except Refused as refusal:
            await self._refuse(scope, send, refusal)
            return
        await self.app(scope, _replaying(body, receive), send)

    async def _checked_body(self, scope: Scope, receive: Receive, *, signed: bool) -> bytes:
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise Refused(400, "malformed Content-Length")
            if int(length) > self.max_body_bytes:
                raise Refused(413, "body too large")
        timestamp = _header(scope, b"x-slack-request-timestamp")
        signature = _header(scope, b"x-slack-signature")
        if signed:
            problem = signature_problem(self.secret, timestamp, signature, now=self.clock())
            if problem is not None:
                raise Refused(401, problem)
        body = await self._read_body(receive)
        if signed:
            assert timestamp is not None and signature is not None
            if not signature_matches(self.secret, timestamp, signature, body):
                raise Refused(401, "signature does not match")
            problem = body_problem(_header(scope, b"content-type"), body)
            if problem is not None:
                raise Refused(400, problem)
        return body

    async def _read_body(self, receive: Receive) -> bytes:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout_seconds
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise Refused(408, "body not sent in time")
            try:
                message = await asyncio.wait_for(receive(), remaining)
            except TimeoutError:
                raise Refused(408, "body not sent in time") from None
            if message["type"] == "http.disconnect":
                raise Refused(400, "client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise Refused(413, "body too large")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, scope: Scope, send: Send, refusal: Refused) -> None:
        client = scope.get("client") or ("?", 0)
        log.warning(
            "refused %s %s from %s: %s (%d)",
            printable(scope.get("method", "")),
            printable(scope.get("path", "")),
            printable(client[0]),
            refusal.reason,
            refusal.status,
        )
        if self.on_refused is not None:
            self.on_refused(refusal.reason)
        # Whatever is left of the body is never read: the connection closes after the answer.
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        text = _PUBLIC_TEXT.get(refusal.status, "Refused").encode()
        headers.append((b"content-length", str(len(text)).encode()))
        await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
        await send({"type": "http.response.body", "body": text})


_PUBLIC_TEXT: Final = {
    400: "Bad Request",
    401: "Unauthorized",
    408: "Request Timeout",
    413: "Payload Too Large",
}


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` for the app behind: the body read already, then whatever comes next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        message: Message = await receive()
        return message

    return replay
