"""`bookbot parse`: the time engine from a shell (design.md §3). Wired into bot/cli.py elsewhere."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, tzinfo
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.timeparse.parser import DEFAULT_LANGUAGES, TimeParser
from bot.timeparse.result import CHOICE_ERRORS, ParseError, ParseResult

DEFAULT_LOCALE = "en-US"


def add_parse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", default=None, help="what the person typed")
    parser.add_argument(
        "--tz", default=None, help="the person's IANA zone (default: this machine's)"
    )
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="Slack locale, e.g. pt-BR")
    parser.add_argument("--now", default=None, help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--json", action="store_true", help="print the result object as JSON")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="read one JSON object a line on stdin (text, tz, locale, now); write one a line",
    )
    parser.add_argument(
        "--languages",
        default=",".join(DEFAULT_LANGUAGES),
        help="comma-separated languages after the locale's (default en,pt,es)",
    )


def run_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    languages = tuple(part.strip() for part in args.languages.split(",") if part.strip())
    time_parser = TimeParser(languages)
    default_zone_name = args.tz or _machine_zone_name()
    if args.jsonl:
        time_parser.warm_up()
        for line in stdin:
            stdout.write(json.dumps(_parse_line(time_parser, line, default_zone_name, args)))
            stdout.write("\n")
            stdout.flush()
        return 0
    if args.text is None:
        stdout.write("bookbot parse: give the TEXT to read, or --jsonl to read lines on stdin\n")
        return 2
    try:
        zone = ZoneInfo(default_zone_name)
        now = _reference_time(args.now, zone)
    except (ZoneInfoNotFoundError, ValueError) as problem:
        stdout.write(f"bookbot parse: {problem}\n")
        return 2
    result = time_parser.parse(args.text, now=now, tz=zone, locale=args.locale, languages=languages)
    if args.json:
        stdout.write(json.dumps(result.to_json()) + "\n")
    else:
        stdout.write(describe(result, zone) + "\n")
    return 0 if result.error is None else 1


def describe(result: ParseResult, zone: ZoneInfo) -> str:
    """The human line: "Thu 3 Dec 2026 09:00 -05:00 (America/New_York) · 30 min"."""
    if result.start is None:
        if result.error is ParseError.DATE_ONLY and result.date:
            return f"date_only: {result.date:%a %-d %b %Y} (no time given)"
        if result.error is ParseError.PAST and result.date:
            return f"past: {result.date:%a %-d %b %Y} has gone by"
        if result.error in CHOICE_ERRORS:
            choices = " or ".join(f"{alt:%a %-d %b %H:%M}" for alt in result.alternatives)
            return f"{result.error.value}: {choices or result.detail}"
        if result.error is ParseError.UNKNOWN_WORD and result.word:
            hint = f" (did you mean {result.suggestion}?)" if result.suggestion else ""
            return f"unknown_word: {result.word}{hint}"
        if result.error is not None and result.word and result.detail:
            return f"{result.error.value}: {result.word} ({result.detail})"
        if result.error is ParseError.TOO_LONG:
            return f"too_long: {result.detail}"
        return result.error.value if result.error else "unparseable"
    offset = result.start.strftime("%z")
    line = f"{result.start:%a %-d %b %Y %H:%M} {offset[:3]}:{offset[3:]} ({zone.key})"
    if result.duration is not None:
        line += f" · {int(result.duration.total_seconds() // 60)} min"
    if result.alternatives:
        line += " · or " + ", ".join(f"{alt:%a %-d %b %H:%M}" for alt in result.alternatives)
    return line


def _parse_line(
    time_parser: TimeParser, line: str, default_zone_name: str, args: argparse.Namespace
) -> dict[str, Any]:
    """One input line -> one output object; a malformed line gets "unparseable" and a detail."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return _line_error(None, "the line is not JSON")
    if not isinstance(item, dict):
        return _line_error(None, "the line is not a JSON object")
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        return _line_error(None, "text must be a string")
    try:
        zone = ZoneInfo(str(item.get("tz") or default_zone_name))
    except (ZoneInfoNotFoundError, ValueError):
        return _line_error(text, f"unknown time zone {item.get('tz')!r}")
    try:
        now = _reference_time(item.get("now") or args.now, zone)
    except (TypeError, ValueError):
        return _line_error(text, f"now is not an ISO 8601 time: {item.get('now')!r}")
    locale = item.get("locale") or args.locale
    if not isinstance(locale, str):
        return _line_error(text, "locale must be a string")
    result = time_parser.parse(text or "", now=now, tz=zone, locale=locale)
    return result.to_json()


def _line_error(text: str | None, detail: str) -> dict[str, Any]:
    return {
        "text": text,
        "start": None,
        "duration_minutes": None,
        "error": ParseError.UNPARSEABLE.value,
        "date": None,
        "alternatives": [],
        "detail": detail,
    }


def _reference_time(value: object, zone: tzinfo) -> datetime:
    if value is None:
        return datetime.now(UTC).astimezone(zone)
    if not isinstance(value, str):
        raise TypeError("now must be a string")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _machine_zone_name() -> str:
    local = datetime.now().astimezone().tzinfo
    key = getattr(local, "key", None)
    if isinstance(key, str):
        return key
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            name = handle.read().strip()
        ZoneInfo(name)
        return name
    except (OSError, ZoneInfoNotFoundError, ValueError):
        return "UTC"
