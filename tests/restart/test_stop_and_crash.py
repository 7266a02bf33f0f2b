"""A deploy (SIGTERM) or a crash (SIGKILL) while HubSpot is booking: the booking is never left
`pending`, unannounced or without its card, and HubSpot is never asked to book it twice."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Catalog
from tests.restart.conftest import (
    CHANNEL,
    GRACE_SECONDS,
    PERSON,
    Rig,
    rig,
)

# Real processes killed and restarted: slow, and kept out of the fresh-clone test's quick run,
# where a second suite on the same two cores made the SIGKILL timing flaky.
pytestmark = pytest.mark.slow

T = Catalog.load().for_locale("en-US")


def text_of(item: dict[str, Any]) -> str:
    title = (item.get("title") or {}).get("text", "")
    return f"{title}\n{item.get('text', '')}\n{item.get('blocks', [])}"


def button(item: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in item.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button in {item}")


def title(rig: Rig, view_id: str) -> str:
    return str(rig.view(view_id)["title"]["text"])


async def _drained_on_sigterm(rig: Rig, *args: str) -> float:
    process = await rig.start("booker", *args)
    view = await rig.booking_in_flight()
    stopped = time.monotonic()
    process.process.send_signal(signal.SIGTERM)
    assert await process.exit_code(GRACE_SECONDS + 5) == 0
    drain = time.monotonic() - stopped
    # Nothing was left to a next start: booked, the modal says so, the card is in the channel.
    assert await rig.statuses() == ["booked"]
    assert title(rig, view["id"]) == T.t("result.title")
    [card] = rig.posted()
    assert button(card, "join_meeting")["url"].startswith("https://")
    assert rig.sandbox.book_calls == 1
    assert "Traceback" not in process.log()
    return drain


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_sigterm_mid_booking_finishes_it_and_exits_0_within_the_grace(
    tmp_path: Path, mode: str, ledger: str
) -> None:
    async with rig(tmp_path, mode, ledger) as running:
        drain = await _drained_on_sigterm(running)
        assert drain < GRACE_SECONDS
        print(f"\n[restart] {mode} {ledger.split(':')[0]}: SIGTERM to exit 0 in {drain:.2f} s")


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_sigkill_mid_booking_is_announced_after_restart_and_check_again_settles_it(
    tmp_path: Path, mode: str, ledger: str
) -> None:
    """The process dies while HubSpot books (it takes the booking, its answer is lost). The next
    start finds the row pending past the booking timeout, makes it unknown and tells the person
    (in the modal over HTTP + SQLite and Socket Mode + PostgreSQL; by DM, the modal closed
    meanwhile, in the other two); Check again finds the slot taken: booked, card, one book call."""
    by_dm = (mode == "http") == ledger.startswith("postgresql")
    async with rig(tmp_path, mode, ledger) as running:
        first = await running.start("first")
        view = await running.booking_in_flight()
        killed = time.monotonic()
        first.process.send_signal(signal.SIGKILL)
        assert await first.exit_code(5) == -signal.SIGKILL
        assert await running.statuses() == ["pending"]
        if by_dm:
            running.double.views.pop(view["id"])  # the person closed the modal meanwhile

        await running.start("second")
        unknown_title = T.t("error.outcome_unknown_title")
        if by_dm:
            dm = "D" + PERSON[1:]  # the double's DM channel with the person
            await running.until(lambda: bool(running.posted(dm)), "the DM about the booking")
            told = running.posted(dm)[-1]
        else:
            await running.until(lambda: title(running, view["id"]) == unknown_title, "the modal")
            told = running.view(view["id"])
        announced = time.monotonic() - killed
        assert await running.statuses() == ["unknown"]
        assert "Product Demo" in text_of(told) and "HubSpot may have booked it" in text_of(told)
        assert running.posted() == []

        check = button(told, "check_again")
        if by_dm:
            message = running.posted(dm)[-1] | {"ts": "1.000001"}
            await running.click_in_message(dm, message, check)
            await running.until(lambda: bool(running.double.responses), "the DM answered")
            answer = running.double.responses[-1]
            posted_in = T.t("recheck.taken_posted", channel=f"<#{CHANNEL}>")
            assert answer["text"] == posted_in and answer.get("replace_original") is True
        else:
            await running.click_in_view(running.view(view["id"]), check)
            await running.until(
                lambda: title(running, view["id"]) == T.t("result.title"), "booked modal"
            )
        await running.until(lambda: len(running.posted()) == 1, "the card in the channel")
        await running.until_status("booked")
        assert running.sandbox.book_calls == 1
        print(
            f"\n[restart] {mode} {ledger.split(':')[0]}: SIGKILL to the booker told in "
            f"{announced:.2f} s (booking timeout 4 s, passes every 0.5 s)"
        )


async def test_sigterm_to_the_parent_of_two_workers_drains_both(
    tmp_path: Path, fresh_postgres_url: str
) -> None:
    async with rig(tmp_path, "http", fresh_postgres_url) as running:
        parent = await running.start("workers", "--workers", "2")
        await running.bookings_in_flight(6)
        stopped = time.monotonic()
        parent.process.send_signal(signal.SIGTERM)
        assert await parent.exit_code(GRACE_SECONDS + 5) == 0
        drain = time.monotonic() - stopped
        assert await running.statuses() == ["booked"] * 6
        assert len(running.posted()) == 6
        assert running.sandbox.book_calls == 6
        # Each worker got the stop and drained (whichever of them held the bookings).
        drained = {
            line.split("process ")[1].split(":")[0]
            for line in parent.log().splitlines()
            if "after-ack work drained" in line
        }
        assert len(drained) == 2, parent.log()
        print(f"\n[restart] --workers 2: SIGTERM to exit 0 in {drain:.2f} s")
