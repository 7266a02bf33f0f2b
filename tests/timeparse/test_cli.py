"""`bookbot parse` through the two functions the CLI wiring calls (design.md §3)."""

from __future__ import annotations

import argparse
import io
import json

from bot.timeparse.cli import add_parse_arguments, run_parse

NOW = "2026-11-26T10:00:00-05:00"  # Thursday


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="bookbot parse")
    add_parse_arguments(parser)
    out = io.StringIO()
    code = run_parse(parser.parse_args(argv), io.StringIO(stdin), out)
    return code, out.getvalue()


def test_text_mode_prints_a_human_line() -> None:
    code, out = run(["thu 9am for 30 min", "--tz", "America/New_York", "--now", NOW])
    assert code == 0
    assert out == "Thu 3 Dec 2026 09:00 -05:00 (America/New_York) · 30 min\n"


def test_text_mode_prints_the_error_and_fails() -> None:
    code, out = run(["boa tarde", "--tz", "America/Sao_Paulo", "--now", NOW, "--locale", "pt-BR"])
    assert (code, out) == (1, "unparseable\n")


def test_json_mode_prints_the_contract_object() -> None:
    code, out = run(
        ["amanhã às 16h", "--tz", "America/Sao_Paulo", "--locale", "pt-BR", "--now", NOW, "--json"]
    )
    assert code == 0
    assert json.loads(out) == {
        "text": "amanhã às 16h",
        "start": "2026-11-27T16:00:00-03:00",
        "duration_minutes": None,
        "error": None,
        "date": None,
        "alternatives": [],
        "read": ["amanhã", "às 16h"],
    }


def test_jsonl_answers_every_line_in_order_and_never_crashes() -> None:
    lines = [
        json.dumps(
            {"text": "amanhã 10h", "tz": "America/Sao_Paulo", "locale": "pt-BR", "now": NOW}
        ),
        "this is not json",
        json.dumps({"text": "3pm", "tz": "Mars/Olympus_Mons", "now": NOW}),
        json.dumps({"text": "friday", "tz": "America/New_York", "now": NOW}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "3pm", "tz": "UTC", "now": "yesterday-ish"}),
        "",
        json.dumps({"text": "", "tz": "UTC", "now": NOW}),
    ]
    code, out = run(["--jsonl"], "\n".join(lines) + "\n")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert len(answers) == len(lines)
    assert answers[0]["start"] == "2026-11-27T10:00:00-03:00"
    assert [answer["error"] for answer in answers] == [
        None,
        "unparseable",
        "unparseable",
        "date_only",
        "unparseable",
        "unparseable",
        "unparseable",
        "empty",
    ]
    assert answers[3]["date"] == "2026-11-27"
    assert "detail" in answers[1] and "detail" in answers[2] and "detail" not in answers[3]
    assert all(
        set(answer) >= {"text", "start", "duration_minutes", "error", "date", "alternatives"}
        for answer in answers
    )


def test_without_text_or_jsonl_it_explains_and_fails() -> None:
    code, out = run([])
    assert code == 2 and "TEXT" in out


def test_a_bad_zone_in_text_mode_is_reported_not_raised() -> None:
    code, out = run(["3pm", "--tz", "Nowhere/City", "--now", NOW])
    assert code == 2 and "Nowhere/City" in out


def test_jsonl_gives_the_strict_errors_with_their_word_and_readings() -> None:
    texts = ["Sept 31 at 10am", "thrusday 3pm", "tomorrow 3pm or 4pm", "14pm", "x" * 501]
    lines = [json.dumps({"text": t, "tz": "America/New_York", "now": NOW}) for t in texts]
    code, out = run(["--jsonl"], "\n".join(lines) + "\n")
    invalid_date, unknown, conflict, invalid_time, too_long = map(json.loads, out.splitlines())
    assert code == 0
    assert (invalid_date["error"], invalid_date["word"]) == ("invalid_date", "Sept 31")
    assert invalid_date["detail"] == "September has 30 days" and invalid_date["start"] is None
    assert (unknown["error"], unknown["word"], unknown["suggestion"]) == (
        "unknown_word",
        "thrusday",
        "Thursday",
    )
    assert conflict["error"] == "conflict" and conflict["start"] is None
    assert conflict["alternatives"] == ["2026-11-27T15:00:00-05:00", "2026-11-27T16:00:00-05:00"]
    assert (invalid_time["error"], invalid_time["word"]) == ("invalid_time", "14pm")
    assert too_long["error"] == "too_long" and too_long["start"] is None
