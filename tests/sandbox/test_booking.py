"""POST /meeting-links/book: a booking takes the slot; every refusal names its field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import (
    API,
    PINNED_NOW,
    booking_payload,
    free_starts,
    iso_utc,
    state_of,
)

START_TIME_SUBCATEGORY = "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID"
SALES_FORM = [{"name": "company_size", "value": "11-50"}]
SALES_CONSENT = [{"communicationTypeId": "31476113", "consented": True}]


async def book(client: httpx.AsyncClient, payload: dict[str, Any]) -> httpx.Response:
    return await client.post(f"{API}/book", json=payload)


async def test_booking_returns_a_join_link_and_takes_the_slot(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    response = await book(client, booking_payload("demo", start_ms, 1_800_000))
    assert response.status_code == 200
    booking = response.json()
    assert booking["webConferenceUrl"].startswith("https://meet.sandbox.booker.invalid/")
    assert booking["subject"] == "Product Demo with Ana Lima"
    assert booking["guestEmails"] == ["ana.lima@example.com"]
    assert booking["bookingTimezone"] == "America/Sao_Paulo"
    assert booking["duration"] == 1_800_000
    assert datetime.fromisoformat(booking["start"]) == datetime.fromtimestamp(
        start_ms / 1000, tz=UTC
    )
    assert datetime.fromisoformat(booking["end"]) - datetime.fromisoformat(
        booking["start"]
    ) == timedelta(minutes=30)

    assert start_ms not in await free_starts(client, "demo", 1_800_000)
    fifteen_minute_starts = await free_starts(client, "demo", 900_000)
    assert start_ms not in fifteen_minute_starts
    assert start_ms + 900_000 not in fifteen_minute_starts
    state = state_of(client)
    assert state.book_calls == 1 and len(state.bookings) == 1


async def test_each_booking_gets_its_own_conference_link(client: httpx.AsyncClient) -> None:
    starts = await free_starts(client, "demo", 900_000)
    first = (await book(client, booking_payload("demo", starts[0], 900_000))).json()
    later = next(ms for ms in starts if ms >= starts[0] + 900_000)
    second = (await book(client, booking_payload("demo", later, 900_000))).json()
    assert first["webConferenceUrl"] != second["webConferenceUrl"]
    assert first["calendarEventId"] != second["calendarEventId"]
    assert first["contactId"] == second["contactId"], "same guest, same contact"


async def test_double_booking_and_overlaps_are_refused(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "demo", 3_600_000))[0]
    assert (await book(client, booking_payload("demo", start_ms, 3_600_000))).status_code == 200

    for overlapping in (
        booking_payload("demo", start_ms, 3_600_000, email="other@example.com"),
        booking_payload("demo", start_ms + 1_800_000, 900_000),
    ):
        response = await book(client, overlapping)
        assert response.status_code == 400
        body = response.json()
        assert body["subCategory"] == START_TIME_SUBCATEGORY
        assert body["message"] == "Start time must be contained in availability settings"
        assert body["errors"][0]["in"] == "startTime"
    state = state_of(client)
    assert state.book_calls == 3 and len(state.bookings) == 1


@pytest.mark.parametrize(
    "start",
    [
        PINNED_NOW - timedelta(days=1),  # in the past
        datetime(2026, 3, 7, 15, 0, tzinfo=UTC),  # Saturday
        datetime(2026, 3, 3, 3, 0, tzinfo=UTC),  # 22:00 in New York
        datetime(2026, 3, 3, 15, 5, tzinfo=UTC),  # off the 15-minute grid
        datetime(2026, 6, 1, 15, 0, tzinfo=UTC),  # beyond weeksToAdvertise
    ],
)
async def test_start_outside_availability_is_refused(
    client: httpx.AsyncClient, start: datetime
) -> None:
    payload = booking_payload("demo", int(start.timestamp() * 1000), 1_800_000)
    response = await book(client, payload)
    assert response.status_code == 400
    assert response.json()["subCategory"] == START_TIME_SUBCATEGORY


async def test_start_time_with_an_offset_books_the_same_instant(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "demo", 900_000))[0]
    local = datetime.fromtimestamp(start_ms / 1000, tz=UTC).astimezone(
        datetime.fromisoformat("2026-03-02T00:00:00-05:00").tzinfo
    )
    response = await book(
        client, booking_payload("demo", start_ms, 900_000, startTime=local.isoformat())
    )
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["start"]).timestamp() * 1000 == start_ms


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "ana@localhost"}, "email"),
        ({"duration": 2_700_000}, "duration"),
        ({"firstName": "  "}, "firstName"),
        ({"startTime": "next tuesday"}, "startTime"),
        ({"startTime": "2026-03-03T10:00:00"}, "startTime"),  # no offset: ambiguous
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"formFields": None}, "formFields"),
        ({"duration": "1800000"}, "duration"),
    ],
)
async def test_invalid_booking_fields_are_named(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    response = await book(client, booking_payload("demo", start_ms, 1_800_000, **overrides))
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert field in [error["in"] for error in body["errors"]]
    assert state_of(client).bookings == []


async def test_body_that_is_not_json_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/book", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert state_of(client).book_calls == 1


async def test_unknown_slug_cannot_be_booked(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    response = await book(client, booking_payload("no-such-page", start_ms, 1_800_000))
    assert response.status_code == 404
    assert response.json()["message"] == "slug does not exist"


async def test_sales_intro_books_with_form_answers_and_consent(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "sales-intro", 1_800_000))[0]
    payload = booking_payload(
        "sales-intro",
        start_ms,
        1_800_000,
        formFields=SALES_FORM,
        legalConsentResponses=SALES_CONSENT,
    )
    response = await book(client, payload)
    assert response.status_code == 200, response.text
    booking = response.json()
    company_size = next(item for item in booking["formFields"] if item["name"] == "company_size")
    assert company_size["value"] == "11-50" and company_size["valueLabel"] == "11–50 employees"
    assert booking["legalConsentResponses"] == SALES_CONSENT


@pytest.mark.parametrize(
    ("form_fields", "consents", "field"),
    [
        ([], SALES_CONSENT, "company_size"),
        ([{"name": "company_size", "value": " "}], SALES_CONSENT, "company_size"),
        ([{"name": "company_size", "value": "huge"}], SALES_CONSENT, "company_size"),
        (SALES_FORM, [], "legalConsentResponses"),
        (
            SALES_FORM,
            [{"communicationTypeId": "31476113", "consented": False}],
            "legalConsentResponses",
        ),
    ],
)
async def test_sales_intro_refuses_missing_answers_and_consent(
    client: httpx.AsyncClient,
    form_fields: list[dict[str, str]],
    consents: list[dict[str, Any]],
    field: str,
) -> None:
    start_ms = (await free_starts(client, "sales-intro", 1_800_000))[0]
    payload = booking_payload(
        "sales-intro", start_ms, 1_800_000, formFields=form_fields, legalConsentResponses=consents
    )
    response = await book(client, payload)
    assert response.status_code == 400
    assert [error["in"] for error in response.json()["errors"]] == [field]


async def test_onsite_visit_booking_has_a_location_and_no_conference(
    client: httpx.AsyncClient,
) -> None:
    start_ms = (await free_starts(client, "onsite-visit", 3_600_000))[0]
    response = await book(client, booking_payload("onsite-visit", start_ms, 3_600_000))
    assert response.status_code == 200
    booking = response.json()
    assert booking["isOffline"] is True
    assert "webConferenceUrl" not in booking
    assert "Chicago" in booking["location"]


async def test_state_reset_frees_booked_slots(client: httpx.AsyncClient) -> None:
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    await book(client, booking_payload("demo", start_ms, 1_800_000))
    state_of(client).reset()
    assert state_of(client).bookings == [] and state_of(client).book_calls == 0
    response = await book(client, booking_payload("demo", start_ms, 1_800_000))
    assert response.status_code == 200, "the slot is free again after reset"
    assert iso_utc(start_ms).startswith(response.json()["start"][:16])
