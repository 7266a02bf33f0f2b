"""GET /book/{slug} and /book/availability-page/{slug}: shapes, slots, zones, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.sandbox.conftest import API, PINNED_NOW, free_starts

NEW_YORK = ZoneInfo("America/New_York")


async def test_demo_page_offers_three_durations_in_business_hours(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"{API}/book/demo", params={"timezone": "Europe/Lisbon"})
    assert response.status_code == 200
    info = response.json()
    params = info["customParams"]
    assert params["durations"] == [900_000, 1_800_000, 3_600_000]
    assert params["startTimeIncrementMinutes"] == "FIFTEEN"
    assert info["isOffline"] is False
    by_duration = info["linkAvailability"]["linkAvailabilityByDuration"]
    assert set(by_duration) == {"900000", "1800000", "3600000"}
    for key, group in by_duration.items():
        assert group["meetingDurationMillis"] == int(key)
        assert group["availabilities"], f"no {key} ms slots"
        for slot in group["availabilities"]:
            start = datetime.fromtimestamp(slot["startMillisUtc"] / 1000, tz=NEW_YORK)
            end = datetime.fromtimestamp(slot["endMillisUtc"] / 1000, tz=NEW_YORK)
            assert slot["endMillisUtc"] - slot["startMillisUtc"] == int(key)
            assert start.weekday() < 5
            assert start.hour >= 9 and (end.hour, end.minute) <= (17, 0)
            assert start.minute % 15 == 0
            assert start > PINNED_NOW


async def test_slots_follow_the_page_zone_across_daylight_saving(client: httpx.AsyncClient) -> None:
    starts = [
        datetime.fromtimestamp(ms / 1000, tz=UTC)
        for ms in await free_starts(client, "demo", 3_600_000)
    ]
    week_before = [moment for moment in starts if moment.day <= 6]  # EST, 9:00 is 14:00 UTC
    week_after = [moment for moment in starts if 9 <= moment.day <= 13]  # EDT, 9:00 is 13:00 UTC
    assert min(moment.hour for moment in week_before) == 14
    assert min(moment.hour for moment in week_after) == 13
    assert max(moment.hour for moment in week_before) == 21  # 16:00 EST, the last hour-long slot
    assert max(moment.hour for moment in week_after) == 20


async def test_busy_times_are_not_offered(client: httpx.AsyncClient) -> None:
    info = (await client.get(f"{API}/book/demo", params={"timezone": "UTC"})).json()
    busy = info["allUsersBusyTimes"][0]["busyTimes"]
    assert busy, "the demo organizer has some meetings already"
    slots = info["linkAvailability"]["linkAvailabilityByDuration"]["900000"]["availabilities"]
    for slot in slots:
        for interval in busy:
            overlaps = (
                slot["startMillisUtc"] < interval["end"]
                and interval["start"] < slot["endMillisUtc"]
            )
            assert not overlaps
    organizer = info["allUsersBusyTimes"][0]["meetingsUser"]
    assert organizer["userProfile"]["email"].endswith(".invalid")


async def test_month_offset_moves_to_the_next_month(client: httpx.AsyncClient) -> None:
    this_month = await free_starts(client, "sales-intro", 1_800_000, month_offset=0)
    next_month = await free_starts(client, "sales-intro", 1_800_000, month_offset=1)
    assert this_month and next_month
    assert all(datetime.fromtimestamp(ms / 1000, tz=UTC).month == 3 for ms in this_month)
    assert all(datetime.fromtimestamp(ms / 1000, tz=UTC).month == 4 for ms in next_month)
    response = await client.get(
        f"{API}/book/availability-page/sales-intro", params={"timezone": "UTC"}
    )
    assert response.json()["linkAvailability"]["hasMore"] is True


async def test_sales_intro_asks_for_company_size_and_consent(client: httpx.AsyncClient) -> None:
    params = (await client.get(f"{API}/book/sales-intro", params={"timezone": "UTC"})).json()[
        "customParams"
    ]
    assert params["durations"] == [1_800_000]
    company_size = next(field for field in params["formFields"] if field["name"] == "company_size")
    assert company_size["isRequired"] and company_size["isCustom"]
    assert company_size["fieldType"] == "select" and len(company_size["options"]) >= 3
    assert params["legalConsentEnabled"] is True
    consent = params["legalConsentOptions"]
    assert consent["processingConsentType"] == "REQUIRED_CHECKBOX"
    assert any(box["required"] for box in consent["communicationConsentCheckboxes"])


async def test_onsite_visit_is_offline_with_an_address(client: httpx.AsyncClient) -> None:
    info = (await client.get(f"{API}/book/onsite-visit", params={"timezone": "UTC"})).json()
    assert info["isOffline"] is True
    assert info["customParams"]["durations"] == [3_600_000]
    assert "Chicago" in info["customParams"]["location"]


@pytest.mark.parametrize("path", ["/book/demo", "/book/availability-page/demo"])
async def test_missing_timezone_is_a_validation_error(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(f"{API}{path}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error" and body["category"] == "VALIDATION_ERROR"
    assert body["errors"][0]["in"] == "timezone"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", " "])
async def test_invalid_timezone_is_a_validation_error(client: httpx.AsyncClient, zone: str) -> None:
    response = await client.get(f"{API}/book/demo", params={"timezone": zone})
    assert response.status_code == 400
    assert response.json()["errors"][0]["in"] == "timezone"


@pytest.mark.parametrize("path", ["/book/nope", "/book/availability-page/nope"])
async def test_unknown_slug_is_object_not_found(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(f"{API}{path}", params={"timezone": "UTC"})
    assert response.status_code == 404
    body = response.json()
    assert body["message"] == "slug does not exist"
    assert body["category"] == "OBJECT_NOT_FOUND"
    assert response.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]


async def test_negative_month_offset_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"{API}/book/availability-page/demo", params={"timezone": "UTC", "monthOffset": -1}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["in"] == "monthOffset"
