"""Every hand-written booking phrase in tests/data/booking_phrases.jsonl reads as expected."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.timeparse import ParseError, TimeParser

CORPUS = Path(__file__).resolve().parents[1] / "data" / "booking_phrases.jsonl"
ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
]


def test_corpus_is_large_and_covers_three_languages() -> None:
    languages = {row["lang"] for row in ROWS}
    assert len(ROWS) >= 400
    assert languages == {"en", "pt", "es"}


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{i}-{row['lang']}-{row['category']}" for i, row in enumerate(ROWS)]
)
def test_booking_phrase(row: dict[str, Any], time_parser: TimeParser) -> None:
    result = time_parser.parse(
        row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"], locale=row["locale"]
    )
    summary = f"{row['text']!r}: got {result.to_json()}"
    if "expected_start" in row:
        assert result.error is None, summary
        assert result.start is not None
        assert result.start.isoformat() == row["expected_start"], summary
    else:
        assert result.error is ParseError(row["expected_error"]), summary
        assert result.start is None
        if "expected_date" in row:
            assert result.date is not None and result.date.isoformat() == row["expected_date"]
    if "expected_duration_minutes" in row:
        assert result.duration is not None, summary
        assert result.duration.total_seconds() == row["expected_duration_minutes"] * 60, summary
