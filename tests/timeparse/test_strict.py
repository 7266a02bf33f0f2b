"""The strict reading (issue 11): a word not understood, an impossible day or clock time, two
readings or a weekday that is not the date's never give a start; each says why."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.timeparse import ParseError, ParseResult, TimeParser
from bot.timeparse.cli import describe
from bot.timeparse.lexicon import FILLER_WORDS, MONTHS, SUGGESTION_WORDS, TIME_WORDS
from bot.timeparse.parser import MAX_TEXT_LENGTH

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime.fromisoformat("2026-12-03T10:00:00-05:00")  # a Thursday
ZONE = "America/New_York"


def load(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


VALID_ROWS = [
    row
    for name in ("booking_phrases.jsonl", "adversarial_phrases.jsonl")
    for row in load(name)
    if "expected_start" in row
]


def read(parser: TimeParser, text: str, **kwargs: Any) -> ParseResult:
    return parser.parse(text, now=kwargs.pop("now", NOW), tz=kwargs.pop("tz", ZONE), **kwargs)


def read_row(parser: TimeParser, row: dict[str, Any], text: str) -> ParseResult:
    return parser.parse(
        text, now=datetime.fromisoformat(row["now"]), tz=row["tz"], locale=row["locale"]
    )


def plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


KNOWN = (
    FILLER_WORDS
    | TIME_WORDS
    | {plain(w) for words in SUGGESTION_WORDS.values() for w in words}
    | {"hi", "hey", "oi", "ola", "hola", "thanks", "please", "gracias", "obrigado", "obrigada"}
)


# ---------------------------------------------------------------- property tests
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    index=st.integers(min_value=0, max_value=len(VALID_ROWS) - 1),
    word=st.from_regex(r"[a-z]{3,9}", fullmatch=True),
    after=st.booleans(),
    pick=st.integers(min_value=0, max_value=50),
)
def test_a_made_up_word_beside_the_time_words_never_gives_a_start(
    time_parser: TimeParser, index: int, word: str, after: bool, pick: int
) -> None:
    assume(word not in KNOWN and word not in time_parser.known_words())
    row = VALID_ROWS[index]
    alone = read_row(time_parser, row, word)
    assume(alone.error in (ParseError.UNPARSEABLE, ParseError.UNKNOWN_WORD))
    valid = read_row(time_parser, row, row["text"])
    assume(valid.start is not None and valid.read_words)
    time_word = valid.read_words[pick % len(valid.read_words)]
    position = row["text"].find(time_word)
    assume(position >= 0)
    at = position + len(time_word) if after else position
    text = f"{row['text'][:at]} {word} {row['text'][at:]}"
    result = read_row(time_parser, row, text)
    assert result.start is None, (text, result.to_json())
    assert result.error is not None


def _dated(row: dict[str, Any]) -> tuple[int, int, int] | None:
    """(start, end, month) of the day number in a phrase with a month name in it, if any."""
    folded = plain(row["text"])
    names = "|".join(sorted(MONTHS, key=len, reverse=True))
    match = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th|º|o)?\s+(?:de\s+|of\s+)?({names})\b", folded)
    if match is None:
        match = re.search(rf"\b({names})\.?\s+(\d{{1,2}})(?!\d|:|\s*(?:h\b|am|pm))", folded)
        if match is None:
            return None
        return match.start(2), match.end(2), MONTHS[match.group(1)]
    return match.start(1), match.end(1), MONTHS[match.group(2)]


DATED = [(row, found) for row in VALID_ROWS if (found := _dated(row)) is not None]
DAYS_IN = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def test_the_dated_phrases_cover_the_three_languages() -> None:
    assert {row["lang"] for row, _ in DATED} == {"en", "pt", "es"}
    assert len(DATED) >= 20


@settings(max_examples=200, deadline=None)
@given(index=st.integers(min_value=0, max_value=len(DATED) - 1), extra=st.integers(1, 30))
def test_an_impossible_day_in_a_dated_phrase_is_invalid_date(
    time_parser: TimeParser, index: int, extra: int
) -> None:
    row, (start, end, month) = DATED[index]
    impossible = min(DAYS_IN[month] + extra, 99)
    if month == 2 and extra == 1:
        impossible = 30  # the 29th exists in leap years
    text = f"{row['text'][:start]}{impossible}{row['text'][end:]}"
    result = read_row(time_parser, row, text)
    assert result.start is None, (text, result.to_json())
    assert result.error is ParseError.INVALID_DATE, (text, result.to_json())


# ---------------------------------------------------------------- what each refusal says
def test_an_impossible_day_names_the_month_and_its_length(time_parser: TimeParser) -> None:
    september = read(time_parser, "Sept 31 at 10am")
    assert (september.error, september.detail) == (ParseError.INVALID_DATE, "September has 30 days")
    assert september.word == "Sept 31"
    assert september.invalid_day is not None and september.invalid_day.days == 30
    february = read(time_parser, "29 de fevereiro às 10h", locale="pt-BR")
    assert february.detail == "February 2027 has 28 days"
    leap = read(time_parser, "29 de fevereiro de 2028 às 10h", locale="pt-BR")
    assert leap.start is not None and leap.start.date().isoformat() == "2028-02-29"


def test_an_unknown_word_is_named_with_the_closest_known_word(time_parser: TimeParser) -> None:
    result = read(time_parser, "next thrusday 3pm")
    assert (result.error, result.word, result.suggestion) == (
        ParseError.UNKNOWN_WORD,
        "thrusday",
        "Thursday",
    )
    made_up = read(time_parser, "next zorpday 3pm")
    assert (made_up.word, made_up.suggestion) == ("zorpday", None)
    spanish = read(time_parser, "jeuves a las 10", locale="es-ES")
    assert spanish.suggestion == "jueves"


def test_two_times_are_a_conflict_offering_both(time_parser: TimeParser) -> None:
    result = read(time_parser, "tomorrow at 3pm or 4pm")
    assert result.error is ParseError.CONFLICT and result.start is None
    assert [a.hour for a in result.alternatives] == [15, 16]
    same = read(time_parser, "15:00 3pm")  # the same moment said twice is fine
    assert same.start is not None and same.start.hour == 15


def test_a_weekday_that_is_not_the_dates_offers_both(time_parser: TimeParser) -> None:
    result = read(time_parser, "Monday Dec 8 3pm")
    assert result.error is ParseError.WEEKDAY_MISMATCH and result.start is None
    assert [a.date().isoformat() for a in result.alternatives] == ["2026-12-08", "2026-12-07"]
    assert result.detail == "Tuesday December 8 is not a Monday"


def test_text_above_500_characters_is_refused_before_reading(time_parser: TimeParser) -> None:
    at_limit = "tomorrow 3pm".ljust(MAX_TEXT_LENGTH)
    assert read(time_parser, at_limit).start is not None
    refused = read(time_parser, at_limit + "x")
    assert refused.error is ParseError.TOO_LONG and refused.start is None
    assert read(time_parser, "9" * 100_000).error is ParseError.TOO_LONG


def test_read_words_are_the_words_that_counted(time_parser: TimeParser) -> None:
    result = read(time_parser, "thursday 3pm for 45 min please")
    assert result.read_words == ("thursday", "3pm", "for 45 min")


def test_describe_says_why(time_parser: TimeParser) -> None:
    line = describe(read(time_parser, "Sept 31 at 10am"), ZoneInfo(ZONE))
    assert line == "invalid_date: Sept 31 (September has 30 days)"
    line = describe(read(time_parser, "thrusday 3pm"), ZoneInfo(ZONE))
    assert line == "unknown_word: thrusday (did you mean Thursday?)"
    line = describe(read(time_parser, "tomorrow 3pm or 4pm"), ZoneInfo(ZONE))
    assert line == "conflict: Fri 4 Dec 15:00 or Fri 4 Dec 16:00"


def test_a_month_or_year_read_by_dateparser_is_never_a_start_at_midnight(
    time_parser: TimeParser,
) -> None:
    for text, day in (("10/2027", "2027-10-01"), ("em 2027 outubro", "2027-10-01")):
        result = read(time_parser, text)
        assert result.start is None, result.to_json()
        assert result.error is ParseError.DATE_ONLY and result.date is not None
        assert result.date.isoformat() == day


def test_a_spanish_number_after_an_hour_is_not_dropped_as_portuguese_filler(
    time_parser: TimeParser,
) -> None:
    # "seis dos de la tarde" is 18:02 in Duckling's corpus; "dos" was skipped as the Portuguese
    # "dos" and 18:00 came back. Refusing is fine; the wrong minute is not.
    result = read(time_parser, "seis dos de la tarde", locale="es-ES")
    assert result.start is None or result.start.minute == 2, result.to_json()


def test_a_year_outside_the_calendar_is_invalid_date_not_a_crash(time_parser: TimeParser) -> None:
    # These raised ValueError/OverflowError out of the engine (a stack trace, not a message).
    for text in ("march 0000", "0000", "dec 31 9999 11pm", "in 9999 years", "christmas 0000"):
        result = read(time_parser, text)
        assert result.error is ParseError.INVALID_DATE and result.start is None, text
