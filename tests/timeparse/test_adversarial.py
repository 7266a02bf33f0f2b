"""The adversarial corpus (tests/data/adversarial_phrases.jsonl, issue 11): phrases whose words
must not give the time they seem to, and the valid phrases beside them.

Two promises: never a silent wrong answer (a start returned that is not the expected one), in
any row; and at least 97 % of each language's rows read exactly as expected.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.timeparse import ParseResult, TimeParser

CORPUS = Path(__file__).resolve().parents[1] / "data" / "adversarial_phrases.jsonl"
ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
]
REFUSAL_CLASSES = ("invalid_date", "invalid_time", "unknown_word", "conflict", "weekday_mismatch")


def read(time_parser: TimeParser, row: dict[str, Any]) -> ParseResult:
    return time_parser.parse(
        row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"], locale=row["locale"]
    )


def row_passes(row: dict[str, Any], result: ParseResult) -> bool:
    if "expected_start" in row:
        ok = result.error is None and result.start is not None
        ok = ok and result.start is not None and result.start.isoformat() == row["expected_start"]
    else:
        ok = result.start is None and result.error is not None
        ok = ok and result.error is not None and result.error.value == row["expected_error"]
        if "expected_date" in row:
            ok = ok and result.date is not None and result.date.isoformat() == row["expected_date"]
    if "expected_duration_minutes" in row:
        minutes = result.duration.total_seconds() / 60 if result.duration else None
        ok = ok and minutes == row["expected_duration_minutes"]
    if "expected_alternatives" in row:
        offered = [moment.isoformat() for moment in result.alternatives]
        ok = ok and offered == row["expected_alternatives"]
    if "expected_word" in row:
        ok = ok and result.word == row["expected_word"]
    if "expected_suggestion" in row:
        ok = ok and result.suggestion == row["expected_suggestion"]
    return ok


def is_silent_wrong(row: dict[str, Any], result: ParseResult) -> bool:
    return result.start is not None and result.start.isoformat() != row.get("expected_start")


def test_corpus_has_every_class_in_every_language_at_several_moments() -> None:
    assert len(ROWS) >= 300
    for language in ("en", "pt", "es"):
        rows = [row for row in ROWS if row["lang"] == language]
        for category in REFUSAL_CLASSES:
            moments = {(row["now"], row["tz"]) for row in rows if row["category"] == category}
            assert len(moments) >= 2, (language, category, moments)
    assert {row["category"] for row in ROWS} >= {*REFUSAL_CLASSES, "digits", "too_long", "valid"}


def test_no_silent_wrong_answer(time_parser: TimeParser) -> None:
    silent = []
    for row in ROWS:
        result = read(time_parser, row)
        if is_silent_wrong(row, result):
            silent.append(
                f"{row['text']!r} gave {result.start} (expected {row.get('expected_start')})"
            )
    assert silent == []


def test_each_language_reads_at_least_97_percent(time_parser: TimeParser) -> None:
    totals: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    failures: list[str] = []
    for row in ROWS:
        result = read(time_parser, row)
        totals[row["lang"]] += 1
        if row_passes(row, result):
            passed[row["lang"]] += 1
        else:
            failures.append(f"{row['text']!r} -> {result.to_json()}")
    for language in ("en", "pt", "es"):
        assert passed[language] / totals[language] >= 0.97, (language, failures)


@pytest.mark.parametrize(
    "row",
    [row for row in ROWS if row["category"] in REFUSAL_CLASSES],
    ids=lambda row: f"{row['lang']}-{row['category']}-{row['text'][:40]}",
)
def test_every_refusal_row_is_refused_with_its_reason(
    row: dict[str, Any], time_parser: TimeParser
) -> None:
    result = read(time_parser, row)
    assert result.start is None, result.to_json()
    assert result.error is not None and result.error.value == row["expected_error"], (
        result.to_json()
    )
    assert row_passes(row, result), result.to_json()
