"""The process's after-ack work at a stop: what is working is waited for (up to the grace), what
waits on a person is cancelled at once, what outlives the grace is cancelled."""

from __future__ import annotations

import asyncio

from bot.after_ack import AfterAck


async def test_a_stop_waits_for_work_and_cancels_waiting_on_a_person() -> None:
    after_ack = AfterAck()
    finished: list[str] = []

    async def booking() -> None:
        await asyncio.sleep(0.2)
        finished.append("booking")

    async def offer_standing() -> None:
        await after_ack.idle(3600)
        finished.append("offer expired")

    working = after_ack.start(booking())
    waiting = after_ack.start(offer_standing())
    await asyncio.sleep(0)
    assert after_ack.running == 1  # the offer is not work under way
    assert await after_ack.drain(30) is True
    assert working.done() and not working.cancelled()
    assert waiting.cancelled()
    assert finished == ["booking"]


async def test_work_outliving_the_grace_is_cancelled_and_reported() -> None:
    after_ack = AfterAck()
    stuck = after_ack.start(asyncio.sleep(3600))
    assert await after_ack.drain(0.1) is False
    assert stuck.cancelled()


async def test_work_started_while_draining_is_waited_for_too() -> None:
    after_ack = AfterAck()
    done: list[int] = []

    async def first() -> None:
        await asyncio.sleep(0.05)
        after_ack.start(second())

    async def second() -> None:
        await asyncio.sleep(0.05)
        done.append(2)

    after_ack.start(first())
    assert await after_ack.drain(30) is True
    assert done == [2]
