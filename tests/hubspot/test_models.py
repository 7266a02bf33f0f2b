"""The models read HubSpot's documented shapes and write the request HubSpot documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pydantic
import pytest

from bot.hubspot.models import (
    Availability,
    BookingInfo,
    BookingRequest,
    BookingResponse,
    HubSpotErrorBody,
    MeetingLinksPage,
    TimeSlot,
)
from tests.contract_helpers import validate_request, validate_response
from tests.hubspot import payloads
from tests.hubspot.payloads import SCHEDULER

NEW_YORK = ZoneInfo("America/New_York")


def _get(path: str) -> httpx.Request:
    return httpx.Request("GET", f"https://api.hubapi.com{SCHEDULER}{path}")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/meeting-links", payloads.links_page(["a", "b"], after="2")),
        ("/meeting-links/book/demo?timezone=UTC", payloads.booking_info()),
        ("/meeting-links/book/availability-page/demo?timezone=UTC", payloads.availability()),
    ],
)
def test_sample_payloads_are_what_the_spec_documents(path: str, body: dict[str, object]) -> None:
    # Guards the fixtures below: a model test on an invented shape would prove nothing.
    request = _get(path)
    validate_response(request, httpx.Response(200, json=body, request=request))


def test_meeting_links_page_exposes_links_and_next_cursor() -> None:
    page = MeetingLinksPage.model_validate(payloads.links_page(["demo", "sales"], after="2"))
    assert [link.slug for link in page.results] == ["demo", "sales"]
    assert page.next_after == "2"
    assert page.results[0].organizer_user_id == "1001"
    assert page.results[0].created_at == datetime(2026, 1, 10, 18, 5, 53, 512000, tzinfo=UTC)
    assert MeetingLinksPage.model_validate(payloads.links_page(["x"])).next_after is None


def test_booking_info_gives_what_the_booking_form_needs() -> None:
    info = BookingInfo.model_validate(payloads.booking_info())
    assert info.durations_minutes == [30, 60]
    assert [f.name for f in info.custom_form_fields] == ["company_size"]
    company_size = info.custom_form_fields[0]
    assert company_size.is_required
    assert [o.value for o in company_size.visible_options] == ["1-10", "50+"]
    assert info.requires_processing_consent
    assert [c.communication_type_id for c in info.required_consent_checkboxes] == ["99"]
    assert info.organizer_user_ids == ["1001"]
    assert info.location == "Rua Augusta 10, Lisboa"
    assert info.custom_params.availability["MONDAY"].start == 540
    busy = info.all_users_busy_times[0]
    assert busy.meetings_user.user_profile.full_name == "Inês Costa"
    assert busy.busy_times[0].as_slot().start == datetime(2026, 12, 1, 16, tzinfo=UTC)


def test_consent_checkboxes_are_not_required_when_the_page_disables_consent() -> None:
    body = payloads.booking_info()
    body["customParams"]["legalConsentEnabled"] = False
    info = BookingInfo.model_validate(body)
    assert info.required_consent_checkboxes == []
    assert not info.requires_processing_consent


def test_availability_slots_are_aware_sorted_and_per_duration() -> None:
    availability = Availability.model_validate(payloads.availability())
    start = datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert availability.slots(30) == [
        TimeSlot(start, start + timedelta(minutes=30)),
        TimeSlot(start + timedelta(minutes=30), start + timedelta(minutes=60)),
    ]
    assert availability.slots(60) == [TimeSlot(start, start + timedelta(hours=1))]
    assert availability.slots(45) == []
    assert availability.durations_minutes == [30, 60]
    assert availability.has_more


def test_slots_in_a_zone_and_per_day() -> None:
    availability = Availability.model_validate(payloads.availability())
    local = availability.slots(30, zone=NEW_YORK)
    assert local[0].start.hour == 9
    assert local[0].start.tzinfo == NEW_YORK
    assert local[0].duration_minutes == 30
    day = datetime(2026, 12, 1, 20, tzinfo=NEW_YORK)
    assert len(availability.slots_on(day, 30, zone=NEW_YORK)) == 2
    assert availability.slots_on(day + timedelta(days=1), 30, zone=NEW_YORK) == []


def test_is_free_compares_instants_not_wall_clocks() -> None:
    availability = Availability.model_validate(payloads.availability())
    assert availability.is_free(datetime(2026, 12, 1, 9, 30, tzinfo=NEW_YORK), 30)
    assert not availability.is_free(datetime(2026, 12, 1, 9, 15, tzinfo=NEW_YORK), 30)
    with pytest.raises(ValueError):
        availability.is_free(datetime(2026, 12, 1, 9, 30), 30)


def test_slots_found_when_the_key_is_not_the_duration_text() -> None:
    body = payloads.availability()
    groups = body["linkAvailability"]["linkAvailabilityByDuration"]
    groups["thirty"] = groups.pop(str(payloads.HALF_HOUR_MS))
    assert len(Availability.model_validate(body).slots(30)) == 2


def test_availability_without_link_availability_has_no_slots() -> None:
    availability = Availability.model_validate({"allUsersBusyTimes": []})
    assert availability.slots(30) == []
    assert availability.durations_minutes == []


def test_responses_tolerate_fields_the_spec_does_not_list() -> None:
    body = payloads.booking_info(brandNewThing=True)
    body["customParams"]["aNewSetting"] = {"x": 1}
    info = BookingInfo.model_validate(body)
    assert info.model_extra == {"brandNewThing": True}


def test_responses_missing_a_required_field_are_refused() -> None:
    body = payloads.booking_response()
    del body["calendarEventId"]
    with pytest.raises(pydantic.ValidationError):
        BookingResponse.model_validate(body)


def test_booking_response_has_aware_times_and_the_join_url() -> None:
    booked = BookingResponse.model_validate(payloads.booking_response())
    assert booked.start == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert booked.start.tzinfo is not None
    assert booked.duration_minutes == 30
    assert booked.web_conference_url == "https://meet.example.invalid/conf-1"
    assert booked.slot.end - booked.slot.start == timedelta(minutes=30)
    offline = BookingResponse.model_validate(
        payloads.booking_response(webConferenceUrl=None, location="Rua Augusta 10")
    )
    assert offline.web_conference_url is None
    assert offline.location == "Rua Augusta 10"


def test_booking_response_refuses_naive_times() -> None:
    with pytest.raises(pydantic.ValidationError):
        BookingResponse.model_validate(payloads.booking_response(start="2026-12-01T14:00:00"))


def _request(**overrides: object) -> BookingRequest:
    values: dict[str, object] = {
        "slug": "sales-intro",
        "start": datetime(2026, 12, 1, 9, 0, 30, 123, tzinfo=NEW_YORK),
        "duration_minutes": 30,
        "email": "ana@acme.com",
        "first_name": "Ana",
        "last_name": "Lima",
        "form_fields": {"company_size": "1-10"},
        "consents": {"99": True},
        "likely_available_user_ids": ["1001"],
        "timezone": "America/New_York",
    }
    values.update(overrides)
    return BookingRequest.create(**values)  # type: ignore[arg-type]


def test_booking_request_serializes_by_alias_in_utc_with_z() -> None:
    wire = _request().to_wire()
    assert wire == {
        "slug": "sales-intro",
        "duration": 1_800_000,
        "startTime": "2026-12-01T14:00:30Z",
        "email": "ana@acme.com",
        "firstName": "Ana",
        "lastName": "Lima",
        "formFields": [{"name": "company_size", "value": "1-10"}],
        "legalConsentResponses": [{"communicationTypeId": "99", "consented": True}],
        "likelyAvailableUserIds": ["1001"],
        "timezone": "America/New_York",
    }  # no "locale": unset optional fields are left out


def test_booking_request_body_passes_the_spec() -> None:
    request = httpx.Request(
        "POST", f"https://api.hubapi.com{SCHEDULER}/meeting-links/book", json=_request().to_wire()
    )
    validate_request(request)


def test_booking_request_keeps_required_lists_even_when_empty() -> None:
    wire = _request(form_fields=None, consents=None, likely_available_user_ids=()).to_wire()
    assert wire["formFields"] == []
    assert wire["legalConsentResponses"] == []
    assert wire["likelyAvailableUserIds"] == []


def test_booking_request_accepts_snake_or_camel_and_refuses_unknowns() -> None:
    by_alias = BookingRequest.model_validate(_request().to_wire())
    assert by_alias == _request()
    with pytest.raises(pydantic.ValidationError):
        BookingRequest.model_validate({**_request().to_wire(), "startTimee": "x"})


def test_booking_request_refuses_a_naive_start() -> None:
    with pytest.raises(pydantic.ValidationError):
        _request(start=datetime(2026, 12, 1, 9, 0))


def test_booking_request_from_other_offsets_lands_on_the_same_instant() -> None:
    plus_two = timezone(timedelta(hours=2))
    wire = _request(start=datetime(2026, 12, 1, 16, 0, tzinfo=plus_two)).to_wire()
    assert wire["startTime"] == "2026-12-01T14:00:00Z"


def test_error_body_reads_details_and_rate_limit_extras() -> None:
    body = HubSpotErrorBody.model_validate(
        payloads.error_body(
            "VALIDATION_ERROR",
            subCategory="MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID",
            errors=[{"message": "bad", "in": "startTime", "code": "INVALID", "context": {}}],
            links={"docs": "https://developers.hubspot.com"},
            errorType="RATE_LIMIT",
            policyName="TEN_SECONDLY_ROLLING",
        )
    )
    assert body.errors[0].in_ == "startTime"
    assert body.correlation_id == payloads.CORRELATION_ID
    assert body.sub_category == "MeetingsBookingSchedulingError.MEETING_START_TIME_NOT_VALID"
    assert body.policy_name == "TEN_SECONDLY_ROLLING"
