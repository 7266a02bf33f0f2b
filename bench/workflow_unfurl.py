"""How long the Workflow Builder step and a link's unfurl take, end to end, in one process.

For each of --runs executions: Slack's `function_executed` (a free slot of "demo" as its start
time, a new guest) is POSTed, signed, into the real Bolt app; the figures are the HTTP ack and
the time until the Slack double receives functions.completeSuccess. Then --runs `link_shared`
events for the demo page's link: the time until chat.unfurl arrives, the first one cold (page
list, details and free times fetched from HubSpot) and the others from Booker's caches.

Everything runs in this process (app over httpx's ASGI transport, the Slack double over
127.0.0.1, the HubSpot sandbox in-process with --latency-ms added to each HubSpot call), so the
figures include the double's own Block Kit checks. Usage:

    python bench/workflow_unfurl.py [--runs 40] [--latency-ms 0]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from bot.config import Settings
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import build_services
from bot.workflow_step import CALLBACK_ID

TOKEN = "xoxb-bench-token"
PERSON = "U0PERSON"


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms"


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the expected Slack call never came")
        await asyncio.sleep(0.001)


async def main(runs: int, latency_ms: int) -> None:
    double = SlackDouble(tokens=[TOKEN])
    await double.start()
    double.add_user(PERSON, tz="America/New_York", locale="en-US", name="Dana")
    secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="bookbot-bench-") as workdir:
        settings = Settings(
            SLACK_BOT_TOKEN=SecretStr(TOKEN),
            SLACK_SIGNING_SECRET=SecretStr(secret),
            SLACK_API_URL=double.base_url,
            DATABASE_URL=f"sqlite:///{Path(workdir) / 'bench.db'}",
            HUBSPOT_BASE_URL="http://hubspot.sandbox.test",
            BOOKBOT_REMINDER_MINUTES=0,
            HUBSPOT_RATE_LIMIT=100_000,
        )
        sandbox = create_sandbox_app(
            SandboxConfig(latency_seconds=latency_ms / 1000, rate_limit=100_000)
        )
        services = await build_services(
            settings, hubspot_transport=httpx.ASGITransport(app=sandbox)
        )
        app = asgi_app_for(settings, services)
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://booker.local"
            ) as http:
                slack = SlackRequests(http, secret)
                now = services.clock()
                slots = []
                for month in range(3):  # enough free half hours for --runs bookings
                    slots += await services.booking.free_slots(
                        "demo",
                        tz="UTC",
                        duration_minutes=30,
                        around=now.replace(day=1) + timedelta(days=32 * month),
                    )
                # One booking each, none overlapping the one before (a 30-minute meeting takes
                # the 15-minute starts inside it).
                chosen = []
                for slot in slots:
                    if not chosen or slot.start >= chosen[-1].end:
                        chosen.append(slot)
                acks: list[float] = []
                completions: list[float] = []
                for run, slot in enumerate(chosen[:runs]):
                    body = double.functions.run_function(
                        CALLBACK_ID,
                        {
                            "meeting_page": "demo",
                            "start_time": int(slot.start.timestamp()),
                            "guest_email": f"guest{run}@bench.example",
                            "guest_first_name": "Guest",
                            "guest_last_name": str(run),
                            "booked_by": PERSON,
                        },
                    )
                    execution = double.functions.executions[body["event"]["function_execution_id"]]
                    started = time.perf_counter()
                    answer = await slack.send_event_body(body)
                    acks.append(time.perf_counter() - started)
                    assert answer.status_code == 200
                    await until(lambda: execution.state != "running")  # noqa: B023
                    completions.append(time.perf_counter() - started)
                    assert execution.state == "completed", execution.error
                print(f"workflow step, {len(acks)} executions (HubSpot +{latency_ms} ms a call)")
                print(f"  function_executed ack     {ms(acks)}")
                print(f"  until completeSuccess     {ms(completions)}")
                unfurls: list[float] = []
                for _ in range(runs):
                    body = double.links.share_links(["https://meetings.hubspot.com/demo"])
                    before = len(double.links.unfurls)
                    started = time.perf_counter()
                    await slack.send_event_body(body)
                    await until(lambda: len(double.links.unfurls) > before)  # noqa: B023
                    unfurls.append(time.perf_counter() - started)
                print(f"unfurl, {len(unfurls)} pasted links")
                print(f"  first (cold caches)       {unfurls[0] * 1000:7.1f} ms")
                print(f"  then (warm)               {ms(unfurls[1:])}")
        finally:
            await services.aclose()
            await double.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--latency-ms", type=int, default=0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.latency_ms))
