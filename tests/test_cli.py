"""The `bookbot` command as an operator runs it: real processes, real output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.devtools.slack_double import SlackDouble

BOOKBOT = [sys.executable, "-m", "bot"]


def run(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "DATABASE_URL"))
    }
    return subprocess.run(
        BOOKBOT + args,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean | (env or {}),
        input=stdin,
        cwd=cwd,
    )


def test_demo_books_offline_and_prints_the_card_with_a_join_url(tmp_path: Path) -> None:
    done = run(["demo"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Booked ✓" in done.stdout
    assert "[Join] https://" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []  # the demo leaves nothing behind
    # The card as a person reads it: the time in words, no Slack markup.
    card = [line for line in done.stdout.splitlines() if line.startswith("   │ ")]
    assert any(re.search(r"│ \w{3}, \w{3} \d+ · \d+:\d\d [AP]M–\d+:\d\d [AP]M", x) for x in card)
    assert "<!date" not in done.stdout and "<@" not in done.stdout
    assert "Sandbox meeting" in done.stdout  # the demo books on the stand-in, and says so
    # ...and it ends with the next step: the Slack app from manifest.yml.
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("Next: create the Slack app from manifest.yml"), last


def test_services_never_fall_back_to_the_sandbox(tmp_path: Path) -> None:
    import asyncio

    import pytest

    from bot.config import Settings
    from bot.services import build_services

    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-1", DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}"
    )
    with pytest.raises(ValueError, match="HUBSPOT_ACCESS_TOKEN is not set"):
        asyncio.run(build_services(settings))


def test_demo_on_a_day_the_page_is_closed_takes_the_nearest_free_slot(tmp_path: Path) -> None:
    # The demo runs on today's date, so "tomorrow 10am" can be a Saturday: it must still book.
    done = run(["demo", "--text", "demo next saturday 10am ana@acme.com"], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not free" in done.stdout
    assert "clicks the nearest free slot" in done.stdout
    assert "Booked ✓" in done.stdout


def test_run_without_tokens_says_what_to_set_without_a_traceback(tmp_path: Path) -> None:
    done = run(["run", "--port", "0"], cwd=tmp_path)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in done.stderr
    assert "SLACK_SIGNING_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    done = run(["check"], env={"BOOKBOT_LANGUAGES": "en,fr"}, cwd=tmp_path)
    assert done.returncode == 2
    assert "BOOKBOT_LANGUAGES" in done.stderr and "fr" in done.stderr
    assert "Traceback" not in done.stderr


async def test_check_reaches_slack_and_the_sandbox_and_masks_secrets(tmp_path: Path) -> None:
    token = "xoxb-check-secret-value"
    async with SlackDouble(tokens=[token]) as double:
        env = {
            "SLACK_BOT_TOKEN": token,
            "SLACK_SIGNING_SECRET": "s3cr3t-signing",
            "SLACK_API_URL": double.base_url,
        }
        import asyncio

        done = await asyncio.to_thread(run, ["check", "--sandbox"], env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Slack auth.test       ok" in done.stdout
    assert "meeting pages (sandbox)" in done.stdout
    assert token not in done.stdout + done.stderr
    assert "s3cr3t-signing" not in done.stdout + done.stderr


def test_check_fails_with_exit_1_and_says_why(tmp_path: Path) -> None:
    done = run(["check"], cwd=tmp_path)
    assert done.returncode == 1
    assert "SLACK_BOT_TOKEN is not set" in done.stdout


def test_parse_jsonl_answers_each_line_in_order() -> None:
    lines = [
        {
            "text": "tomorrow 4pm",
            "tz": "America/New_York",
            "locale": "en-US",
            "now": "2026-12-02T09:00:00-05:00",
        },
        "not json",
        {
            "text": "amanhã às 16h",
            "tz": "America/Sao_Paulo",
            "locale": "pt-BR",
            "now": "2026-12-02T09:00:00-03:00",
        },
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    done = run(["parse", "--jsonl"], stdin=stdin + "\n")
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == 3
    assert answers[0]["start"] == "2026-12-03T16:00:00-05:00"
    assert answers[1]["error"] is not None and answers[1]["start"] is None
    assert answers[2]["start"] == "2026-12-03T16:00:00-03:00"
