"""`bookbot run --workers 2`: several HTTP workers on one port behind one Slack app; GET /metrics,
answered by any of them, adds up what every worker saw."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from tests.scale.conftest import REDIS_URL, free_port

BOT_TOKEN = "xoxb-test-token-workers"


def _acks(text: str, kind: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "bookbot_slack_ack_seconds_count" and sample.labels == {"kind": kind}:
                return sample.value
    return 0.0


async def test_two_workers_serve_slack_and_one_scrape_counts_both(
    tmp_path: Path, redis_prefix: str
) -> None:
    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    secret = secrets.token_hex(16)
    port = free_port()
    env = os.environ | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": double.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.db'}",
        "REDIS_URL": REDIS_URL,
        "BOOKBOT_REDIS_PREFIX": redis_prefix,
        "BOOKBOT_LOG_LEVEL": "WARNING",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--sandbox",
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            for _ in range(600):
                assert process.poll() is None, process.stdout.read().decode()  # type: ignore[union-attr]
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).json().get("ok"):
                        break
                await asyncio.sleep(0.1)
            slack = SlackRequests(http, secret, user_id="U0PERSON", channel_id="C0GENERAL")
            view = {
                "id": "V0WORKERS",
                "hash": "h",
                "callback_id": "book_meeting",
                "private_metadata": "",
                "blocks": [],
            }
            answers = await asyncio.gather(
                *(slack.block_suggestion(view, "meeting_page", "de") for _ in range(8))
            )
            for answer in answers:
                assert answer.status_code == 200
                labels = [option["text"]["text"] for option in answer.json()["options"]]
                assert any("Demo" in label or "demo" in label for label in labels), labels
            # whichever worker answers the scrape, it reports all eight acks
            for _ in range(4):
                scrape = await http.get("/metrics")
                assert scrape.status_code == 200
                assert _acks(scrape.text, "block_suggestion") == 8
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        await double.stop()
    assert b"Traceback" not in output, output.decode()
