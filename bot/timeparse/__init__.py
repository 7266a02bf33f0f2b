"""The time engine: people's words in English, Portuguese and Spanish -> the start they meant.

Build one `TimeParser` at start-up with `warm_up()` and pass it in (`parse_when(..., parser=p)`);
without one, `parse_when` builds a fresh parser, which is correct but costs tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.timeparse.parser import DEFAULT_LANGUAGES, TimeParser
from bot.timeparse.result import ParseError, ParseResult

__all__ = ["ParseError", "ParseResult", "TimeParser", "parse_when", "warm_up"]


def parse_when(
    text: str,
    *,
    now: datetime,
    tz: str | ZoneInfo,
    locale: str | None = None,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    parser: TimeParser | None = None,
) -> ParseResult:
    """Read `text` as a meeting start in the person's zone `tz`, relative to `now` (aware)."""
    time_parser = parser if parser is not None else TimeParser(languages)
    return time_parser.parse(text, now=now, tz=tz, locale=locale, languages=languages)


def warm_up(languages: Sequence[str] = DEFAULT_LANGUAGES) -> TimeParser:
    """A parser with its one-off caches built: call at start-up (build_app), keep and pass it."""
    parser = TimeParser(languages)
    parser.warm_up()
    return parser
