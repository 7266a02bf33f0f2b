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
    # The strict reading (issue 11): never a start when a word was not understood.
    INVALID_DATE = "invalid_date"
    INVALID_TIME = "invalid_time"
    UNKNOWN_WORD = "unknown_word"
    CONFLICT = "conflict"
    WEEKDAY_MISMATCH = "weekday_mismatch"
    TOO_LONG = "too_long"


# Errors whose `alternatives` are the readings a person picks from (not extra suggestions).
CHOICE_ERRORS = frozenset({ParseError.CONFLICT, ParseError.WEEKDAY_MISMATCH})


@dataclass(frozen=True)
class InvalidDay:
    """A day the calendar does not have: `day` of `month` (of `year`, when the year decides,
    as February 29 does). `days` is how many days that month has; month 13 has none (0)."""

    month: int
    day: int
    year: int | None
    days: int


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
    # What the strict reading found: the words read as time (in order, as typed), the word
    # that was not understood (or the impossible date/time as typed) and a close known word.
    read_words: tuple[str, ...] = ()
    word: str | None = None
    suggestion: str | None = None
    detail: str | None = None  # an English reason, for `bookbot parse` and logs
    invalid_day: InvalidDay | None = None

    def to_json(self) -> dict[str, Any]:
        """The `bookbot parse` object for this result (`text` is the input as typed)."""
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "duration_minutes": _whole_minutes(self.duration),
            "error": self.error.value if self.error else None,
            "date": self.date.isoformat() if self.date else None,
            "alternatives": [alternative.isoformat() for alternative in self.alternatives],
        }
        for name in ("word", "suggestion", "detail"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.read_words:
            out["read"] = list(self.read_words)
        return out


def _whole_minutes(duration: timedelta | None) -> int | float | None:
    if duration is None:
        return None
    minutes = duration.total_seconds() / 60
    return int(minutes) if minutes.is_integer() else round(minutes, 2)
