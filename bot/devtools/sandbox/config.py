"""Configuration of the built-in HubSpot Scheduler sandbox: tokens, limits, latency, faults."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

FaultOperation = Literal["list", "info", "availability", "book", "any"]
FaultKind = Literal["status", "timeout", "malformed", "drop", "daily"]

FAULT_OPERATIONS: frozenset[str] = frozenset({"list", "info", "availability", "book", "any"})
FAULT_KINDS: frozenset[str] = frozenset({"status", "timeout", "malformed", "drop", "daily"})

READ_SCOPE = "scheduler.meetings.meeting-link.read"
# The spec lets any of many write scopes book; Booker asks `crm.objects.contacts.write` (a
# standard scope of public apps; the booking creates or updates the guest's contact).
BOOK_SCOPE = "crm.objects.contacts.write"

ENV_TOKEN = "BOOKBOT_SANDBOX_TOKEN"
ENV_LATENCY_MS = "BOOKBOT_SANDBOX_LATENCY_MS"
ENV_RATE_LIMIT = "BOOKBOT_SANDBOX_RATE_LIMIT"
ENV_FAULTS = "BOOKBOT_SANDBOX_FAULTS"
ENV_SEED = "BOOKBOT_SANDBOX_SEED"
ENV_OAUTH_CLIENT_ID = "BOOKBOT_SANDBOX_OAUTH_CLIENT_ID"
ENV_OAUTH_CLIENT_SECRET = "BOOKBOT_SANDBOX_OAUTH_CLIENT_SECRET"
ENV_OAUTH_TOKEN_SECONDS = "BOOKBOT_SANDBOX_OAUTH_TOKEN_SECONDS"
ENV_SPAM_DOMAINS = "BOOKBOT_SANDBOX_SPAM_DOMAINS"
# HubSpot refuses guest emails its spam filter flags (400 INVALID_EMAIL_GUESTS); `.example` is
# reserved (RFC 2606), so no real address is ever refused by default.
DEFAULT_SPAM_DOMAINS = frozenset({"spam.example"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Fault:
    """A failure the sandbox plays on the next `times` requests matching `operation`.

    kind "status": answer `status` with a HubSpot-shaped error body (429 adds Retry-After).
    kind "timeout": do the work (a booking IS recorded), sleep `delay_seconds`, then answer.
    kind "malformed": do the work, then answer 200 with a body that is not valid JSON.
    kind "drop": ASGI cannot close a connection without answering, so this answers 502
        Bad Gateway (as HubSpot's edge does when its backend vanished); no work is done.
    kind "daily": 429 with policyName DAILY (the account's daily limit is spent; no
        Retry-After: it resets at midnight in the account's time zone); no work is done.
    """

    operation: FaultOperation = "any"
    kind: FaultKind = "status"
    status: int = 503
    times: int = 1
    delay_seconds: float = 30.0
    retry_after_seconds: float | None = None
    # kind "status": the error's message instead of the generic one (a refusal naming no field).
    message: str | None = None

    def __post_init__(self) -> None:
        if self.operation not in FAULT_OPERATIONS:
            raise ValueError(
                f"fault operation must be one of {sorted(FAULT_OPERATIONS)}, not {self.operation!r}"
            )
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {sorted(FAULT_KINDS)}, not {self.kind!r}")
        if not 100 <= self.status <= 599:
            raise ValueError(f"fault status must be an HTTP status code, not {self.status}")
        if self.times < 1:
            raise ValueError(f"fault times must be at least 1, not {self.times}")
        if self.delay_seconds < 0:
            raise ValueError("fault delay_seconds must not be negative")
        if self.retry_after_seconds is not None and self.retry_after_seconds < 0:
            raise ValueError("fault retry_after_seconds must not be negative")

    def matches(self, operation: str) -> bool:
        return self.operation == "any" or self.operation == operation


# op:kind[@seconds][xN]; kind is an HTTP status, "timeout", "malformed", "drop" or "daily".
# "@seconds" is the delay of a timeout or the Retry-After of a 429.
_FAULT_SPEC = re.compile(
    r"^(?P<op>[a-z]+):(?P<kind>\d{3}|timeout|malformed|drop|daily)"
    r"(?:@(?P<seconds>\d+(?:\.\d+)?))?(?:x(?P<times>\d+))?$"
)


def parse_faults(text: str) -> list[Fault]:
    """Parse "book:503x2,list:429@3x1,availability:timeout@5,book:malformed" into faults."""
    faults: list[Fault] = []
    for raw_item in text.split(","):
        item = raw_item.strip().lower()
        if not item:
            continue
        match = _FAULT_SPEC.match(item)
        if match is None:
            raise ValueError(
                f"bad fault {raw_item.strip()!r}: expected operation:kind[@seconds][xN], "
                "e.g. book:503x2 or availability:timeout@5"
            )
        operation, kind_text = match["op"], match["kind"]
        if operation not in FAULT_OPERATIONS:
            raise ValueError(f"bad fault {raw_item.strip()!r}: unknown operation {operation!r}")
        times = int(match["times"]) if match["times"] else 1
        seconds = float(match["seconds"]) if match["seconds"] else None
        if kind_text.isdigit():
            faults.append(
                Fault(
                    operation=operation,  # type: ignore[arg-type]
                    kind="status",
                    status=int(kind_text),
                    times=times,
                    retry_after_seconds=seconds,
                )
            )
        else:
            fault = Fault(operation=operation, kind=kind_text, times=times)  # type: ignore[arg-type]
            if seconds is not None:
                fault.delay_seconds = seconds
            faults.append(fault)
    return faults


def _default_scopes() -> frozenset[str]:
    return frozenset({READ_SCOPE, BOOK_SCOPE})


@dataclass
class SandboxConfig:
    """How the sandbox behaves. Every field has a default that works offline with no token."""

    access_token: str | None = None
    scopes: frozenset[str] = field(default_factory=_default_scopes)
    rate_limit: int = 100
    rate_window_seconds: float = 10.0
    latency_seconds: float = 0.0
    clock: Callable[[], datetime] = _utc_now
    seed: int = 0
    faults: list[Fault] = field(default_factory=list)
    # Rate limiting measures elapsed time, which must not jump when `clock` is pinned in tests.
    monotonic: Callable[[], float] = time.monotonic
    # Where bookings' webConferenceUrl points (tests set http: or javascript: ones to check that
    # Booker never puts such a URL in a button).
    web_conference_base: str = "https://meet.sandbox.booker.invalid"
    # OAuth 2 (bot/devtools/sandbox/oauth.py): None accepts any client id / any non-empty secret.
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = None
    # HubSpot's access tokens live 30 minutes; tests shorten this to watch refreshes.
    oauth_access_token_seconds: float = 1800.0
    # Guest email domains HubSpot's spam filter refuses (BOOKBOT_SANDBOX_SPAM_DOMAINS, comma list).
    spam_email_domains: frozenset[str] = DEFAULT_SPAM_DOMAINS

    def __post_init__(self) -> None:
        if self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1")
        if self.rate_window_seconds <= 0:
            raise ValueError("rate_window_seconds must be positive")
        if self.latency_seconds < 0:
            raise ValueError("latency_seconds must not be negative")
        if self.oauth_access_token_seconds <= 0:
            raise ValueError("oauth_access_token_seconds must be positive")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig:
        """Read BOOKBOT_SANDBOX_TOKEN, _LATENCY_MS, _RATE_LIMIT, _FAULTS and _SEED."""
        env = os.environ if environ is None else environ
        config = cls()
        token = env.get(ENV_TOKEN, "").strip()
        if token:
            config.access_token = token
        latency_text = env.get(ENV_LATENCY_MS, "").strip()
        if latency_text:
            config.latency_seconds = _parse_number(ENV_LATENCY_MS, latency_text) / 1000.0
        rate_text = env.get(ENV_RATE_LIMIT, "").strip()
        if rate_text:
            config.rate_limit = int(_parse_number(ENV_RATE_LIMIT, rate_text, integer=True))
        seed_text = env.get(ENV_SEED, "").strip()
        if seed_text:
            config.seed = int(_parse_number(ENV_SEED, seed_text, integer=True))
        faults_text = env.get(ENV_FAULTS, "").strip()
        if faults_text:
            config.faults = parse_faults(faults_text)
        spam_text = env.get(ENV_SPAM_DOMAINS)
        if spam_text is not None:
            config.spam_email_domains = frozenset(
                domain.strip().lower() for domain in spam_text.split(",") if domain.strip()
            )
        config.oauth_client_id = env.get(ENV_OAUTH_CLIENT_ID, "").strip() or None
        config.oauth_client_secret = env.get(ENV_OAUTH_CLIENT_SECRET, "").strip() or None
        token_seconds_text = env.get(ENV_OAUTH_TOKEN_SECONDS, "").strip()
        if token_seconds_text:
            config.oauth_access_token_seconds = _parse_number(
                ENV_OAUTH_TOKEN_SECONDS, token_seconds_text
            )
        config.__post_init__()
        return config


def _parse_number(name: str, text: str, *, integer: bool = False) -> float:
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{name} must be {kind}, not {text!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {text!r}")
    return value
