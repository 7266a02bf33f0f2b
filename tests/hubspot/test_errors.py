"""HubSpot's error answers become exceptions a caller (and a person) can act on."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from bot.hubspot.errors import (
    AuthenticationError,
    HubSpotError,
    MissingScopeError,
    PageNotFoundError,
    RateLimitedError,
    ServerError,
    SlotUnavailableError,
    ValidationError,
    from_response,
    retry_after_seconds,
)
from tests.hubspot import payloads

URL = "https://api.hubapi.com/scheduler/v3/meetings/meeting-links/book"


def _response(status: int, body: object = None, **kwargs: object) -> httpx.Response:
    request = httpx.Request("POST", URL)
    if body is None:
        return httpx.Response(status, request=request, **kwargs)  # type: ignore[arg-type]
    return httpx.Response(status, json=body, request=request, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "category", "expected"),
    [
        (401, "INVALID_AUTHENTICATION", AuthenticationError),
        (401, "EXPIRED_AUTHENTICATION", AuthenticationError),
        (403, "MISSING_SCOPES", MissingScopeError),
        (404, "OBJECT_NOT_FOUND", PageNotFoundError),
        (400, "VALIDATION_ERROR", ValidationError),
        (429, "RATE_LIMITS", RateLimitedError),
        (500, "INTERNAL_ERROR", ServerError),
        (503, "SERVICE_UNAVAILABLE", ServerError),
        (409, "CONFLICT", HubSpotError),
    ],
)
def test_status_and_category_pick_the_class(
    status: int, category: str, expected: type[HubSpotError]
) -> None:
    error = from_response(_response(status, payloads.error_body(category, "boom")))
    assert type(error) is expected
    assert error.status == status
    assert error.category == category
    assert error.correlation_id == payloads.CORRELATION_ID
    assert error.message == "boom"
    assert error.user_message  # every class has words for a person
    assert (
        HubSpotError.from_response(_response(status, payloads.error_body(category))).__class__
        is expected
    )


def test_each_class_speaks_differently_to_people() -> None:
    classes = [
        AuthenticationError,
        MissingScopeError,
        PageNotFoundError,
        ValidationError,
        SlotUnavailableError,
        RateLimitedError,
        ServerError,
    ]
    messages = {cls("x").user_message for cls in classes}
    assert len(messages) == len(classes)
    assert "Bearer" not in " ".join(messages)


@pytest.mark.parametrize(
    "sub_category",
    [
        "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID",
        "MeetingsBookingSchedulingError.TIME_NOT_AVAILABLE",
    ],
)
def test_a_refused_start_time_is_a_slot_error_and_a_validation_error(sub_category: str) -> None:
    body = payloads.error_body(
        "VALIDATION_ERROR",
        "Start time must be contained in availability settings",
        subCategory=sub_category,
    )
    error = from_response(_response(400, body))
    assert isinstance(error, SlotUnavailableError)
    assert isinstance(error, ValidationError)
    assert error.sub_category == sub_category
    assert "another slot" in error.user_message


def test_slot_refusal_found_in_an_error_detail() -> None:
    body = payloads.error_body(
        "VALIDATION_ERROR",
        errors=[
            {
                "message": "Start time not valid",
                "in": "startTime",
                "subCategory": "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID",
            }
        ],
    )
    error = from_response(_response(400, body))
    assert isinstance(error, SlotUnavailableError)
    assert error.field == "startTime"


def test_validation_error_names_the_field() -> None:
    body = payloads.error_body(
        "VALIDATION_ERROR", "Email is invalid", errors=[{"message": "bad email", "in": "email"}]
    )
    error = from_response(_response(400, body))
    assert type(error) is ValidationError
    assert error.field == "email"
    from_context = from_response(
        _response(400, payloads.error_body("VALIDATION_ERROR", context={"in": ["timezone"]}))
    )
    assert isinstance(from_context, ValidationError)
    assert from_context.field == "timezone"
    no_field = from_response(_response(400, payloads.error_body("VALIDATION_ERROR")))
    assert isinstance(no_field, ValidationError)
    assert no_field.field is None


def test_missing_scopes_come_from_details_and_context() -> None:
    body = payloads.error_body(
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes",
        errors=[
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": ["scheduler.meetings.meeting-link.read"]},
            }
        ],
        context={"missingScopes": ["meetings-write"]},
    )
    error = from_response(_response(403, body))
    assert isinstance(error, MissingScopeError)
    assert error.missing_scopes == ["scheduler.meetings.meeting-link.read", "meetings-write"]


def test_rate_limit_wait_prefers_retry_after() -> None:
    body = payloads.error_body(
        "RATE_LIMITS",
        "You have reached your ten_secondly_rolling limit.",
        errorType="RATE_LIMIT",
        policyName="TEN_SECONDLY_ROLLING",
    )
    headers = {"Retry-After": "3", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    error = from_response(_response(429, body, headers=headers))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 3.0


@pytest.mark.parametrize(
    ("policy", "daily"), [("DAILY", True), ("TEN_SECONDLY_ROLLING", False), ("SECONDLY", False)]
)
def test_hubspots_real_429_body_has_no_category(policy: str, daily: bool) -> None:
    # As HubSpot sends it (developers.hubspot.com, API usage guidelines): no `category`.
    body = {
        "status": "error",
        "message": f"You have reached your {policy.lower()} limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
        "policyName": policy,
        "requestId": "3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd",
    }
    error = from_response(_response(429, body))
    assert isinstance(error, RateLimitedError)
    assert error.correlation_id == "c033cdaa-2c40-4a64-ae48-b4cec88dad24"
    assert error.policy_name == policy and error.daily is daily
    assert error.message == body["message"]
    if daily:
        assert "daily" in error.user_message and "tomorrow" in error.user_message


def test_rate_limit_wait_falls_back_to_the_interval_header() -> None:
    headers = {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    error = from_response(_response(429, payloads.error_body("RATE_LIMITS"), headers=headers))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 10.0
    bare = from_response(_response(429, payloads.error_body("RATE_LIMITS")))
    assert isinstance(bare, RateLimitedError)
    assert bare.retry_after is None


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    headers = httpx.Headers({"Retry-After": "Tue, 01 Dec 2026 12:00:05 GMT"})
    assert retry_after_seconds(headers, now=lambda: now) == 5.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Headers({"Retry-After": "-4"})) == 0.0


@pytest.mark.parametrize(
    ("status", "expected"),
    [(502, ServerError), (401, AuthenticationError), (404, PageNotFoundError)],
)
def test_bodies_that_are_not_hubspot_json_still_classify_by_status(
    status: int, expected: type[HubSpotError]
) -> None:
    response = _response(status, content=b"<html>Bad Gateway</html>")
    error = from_response(response)
    assert type(error) is expected
    assert error.status == status
    assert "Bad Gateway" in error.message
    assert error.correlation_id is None


def test_json_that_is_not_the_error_schema_still_classifies() -> None:
    error = from_response(_response(400, {"unexpected": True}))
    assert type(error) is ValidationError
    assert error.status == 400


def test_str_carries_what_support_needs() -> None:
    error = from_response(
        _response(404, payloads.error_body("OBJECT_NOT_FOUND", "slug does not exist"))
    )
    text = str(error)
    assert "slug does not exist" in text
    assert "404" in text
    assert payloads.CORRELATION_ID in text
