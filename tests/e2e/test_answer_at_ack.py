"""Slack gets its answer at the ack: what a listener does after `ack()` (HubSpot, the Web API,
the booking) never holds the answer back, so a slow HubSpot cannot push an ack past 3 s."""

from __future__ import annotations

from pathlib import Path

from bot.devtools.sandbox import SandboxConfig
from tests.conftest import NOW, start_booker

# Every HubSpot answer takes this long; the acks below must not wait for any of them.
HUBSPOT_SECONDS = 1.5


async def test_the_book_ack_comes_before_hubspot_answers(tmp_path: Path) -> None:
    sandbox = SandboxConfig(clock=lambda: NOW, latency_seconds=HUBSPOT_SECONDS)
    async with start_booker(tmp_path, sandbox=sandbox) as booker:
        answer = await booker.slack.slash_command("demo tomorrow 10am ana@acme.com")
        assert answer.status_code == 200
        # Acked: the modal drawn from HubSpot's answers is still to come.
        assert booker.double.calls_to("views.update") == []
        await booker.until(lambda: bool(booker.double.calls_to("views.update")), seconds=15)


async def test_the_submission_ack_comes_before_the_booking(tmp_path: Path) -> None:
    async with start_booker(tmp_path, sandbox=SandboxConfig(clock=lambda: NOW)) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.sandbox.config.latency_seconds = HUBSPOT_SECONDS
        ack = await booker.submit(view, {"guest_first_name": "Ana", "guest_last_name": "Souza"})
        assert ack["response_action"] == "update"  # "Booking…"
        assert booker.sandbox.book_calls == 0 and booker.double.calls_to("chat.postMessage") == []
        await booker.posted(1)
        assert booker.sandbox.book_calls == 1
