"""What can go wrong talking to HubSpot, as exception classes built from HubSpot's error JSON.

Every class carries a `user_message` fit to show a person (English), a stable `code` (kept in
the ledger; the Slack layer shows the message for it in the person's language) and the facts an
operator needs (`status`, `category`, `correlation_id`). `from_response()` turns any non-2xx
httpx.Response into the right class.
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
import pydantic

from bot.hubspot.models import ErrorDetail, HubSpotErrorBody

SLOT_NOT_VALID_SUB_CATEGORY = "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID"
DAILY_POLICY = "DAILY"


class HubSpotError(Exception):
    """Base of every HubSpot failure."""

    default_user_message: ClassVar[str] = (
        "Something went wrong talking to HubSpot. Please try again."
    )
    # The failure's stable, translatable code (bot/i18n keys per code live in bot/flow.py).
    default_code: ClassVar[str] = "server"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        category: str | None = None,
        sub_category: str | None = None,
        correlation_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        context: dict[str, list[str]] | None = None,
        user_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.category = category
        self.sub_category = sub_category
        self.correlation_id = correlation_id
        self.errors: list[ErrorDetail] = list(errors)
        self.context: dict[str, list[str]] = dict(context or {})
        self.user_message = user_message or self.default_user_message

    @property
    def code(self) -> str:
        """What went wrong, as one of Booker's stable codes (stored with a failed booking)."""
        return self.default_code

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.category:
            parts.append(f"category={self.category}")
        if self.sub_category:
            parts.append(f"subCategory={self.sub_category}")
        if self.correlation_id:
            parts.append(f"correlationId={self.correlation_id}")
        return " ".join(parts)

    @staticmethod
    def from_response(response: httpx.Response) -> HubSpotError:
        """The right subclass for a non-2xx `response`; see the module's `from_response`."""
        return from_response(response)

    @classmethod
    def from_body(cls, body: HubSpotErrorBody, *, status: int, **extra: Any) -> HubSpotError:
        return cls(
            body.message,
            status=status,
            category=body.category,
            sub_category=body.sub_category,
            correlation_id=body.correlation_id,
            errors=body.errors,
            context=body.context,
            **extra,
        )


class AuthenticationError(HubSpotError):
    """401: the token is missing, wrong or expired."""

    default_code = "auth"

    default_user_message = (
        "HubSpot did not accept Booker's access token. "
        "Ask an admin to check the HubSpot connection."
    )


class MissingScopeError(HubSpotError):
    """403: the token lacks a scope the call needs."""

    default_code = "scope"

    default_user_message = (
        "Booker's HubSpot app lacks a permission it needs. Ask an admin to grant it."
    )

    @property
    def missing_scopes(self) -> list[str]:
        found: list[str] = []
        for detail in self.errors:
            found.extend((detail.context or {}).get("requiredGranularScopes", []))
        found.extend(self.context.get("missingScopes", []))
        found.extend(self.context.get("requiredGranularScopes", []))
        return list(dict.fromkeys(found))


class PageNotFoundError(HubSpotError):
    """404: the meeting page (slug) does not exist."""

    default_code = "page_not_found"

    default_user_message = "That meeting page does not exist in HubSpot (any more)."


@dataclass(frozen=True)
class FieldProblem:
    """One thing HubSpot refused: `field` as HubSpot names it (`email`, `firstName`,
    `startTime`, `duration`, `timezone`, `legalConsentResponses`, or a page question's name;
    None when HubSpot did not say), `code` (INVALID_EMAIL, INVALID_EMAIL_GUESTS, REQUIRED, ...:
    the detail's code, else the last part of its subCategory) and HubSpot's own `message`."""

    field: str | None
    code: str | None
    message: str


def _code_of(code: str | None, sub_category: str | None) -> str | None:
    if code and not code.isdigit():
        return code
    if sub_category:
        return sub_category.rsplit(".", 1)[-1]
    return code


class ValidationError(HubSpotError):
    """400: HubSpot refused the input; `field` names the offending field when HubSpot says."""

    default_code = "validation"

    default_user_message = "HubSpot refused the booking details. Please check them and try again."

    @property
    def problems(self) -> list[FieldProblem]:
        """Every refusal HubSpot listed, with the field it names (from `in`, else `context`)."""
        found: list[FieldProblem] = []
        for detail in self.errors:
            context = detail.context or {}
            field = detail.in_ or _context_field(context)
            found.append(
                FieldProblem(field, _code_of(detail.code, detail.sub_category), detail.message)
            )
        if not found:
            found.append(
                FieldProblem(
                    _context_field(self.context), _code_of(None, self.sub_category), self.message
                )
            )
        return found

    @property
    def field(self) -> str | None:
        for detail in self.errors:
            if detail.in_:
                return detail.in_
        for key in ("in", "field", "propertyName", "invalidPropertyName"):
            values = self.context.get(key)
            if values:
                return values[0]
        return None


class SlotUnavailableError(ValidationError):
    """400 because the start time is outside the page's availability or already taken."""

    default_code = "slot_taken"

    default_user_message = "That time is not free on the meeting page any more. Pick another slot."


class RateLimitedError(HubSpotError):
    """429: too many requests; `retry_after` is how long HubSpot asks us to wait (seconds).

    `policy_name` is HubSpot's (TEN_SECONDLY_ROLLING, SECONDLY, DAILY, ...). A DAILY limit
    lasts until midnight in the account's time zone: `daily` errors are never retried."""

    default_code = "rate_limited"

    default_user_message = "HubSpot is busy right now. Please try again in a few seconds."
    daily_user_message = (
        "HubSpot's daily API limit for this account is used up. Please try again tomorrow."
    )

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        policy_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if policy_name == DAILY_POLICY and kwargs.get("user_message") is None:
            kwargs["user_message"] = self.daily_user_message
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.policy_name = policy_name

    @property
    def daily(self) -> bool:
        return self.policy_name == DAILY_POLICY

    @property
    def code(self) -> str:
        return "rate_limited_daily" if self.daily else self.default_code

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} policyName={self.policy_name}" if self.policy_name else text


class ServerError(HubSpotError):
    """5xx: HubSpot failed. On a booking it may still have acted, so it is not retried."""

    default_user_message = "HubSpot had a problem. Please try again in a moment."


class TransportError(HubSpotError):
    """HubSpot could not be reached (connection refused, DNS, timeouts on a read-only call)."""

    default_code = "unreachable"

    default_user_message = "Booker could not reach HubSpot. Please try again in a moment."


class MalformedResponseError(HubSpotError):
    """HubSpot answered 2xx with a body that is not JSON or not the documented shape."""

    default_user_message = "HubSpot sent an answer Booker could not read. Please try again."


class BookingOutcomeUnknownError(HubSpotError):
    """The booking request may have reached HubSpot but no answer came back."""

    default_code = "unknown"

    default_user_message = (
        "HubSpot did not answer in time, so we cannot tell whether the meeting was booked. "
        "Please check the calendar before booking again."
    )


# Context keys that hold the field's name, and keys that are themselves a field's name.
_NAMING_KEYS = ("formFields", "in", "field", "propertyName", "invalidPropertyName")
_FIELD_KEYS = (
    "email",
    "firstName",
    "lastName",
    "startTime",
    "duration",
    "timezone",
    "legalConsentResponses",
)


def _context_field(context: dict[str, list[str]]) -> str | None:
    for key in _NAMING_KEYS:
        values = context.get(key)
        if values:
            return values[0]
    for key in _FIELD_KEYS:
        if key in context:
            return key
    return None


def _is_slot_refusal(body: HubSpotErrorBody) -> bool:
    sub_categories = [body.sub_category, *(d.sub_category for d in body.errors)]
    return any(
        sub == SLOT_NOT_VALID_SUB_CATEGORY or sub.endswith("TIME_NOT_AVAILABLE")
        for sub in sub_categories
        if sub
    )


def retry_after_seconds(
    headers: httpx.Headers, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """The wait a 429 asks for: Retry-After (seconds or HTTP date), else the rate-limit interval."""
    raw = headers.get("retry-after")
    if raw is not None:
        try:
            seconds = float(raw)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(raw)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, (when - now()).total_seconds())
        else:
            if math.isfinite(seconds):
                return max(0.0, seconds)
    interval = headers.get("x-hubspot-ratelimit-interval-milliseconds")
    if interval is not None:
        try:
            millis = float(interval)
        except ValueError:
            return None
        if math.isfinite(millis):
            return max(0.0, millis / 1000)
    return None


def _parse_body(response: httpx.Response) -> HubSpotErrorBody | None:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    try:
        return HubSpotErrorBody.model_validate(payload)
    except pydantic.ValidationError:
        return None


def _class_for(status: int, body: HubSpotErrorBody | None) -> type[HubSpotError]:
    category = body.category if body else None
    if status == 401 or category in {"INVALID_AUTHENTICATION", "EXPIRED_AUTHENTICATION"}:
        return AuthenticationError
    if status == 403:
        return MissingScopeError
    if status == 404:
        return PageNotFoundError
    if status == 429:
        return RateLimitedError
    if status >= 500:
        return ServerError
    if status in {400, 422} or category == "VALIDATION_ERROR":
        if body is not None and _is_slot_refusal(body):
            return SlotUnavailableError
        return ValidationError
    return HubSpotError


def from_response(response: httpx.Response) -> HubSpotError:
    """The exception for a non-2xx `response` (its body must already be read)."""
    status = response.status_code
    body = _parse_body(response)
    error_class = _class_for(status, body)
    extra: dict[str, Any] = {}
    if error_class is RateLimitedError:
        extra["retry_after"] = retry_after_seconds(response.headers)
        extra["policy_name"] = body.policy_name if body is not None else None
    if body is not None:
        return error_class.from_body(body, status=status, **extra)
    # Not HubSpot's JSON (a proxy page, an empty 502): classify by status alone.
    snippet = response.text[:200].strip() if response.content else ""
    message = f"HubSpot answered {status} {response.reason_phrase}".rstrip()
    if snippet:
        message += f": {snippet}"
    return error_class(message, status=status, **extra)


# --- OAuth 2 (HubSpot's token endpoint, bot/hubspot/oauth.py) ------------------------------------


class OAuthError(HubSpotError):
    """HubSpot's token endpoint refused: `oauth_status` is its code (BAD_AUTH_CODE, ...)."""

    default_user_message = "HubSpot refused to connect. Please try connecting again."

    def __init__(self, message: str, *, oauth_status: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.oauth_status = oauth_status


class BadAuthCodeError(OAuthError):
    """The authorization code is unknown, used already, expired or for another redirect URI."""

    default_user_message = (
        "That HubSpot approval has expired or was used already. Please connect again."
    )


class OAuthClientError(OAuthError):
    """HubSpot does not accept Booker's client id or secret (HUBSPOT_CLIENT_ID / _SECRET)."""

    default_user_message = (
        "Booker's HubSpot app settings are wrong. Ask an admin to check HUBSPOT_CLIENT_ID "
        "and HUBSPOT_CLIENT_SECRET."
    )


class RefreshTokenRevoked(AuthenticationError, OAuthError):
    """The refresh token no longer works (app uninstalled in HubSpot, or revoked): reconnect."""

    default_user_message = (
        "Booker's HubSpot connection was revoked. Reconnect HubSpot from Booker's Home tab."
    )


class NotConnectedError(AuthenticationError):
    """This workspace has not connected a HubSpot account yet (or its connection is broken)."""

    default_user_message = (
        "This workspace has not connected HubSpot yet. Connect it from Booker's Home tab."
    )
