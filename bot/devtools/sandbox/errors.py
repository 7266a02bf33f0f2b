"""HubSpot-shaped error bodies (the spec's Error schema plus HubSpot's `status` field)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
MISSING_SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about "
    "required scopes here: https://developers.hubspot.com/scopes."
)
RATE_LIMIT_MESSAGE = "You have reached your ten_secondly_rolling limit."
DAILY_LIMIT_MESSAGE = "You have reached your daily limit."
START_TIME_MESSAGE = "Start time must be contained in availability settings"
START_TIME_SUBCATEGORY = "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID"
INVALID_EMAIL_SUBCATEGORY = "MeetingsBookingValidationError.INVALID_EMAIL"
INVALID_EMAIL_GUESTS_SUBCATEGORY = "MeetingsBookingValidationError.INVALID_EMAIL_GUESTS"

CATEGORY_BY_STATUS: dict[int, str] = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    403: "MISSING_SCOPES",
    404: "OBJECT_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITS",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

MESSAGE_BY_STATUS: dict[int, str] = {
    500: "internal error",
    502: "Bad gateway: the upstream connection closed before a response was received.",
    503: "The service is temporarily unavailable. Please retry.",
    504: "The upstream service did not respond in time.",
}


@dataclass
class ErrorDetail:
    message: str
    in_field: str | None = None
    code: str | None = None
    sub_category: str | None = None
    context: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.in_field is not None:
            body["in"] = self.in_field
        if self.code is not None:
            body["code"] = self.code
        if self.sub_category is not None:
            body["subCategory"] = self.sub_category
        if self.context:
            body["context"] = self.context
        return body


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def error_body(
    status: int,
    message: str | None = None,
    *,
    category: str | None = None,
    sub_category: str | None = None,
    errors: list[ErrorDetail] | None = None,
    context: dict[str, list[str]] | None = None,
    links: dict[str, str] | None = None,
    correlation_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": "error",
        "message": message or MESSAGE_BY_STATUS.get(status, f"HTTP {status}"),
        "correlationId": correlation_id or new_correlation_id(),
        "category": category or CATEGORY_BY_STATUS.get(status, "INTERNAL_ERROR"),
    }
    if sub_category is not None:
        body["subCategory"] = sub_category
    if errors:
        body["errors"] = [detail.to_json() for detail in errors]
    if context:
        body["context"] = context
    if links:
        body["links"] = links
    return body


def rate_limit_body(
    correlation_id: str | None = None, *, policy: str = "TEN_SECONDLY_ROLLING"
) -> dict[str, Any]:
    """HubSpot's real 429 body: unlike the spec's Error schema it has no `category`."""
    return {
        "status": "error",
        "message": DAILY_LIMIT_MESSAGE if policy == "DAILY" else RATE_LIMIT_MESSAGE,
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id or new_correlation_id(),
        "policyName": policy,
        "requestId": uuid.uuid4().hex,
    }


def validation_error(errors: list[ErrorDetail], message: str | None = None) -> dict[str, Any]:
    """400 VALIDATION_ERROR whose message is the first problem, details in `errors`."""
    return error_body(
        400,
        message or (errors[0].message if errors else "Invalid input"),
        category="VALIDATION_ERROR",
        errors=errors,
    )
