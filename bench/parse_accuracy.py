"""Time-engine accuracy per language and per corpus, with silent wrong answers (prints only).

    python bench/parse_accuracy.py [--duckling PATH] [--show N]

A silent wrong answer is a start returned that is not the expected one: the worst outcome (it
books a time nobody said). Goals (issue 11): adversarial corpus >= 97 % per language and 0
silent wrong answers; booking corpus 100 %; Duckling not below 70.6 / 93.8 / 85.9 % (en/pt/es,
"reading", measured before the strict reading).

Our corpora (tests/data/booking_phrases.jsonl, tests/data/adversarial_phrases.jsonl) are
scored exactly as their tests do. Duckling's
corpus is scored at each row's grain (a day-grain row matches when the date matches, an
hour-grain row when the hour matches, ...). Two figures for Duckling: "reading" lets past
times through (Duckling answers "yesterday" with a date; our product answers `past`), and
"product" scores what `bookbot parse` really returns.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.timeparse import ParseResult, TimeParser, warm_up

REPO = Path(__file__).resolve().parents[1]
OWN_CORPUS = REPO / "tests" / "data" / "booking_phrases.jsonl"
ADVERSARIAL_CORPUS = REPO / "tests" / "data" / "adversarial_phrases.jsonl"
DUCKLING_CORPUS = REPO / "tests" / "data" / "duckling-time.jsonl"
LOCALE_OF = {"en": "en-US", "pt": "pt-BR", "es": "es-ES"}


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def own_row_passes(row: dict[str, Any], result: ParseResult) -> bool:
    ok = _start_or_error_passes(row, result)
    if "expected_alternatives" in row:
        offered = [moment.isoformat() for moment in result.alternatives]
        ok = ok and offered == row["expected_alternatives"]
    if "expected_word" in row:
        ok = ok and result.word == row["expected_word"]
    if "expected_suggestion" in row:
        ok = ok and result.suggestion == row["expected_suggestion"]
    return ok


def silent_wrong(row: dict[str, Any], result: ParseResult) -> bool:
    """A start was returned and it is not the one expected (none was, or another was)."""
    return result.start is not None and result.start.isoformat() != row.get("expected_start")


def _start_or_error_passes(row: dict[str, Any], result: ParseResult) -> bool:
    if "expected_start" in row:
        ok = result.error is None and result.start is not None
        ok = ok and result.start is not None and result.start.isoformat() == row["expected_start"]
    else:
        ok = result.error is not None and result.error.value == row["expected_error"]
        if "expected_date" in row:
            ok = ok and result.date is not None and result.date.isoformat() == row["expected_date"]
    if "expected_duration_minutes" in row:
        ok = ok and result.duration is not None
        ok = (
            ok
            and result.duration is not None
            and (result.duration.total_seconds() == row["expected_duration_minutes"] * 60)
        )
    return ok


def grain_key(moment: datetime | date, grain: str) -> tuple[int, ...]:
    if grain == "week":
        iso = moment.isocalendar()
        return (iso.year, iso.week)
    if grain == "quarter":
        return (moment.year, (moment.month - 1) // 3)
    if grain == "year":
        return (moment.year,)
    if grain == "month":
        return (moment.year, moment.month)
    if grain == "day" or not isinstance(moment, datetime):
        return (moment.year, moment.month, moment.day)
    if grain == "hour":
        return (moment.year, moment.month, moment.day, moment.hour)
    if grain == "minute":
        return (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def duckling_row_passes(row: dict[str, Any], result: ParseResult) -> bool:
    expected = datetime.fromisoformat(row["expected"])
    grain = row["grain"]
    if result.start is not None:
        return grain_key(result.start.astimezone(expected.tzinfo), grain) == grain_key(
            expected, grain
        )
    if result.date is not None and grain in ("day", "week", "month", "quarter", "year"):
        return grain_key(result.date, grain) == grain_key(expected.date(), grain)
    return False


def percent(passed: int, total: int) -> str:
    return f"{100 * passed / total:5.1f} % ({passed}/{total})" if total else "  n/a"


def score_own(parser: TimeParser, path: Path, show: int) -> None:
    rows = load(path)
    totals: Counter[str] = Counter()
    passes: Counter[str] = Counter()
    silent: Counter[str] = Counter()
    failures: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        result = parser.parse(
            row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"], locale=row["locale"]
        )
        totals[row["lang"]] += 1
        silent[row["lang"]] += silent_wrong(row, result)
        if own_row_passes(row, result):
            passes[row["lang"]] += 1
        else:
            failures[row["category"]].append(f"{row['text'][:80]!r} -> {result.to_json()}")
    print(f"Corpus {path.relative_to(REPO)} ({len(rows)} rows)")
    for lang in ("en", "pt", "es"):
        print(f"  {lang}: {percent(passes[lang], totals[lang])}   silent wrong {silent[lang]}")
    print(
        f"  all: {percent(sum(passes.values()), len(rows))}   silent wrong {sum(silent.values())}"
    )
    for category, items in sorted(failures.items()):
        print(f"  failures in {category}: {len(items)}")
        for item in items[:show]:
            print(f"    {item}")


def score_duckling(parser: TimeParser, path: Path, show: int) -> None:
    rows = load(path)
    totals: Counter[str] = Counter()
    reading: Counter[str] = Counter()
    product: Counter[str] = Counter()
    silent: Counter[str] = Counter()
    instant_totals: Counter[str] = Counter()
    instant_reading: Counter[str] = Counter()
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        lang = row["lang"]
        now = datetime.fromisoformat(row["now"])
        common = {"now": now, "tz": row["tz"], "locale": LOCALE_OF[lang]}
        loose = parser.parse(row["text"], allow_past=True, **common)
        strict = parser.parse(row["text"], **common)
        totals[lang] += 1
        is_instant = row["kind"] == "instant"
        instant_totals[lang] += is_instant
        if duckling_row_passes(row, loose):
            reading[lang] += 1
            instant_reading[lang] += is_instant
        else:
            failures[(lang, f"{row['kind']}/{row['grain']}")].append(
                f"{row['text']!r} expected {row['expected']} got "
                f"{loose.start.isoformat() if loose.start else (loose.error, loose.date)}"
            )
        product[lang] += duckling_row_passes(row, strict)
        silent[lang] += strict.start is not None and not duckling_row_passes(row, strict)
    print(f"\nDuckling corpus ({path}, {len(rows)} rows; now {rows[0]['now']})")
    print("  reading = past allowed; product = what bookbot parse returns (past -> error)")
    for lang in ("en", "pt", "es"):
        print(
            f"  {lang}: reading {percent(reading[lang], totals[lang])}   "
            f"product {percent(product[lang], totals[lang])}   "
            f"non-holiday reading {percent(instant_reading[lang], instant_totals[lang])}   "
            f"silent wrong {silent[lang]}"
        )
    print("  failures by language and kind/grain:")
    for (lang, category), items in sorted(failures.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        print(f"    {lang} {category}: {len(items)}")
        for item in items[:show]:
            print(f"      {item}")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--duckling", type=Path, default=DUCKLING_CORPUS)
    arguments.add_argument("--show", type=int, default=3, help="failures to print per category")
    options = arguments.parse_args()
    parser = warm_up()
    score_own(parser, OWN_CORPUS, options.show)
    print()
    score_own(parser, ADVERSARIAL_CORPUS, options.show)
    if options.duckling.exists():
        score_duckling(parser, options.duckling, options.show)
    else:
        print(f"\nDuckling corpus not found at {options.duckling} (use --duckling PATH)")


if __name__ == "__main__":
    main()
