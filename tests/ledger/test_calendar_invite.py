"""The .ics from "Add to calendar", parsed back with icalendar as a calendar app would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar

from bot.calendar_invite import CalendarInvite, build_ics, invite_filename, invite_uid

NASTY = "<!channel> & <https://evil.example|click> a&b; comma, back\\slash\nnew line"


def sample(**overrides: object) -> CalendarInvite:
    values: dict[str, object] = {
        "booking_key": "V0ABC:3f1e",
        "summary": "Product demo",
        "start": datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
        "duration_minutes": 45,
        "description": "Guest: Ana Souza (ana@acme.com)",
        "stamp": datetime(2026, 12, 2, 14, 0, tzinfo=UTC),
        "join_url": "https://meet.example.com/abc-defg",
        "attendee_email": "ana@acme.com",
        "attendee_name": "Ana Souza",
    }
    values.update(overrides)
    return CalendarInvite(**values)  # type: ignore[arg-type]


def the_event(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_file_is_a_calendar_with_one_event_in_utc() -> None:
    data = build_ics(sample())
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar, event = the_event(data)
    assert str(calendar["version"]) == "2.0"
    assert "Booker" in str(calendar["prodid"])
    assert event.decoded("dtstart") == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 3, 15, 45, tzinfo=UTC)
    # UTC form ("…Z"), not a floating or TZID time, so every calendar shows the same moment.
    assert b"DTSTART:20261203T150000Z" in data
    assert b"DTEND:20261203T154500Z" in data
    assert str(event["summary"]) == "Product demo"


def test_the_join_url_is_the_location_and_the_url() -> None:
    _, event = the_event(build_ics(sample()))
    assert str(event["location"]) == "https://meet.example.com/abc-defg"
    assert str(event["url"]) == "https://meet.example.com/abc-defg"


def test_an_offline_meeting_has_its_place_as_location_and_no_url() -> None:
    _, event = the_event(build_ics(sample(join_url=None, location="Rua Augusta 100, São Paulo")))
    assert str(event["location"]) == "Rua Augusta 100, São Paulo"
    assert "url" not in event


def test_the_uid_is_stable_per_booking_and_differs_between_bookings() -> None:
    first = the_event(build_ics(sample()))[1]["uid"]
    again = the_event(build_ics(sample(summary="Renamed")))[1]["uid"]
    other = the_event(build_ics(sample(booking_key="V0XYZ:9a9a")))[1]["uid"]
    assert str(first) == str(again) == invite_uid("V0ABC:3f1e")
    assert str(other) != str(first)
    assert "ana" not in str(first)


def test_typed_text_stays_literal_in_description_and_summary() -> None:
    data = build_ics(sample(description=NASTY, summary="<!here> a&b"))
    _, event = the_event(data)
    assert str(event["description"]) == NASTY
    assert str(event["summary"]) == "<!here> a&b"
    # iCalendar's own escaping, not Slack's or HTML's.
    assert b"&amp;" not in data and b"&lt;" not in data
    assert b"\\;" in data and b"\\," in data and b"\\n" in data


def test_the_guest_is_an_attendee_by_email() -> None:
    _, event = the_event(build_ics(sample(attendee_name="<!channel>, Ana; Souza")))
    attendee = event["attendee"]
    assert str(attendee) == "mailto:ana@acme.com"
    assert attendee.params["cn"] == "<!channel>, Ana; Souza"


def test_lines_are_folded_under_75_octets() -> None:
    data = build_ics(sample(description="x" * 500, summary="é" * 150))
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    _, event = the_event(data)
    assert str(event["description"]) == "x" * 500


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sample(start=datetime(2026, 12, 3, 10, 0))


def test_file_names_are_plain_ascii() -> None:
    start = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert invite_filename("Product demo", start) == "product-demo-2026-12-03.ics"
    assert invite_filename("<!channel>/../x", start) == "channel-..-x-2026-12-03.ics"
    assert invite_filename("ação", start) == "a-o-2026-12-03.ics"
    assert invite_filename("", start) == "meeting-2026-12-03.ics"


@given(st.text(max_size=300))
@example("\\N")  # a typed backslash-N, once read back as a line break
@example("a;b,c\\n\r\nd")
def test_any_description_round_trips(text: str) -> None:
    _, event = the_event(build_ics(sample(description=text)))
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["description"]).replace("\r\n", "\n") == expected
