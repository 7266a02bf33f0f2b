"""Logging that never prints a secret: plain or JSON lines, with a redaction filter."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from typing import TextIO

# Slack tokens (xoxb-, xoxp-, xapp-, xoxe-) and HubSpot private-app tokens (pat-…).
TOKEN = re.compile(r"\b(?:xox[abposre]|xapp|pat)-[A-Za-z0-9-]{6,}")
BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")
# Matching starts only where a run of address characters starts (the look-behind): the pattern
# used to try every position of a long run without an `@` and scan to its end from each, which
# was quadratic (a 100 KB body took half a minute). `%40` is an `@` in a form-encoded body.
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(?:@|%40)"
    r"([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
# No log line is longer than this; a longer message is cut before it is matched, so redaction
# costs the same bounded time whatever a request carried.
MAX_LOGGED_CHARS = 64 * 1024
# Where a cut message may end: the partial word before the cut is dropped with the rest, so half
# an address or token cut in the middle (no longer matching its pattern) is never printed.
_WORD_ENDS = " \t\n\r,;\"'<>()[]{}&"
# OAuth authorization codes and client secrets, in a query string or form body (`code=…`) or a
# logged dict (`'code': '…'`): Bolt and slack_sdk log both at DEBUG.
OAUTH_FIELD = re.compile(
    r"""(\b(?:code|client_secret|refresh_token)=|["'](?:code|client_secret|refresh_token)["']"""
    r"""\s*:\s*["'])[^&\s"']+"""
)
# HubSpot OAuth tokens travel in these paths (httpx logs request lines at INFO).
OAUTH_TOKEN_PATH = re.compile(r"(/oauth/v1/(?:access|refresh)-tokens/)[^\s/?#\"']+")


# The Slack request being served: set when a request arrives, inherited by every task started
# while serving it (the work after the ack included), so its log lines can be told apart.
request_id_var: ContextVar[str | None] = ContextVar("bookbot_request_id", default=None)


def new_request_id() -> str:
    """A fresh id for this context's Slack request (and the tasks it starts)."""
    request_id = uuid.uuid4().hex[:16]
    request_id_var.set(request_id)
    return request_id


def redact(text: str) -> str:
    """Tokens out, emails masked to their first letter and domain; cut to MAX_LOGGED_CHARS."""
    if len(text) > MAX_LOGGED_CHARS:
        text = _cut(text)
    text = TOKEN.sub("[redacted]", text)
    text = BEARER.sub(r"\1[redacted]", text)
    text = OAUTH_TOKEN_PATH.sub(r"\1[redacted]", text)
    text = OAUTH_FIELD.sub(r"\1[redacted]", text)
    return EMAIL.sub(r"\1***@\2", text)


def _cut(text: str) -> str:
    head = text[:MAX_LOGGED_CHARS]
    end = max(head.rfind(character) for character in _WORD_ENDS)
    return f"{head[: max(end, 0)]} [… {len(text) - max(end, 0)} characters cut]"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact_records_at_creation() -> None:
    """Redact every log record as it is made, so no handler — ours, pytest's, an operator's —
    ever sees a secret or a guest email (slack_sdk logs request bodies, aiosqlite SQL
    parameters, at DEBUG). Idempotent; only records a logger actually emits pay for it."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts", False):
        return

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is for logging itself to report, not ours
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    make_record.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


class RequestIdFilter(logging.Filter):
    """Puts the current Slack request's id on every record (`request_id`, None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class OneRecordFormatter(logging.Formatter):
    """Plain lines where each record starts a line and nothing else does: every further line of
    a record (a newline someone typed or sent, a traceback) is indented, so a request can never
    forge a line of its own."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\n    ")


def log_handler(*, json_lines: bool = False, stream: TextIO | None = None) -> logging.Handler:
    """A handler that redacts secrets and tags each line with its Slack request's id."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else OneRecordFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    return handler


def configure_logging(
    level: str = "INFO", *, json_lines: bool = False, stream: TextIO | None = None
) -> None:
    handler = log_handler(json_lines=json_lines, stream=stream)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
