"""What `parse_when` returns, and its error codes (the `bookbot parse` contract, design.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any


class ParseError(StrEnum):
    EMPTY = "empty"
    UNPARSEABLE = "unparseable"
    PAST = "past"
    DATE_ONLY = "date_only"


@dataclass(frozen=True)
class ParseResult:
    """What a person meant by their words.

    `start` is set only when there is no error: a past moment is never handed out as a start,
    so nobody can book it by accident. `date` is set with `DATE_ONLY` (and with `PAST` when the
    text named a day), `alternatives` holds other plausible readings for the modal preview.
    """

    start: datetime | None = None
    duration: timedelta | None = None
    error: ParseError | None = None
    date: date | None = None
    alternatives: tuple[datetime, ...] = ()
    explicit_zone: str | None = None
    matched_text: str = ""
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """The `bookbot parse` object for this result (`text` is the input as typed)."""
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "duration_minutes": _whole_minutes(self.duration),
            "error": self.error.value if self.error else None,
            "date": self.date.isoformat() if self.date else None,
            "alternatives": [alternative.isoformat() for alternative in self.alternatives],
        }


def _whole_minutes(duration: timedelta | None) -> int | float | None:
    if duration is None:
        return None
    minutes = duration.total_seconds() / 60
    return int(minutes) if minutes.is_integer() else round(minutes, 2)
