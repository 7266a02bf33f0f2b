"""After-ack work waits for its turn (issue 16): BOOKBOT_AFTER_ACK_CONCURRENCY pieces at once,
modal opens before bookings before previews before App Home refreshes; the acks never wait.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.after_ack import AfterAck
from bot.metrics import Metrics
from bot.work_queue import BOOKING, HOME, OPEN, PREVIEW, requeue_as
from tests.conftest import start_booker

NAMES = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def gauge(text: str, name: str, kind: str | None = None) -> float:
    labels = "" if kind is None else f'{{kind="{kind}"}}'
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    assert match is not None, f"{name}{labels} not in the metrics"
    return float(match.group(1))


async def test_a_later_booking_goes_before_a_waiting_preview_and_the_queue_is_measured() -> None:
    metrics = Metrics()
    after_ack = AfterAck(1, observer=metrics)
    ran: list[str] = []
    release = asyncio.Event()

    async def work(name: str, hold: bool = False) -> None:
        ran.append(name)
        if hold:
            await release.wait()

    held = after_ack.start(work("held booking", hold=True), kind=BOOKING)
    await asyncio.sleep(0)
    after_ack.start(work("home"), kind=HOME)
    after_ack.start(work("preview"), kind=PREVIEW)
    after_ack.start(work("later booking"), kind=BOOKING)
    after_ack.start(work("open"), kind=OPEN)
    for _ in range(5):
        await asyncio.sleep(0)
    assert ran == ["held booking"]  # one turn, and the held booking has it
    text = metrics.render().decode()
    assert gauge(text, "bookbot_after_ack_queued", "preview") == 1
    assert gauge(text, "bookbot_after_ack_queued", "booking") == 1
    assert gauge(text, "bookbot_after_ack_running") == 1

    release.set()
    await held
    while after_ack.running:
        await asyncio.sleep(0.01)
    assert ran == ["held booking", "open", "later booking", "preview", "home"]
    text = metrics.render().decode()
    for kind in ("open", "booking", "preview", "home"):
        assert gauge(text, "bookbot_after_ack_queued", kind) == 0
    assert gauge(text, "bookbot_after_ack_running") == 0
    assert gauge(text, "bookbot_after_ack_wait_seconds_count", "booking") == 2
    assert gauge(text, "bookbot_after_ack_wait_seconds_count", "preview") == 1
    assert gauge(text, "bookbot_after_ack_wait_seconds_sum", "preview") > 0


async def test_a_stop_starts_what_waits_for_its_turn_and_waits_for_it() -> None:
    """A booking acked but still waiting for its turn has not reached the ledger: a stop must
    not drop it. It starts at once and gets the grace period like the work under way."""
    after_ack = AfterAck(1)
    done: list[str] = []

    async def booking(name: str) -> None:
        await asyncio.sleep(0.05)
        done.append(name)

    after_ack.start(booking("first"), kind=BOOKING)
    after_ack.start(booking("queued"), kind=BOOKING)
    await asyncio.sleep(0)
    assert after_ack.queued == 1
    assert await after_ack.drain(30) is True
    assert sorted(done) == ["first", "queued"]


async def test_what_waits_behind_work_outliving_the_grace_still_runs_at_the_stop() -> None:
    after_ack = AfterAck(1)
    stuck = after_ack.start(asyncio.sleep(3600), kind=BOOKING)
    started: list[str] = []

    async def waiting() -> None:
        started.append("late")

    await asyncio.sleep(0)
    late = after_ack.start(waiting(), kind=HOME)
    await asyncio.sleep(0)
    assert started == []
    assert await after_ack.drain(0.1) is False
    assert stuck.cancelled()
    assert late.done() and started == ["late"]


async def test_idle_gives_the_turn_back_while_waiting_on_a_person() -> None:
    after_ack = AfterAck(1)
    order: list[str] = []

    async def offer() -> None:
        order.append("offer made")
        await after_ack.idle(0.2)
        order.append("offer expired")

    async def booking() -> None:
        order.append("booking")

    first = after_ack.start(offer(), kind=BOOKING)
    await asyncio.sleep(0)
    second = after_ack.start(booking(), kind=BOOKING)
    await asyncio.wait_for(asyncio.gather(first, second), 5)
    assert order == ["offer made", "booking", "offer expired"]


async def test_acks_do_not_wait_for_a_turn_and_a_later_booking_goes_before_a_preview(
    tmp_path: Path,
) -> None:
    """Through Booker over HTTP, one turn at a time, the turn held by a booking: a preview (Enter
    in `when`) and then a submission are both acked at once; the submission's booking (its card)
    goes before the preview's redraw, and /metrics shows them waiting."""
    async with start_booker(tmp_path, settings={"BOOKBOT_AFTER_ACK_CONCURRENCY": 1}) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.until(lambda: booker.services.after_ack.running == 0)
        release = asyncio.Event()
        # Another person's booking, waiting on HubSpot, holds the one turn.
        held = booker.services.after_ack.start(release.wait(), kind=BOOKING)
        await booker.until(lambda: booker.services.after_ack.queue.running == 1)
        calls_before = len(booker.double.calls)
        metrics = (await booker.http.get("/metrics")).text
        previews_before = gauge(metrics, "bookbot_after_ack_wait_seconds_count", "preview")

        when_id = next(b["block_id"] for b in view["blocks"] if b["block_id"].startswith("when"))
        preview = await booker.slack.block_action(
            view, {"action_id": when_id, "block_id": when_id, "type": "plain_text_input"}
        )
        assert preview.status_code == 200
        submitted = await booker.submit(view, NAMES)
        assert submitted["response_action"] == "update"  # "Booking…", at once
        queue = booker.services.after_ack.queue
        await booker.until(lambda: queue.queued == 2)
        metrics = (await booker.http.get("/metrics")).text
        assert gauge(metrics, "bookbot_after_ack_queued", "preview") == 1
        assert gauge(metrics, "bookbot_after_ack_queued", "booking") == 1
        assert len(booker.double.calls) == calls_before  # nothing went on after those acks
        assert booker.sandbox.book_calls == 0

        release.set()
        await held
        await booker.posted(1)

        def redraws() -> int:
            return sum(1 for c in booker.double.calls[calls_before:] if c.method == "views.update")

        # The booking's result modal, then the preview's redraw.
        await booker.until(lambda: redraws() >= 2 and queue.running == 0)
        after = booker.double.calls[calls_before:]
        methods = [call.method for call in after]
        card = methods.index("chat.postMessage")
        updates = [i for i, call in enumerate(after) if call.method == "views.update"]
        # The booking's result modal and card first; the preview's redraw last.
        assert updates[-1] > card
        assert booker.sandbox.book_calls == 1
        metrics = (await booker.http.get("/metrics")).text
        assert gauge(metrics, "bookbot_after_ack_queued", "preview") == 0
        previews = gauge(metrics, "bookbot_after_ack_wait_seconds_count", "preview")
        assert previews == previews_before + 1


async def test_an_opened_modal_fills_in_after_the_next_persons_modal_opens() -> None:
    """An open is urgent only until views.open (the trigger expires in 3 s): the full form then
    waits as a preview, and the next person's open goes first."""
    after_ack = AfterAck(1)
    order: list[str] = []

    async def open_modal(person: str) -> None:
        await asyncio.sleep(0)  # views.open
        order.append(f"{person} opened")
        await requeue_as(PREVIEW)
        order.append(f"{person} filled in")

    first = after_ack.start(open_modal("Ana"), kind=OPEN)
    second = after_ack.start(open_modal("Bo"), kind=OPEN)
    await asyncio.wait_for(asyncio.gather(first, second), 5)
    assert order == ["Ana opened", "Bo opened", "Ana filled in", "Bo filled in"]
