"""An RFC 5545 calendar file (.ics) for one booking, built with the `icalendar` library.

Pure: a CalendarInvite in, bytes out. Text goes in raw (no Slack escaping): iCalendar has its
own escaping, which the library applies, so a guest named `<!channel>` stays literal text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Booker//Booker for Slack and HubSpot//EN"
UID_DOMAIN = "booker.invalid"
SUMMARY_MAX = 200
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class CalendarInvite:
    """One booked meeting, as the calendar file describes it."""

    booking_key: str
    summary: str
    start: datetime
    duration_minutes: int
    description: str
    stamp: datetime
    join_url: str | None = None
    location: str | None = None
    attendee_email: str | None = None
    attendee_name: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "stamp"):
            value: datetime = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"CalendarInvite.{name} must be timezone-aware")
        if self.duration_minutes <= 0:
            raise ValueError("CalendarInvite.duration_minutes must be positive")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)


def invite_uid(booking_key: str) -> str:
    """The same UID for the same booking every time, so re-importing updates one event."""
    digest = hashlib.sha256(booking_key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def invite_filename(summary: str, start: datetime) -> str:
    """A plain ASCII file name such as `product-demo-2026-12-03.ics`."""
    stem = _UNSAFE_FILENAME.sub("-", summary.strip().lower()).strip("-.")[:60] or "meeting"
    return f"{stem}-{start.astimezone(UTC):%Y-%m-%d}.ics"


def build_ics(invite: CalendarInvite) -> bytes:
    """The VCALENDAR with one VEVENT: times in UTC, the Join URL as LOCATION and URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", invite_uid(invite.booking_key))
    event.add("dtstamp", invite.stamp.astimezone(UTC))
    event.add("dtstart", invite.start.astimezone(UTC))
    event.add("dtend", invite.end.astimezone(UTC))
    event.add("summary", _Text(_one_line(invite.summary)[:SUMMARY_MAX] or "Meeting"))
    event.add("description", _Text(invite.description))
    location = invite.join_url or (invite.location or "").strip() or None
    if location:
        event.add("location", _Text(location))
    if invite.join_url:
        event.add("url", invite.join_url)
    if invite.attendee_email:
        attendee = vCalAddress(f"mailto:{invite.attendee_email.strip()}")
        if invite.attendee_name and invite.attendee_name.strip():
            attendee.params["cn"] = vText(_one_line(invite.attendee_name))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()


class _Text(vText):
    """RFC 5545 TEXT (3.3.11) escaped exactly: icalendar's own escaping reads a typed `\\N` as
    a line break, so a description holding a backslash would not come back as typed."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\r\n", "\n").replace("\r", "\n")
        for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(plain, escaped)
        return text.encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
