"""GET /metrics moves when people book; JSON log lines carry one request id per Slack request."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.devtools.sandbox import Fault
from bot.logging_setup import log_handler
from bot.metrics import Metrics
from tests.e2e.conftest import BOT_TOKEN, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by name and sorted labels."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def scrape(booker: Booker) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = await booker.http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return samples(answer.text)


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_a_booking_moves_the_counters(booker: Booker) -> None:
    before = await scrape(booker)
    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    # a double click: the same form twice at once books once
    await asyncio.gather(
        booker.slack.view_submission(view, GUEST), booker.slack.view_submission(view, GUEST)
    )
    await booker.posted()
    for _ in range(100):
        after = await scrape(booker)
        if value(after, "bookbot_bookings_total", outcome="duplicate") > value(
            before, "bookbot_bookings_total", outcome="duplicate"
        ):
            break
        await asyncio.sleep(0.1)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("bookbot_bookings_total", outcome="booked") == 1
    assert moved("bookbot_bookings_total", outcome="duplicate") == 1
    assert moved("bookbot_bookings_total", outcome="failed") == 0
    assert moved("bookbot_hubspot_requests_total", operation="book", status="200") == 1
    assert booker.sandbox.book_calls == 1
    assert moved("bookbot_hubspot_requests_total", operation="availability", status="200") >= 1
    assert moved("bookbot_slack_ack_seconds_count", kind="command") == 1
    assert moved("bookbot_slack_ack_seconds_count", kind="view_submission") == 2
    # every HubSpot request passed the limiter once
    hubspot_calls = sum(
        v - value(before, name, **dict(labels))
        for (name, labels), v in after.items()
        if name == "bookbot_hubspot_requests_total"
    )
    assert moved("bookbot_rate_limiter_wait_seconds_count") == hubspot_calls


async def test_a_refused_booking_is_counted_as_failed(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 1pm ana@acme.com")
    before = await scrape(booker)
    booker.sandbox.inject(Fault(operation="book", kind="status", status=400))
    ack = await booker.submit(view, GUEST)
    assert ack.get("response_action") == "update", ack
    await booker.result()
    after = await scrape(booker)
    assert (
        value(after, "bookbot_bookings_total", outcome="failed")
        - value(before, "bookbot_bookings_total", outcome="failed")
        == 1
    )
    assert value(after, "bookbot_hubspot_requests_total", operation="book", status="400") == 1


def test_two_processes_count_into_one_scrape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        "from bot.metrics import Metrics\n"
        "m = Metrics()\n"
        "m.booking_outcome('booked')\n"
        "m.hubspot_request('book', '200')\n"
        "m.slack_acked('command', 0.02)\n"
    )
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    found = samples(Metrics().render().decode())
    assert value(found, "bookbot_bookings_total", outcome="booked") == 2
    assert value(found, "bookbot_hubspot_requests_total", operation="book", status="200") == 2
    assert value(found, "bookbot_slack_ack_seconds_count", kind="command") == 2


async def test_json_logs_share_one_request_id_per_slack_request_and_hold_no_secret(
    booker: Booker,
) -> None:
    stream = io.StringIO()
    handler = log_handler(json_lines=True, stream=stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
        opened = len(stream.getvalue().splitlines())
        await booker.submit(view, GUEST)
        await booker.posted()
        await asyncio.sleep(0.1)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is JSON
    booking_lines = [e for e in entries[opened:] if e["logger"] in ("bot.booking", "bot.hubspot")]
    # the booking runs after the ack, and its lines still carry the submission's request id
    assert any("booking demo" in e["message"] for e in booking_lines)
    assert any("/meeting-links/book " in e["message"] for e in booking_lines)
    ids = {e.get("request_id") for e in booking_lines}
    assert len(ids) == 1 and None not in ids
    open_ids = {e.get("request_id") for e in entries[:opened] if e["logger"] == "bot.hubspot"}
    assert open_ids and ids.isdisjoint(open_ids)  # the /book request had its own id
    text = stream.getvalue()
    for secret in (BOT_TOKEN, booker.secret, "ana@acme.com"):
        assert secret not in text
