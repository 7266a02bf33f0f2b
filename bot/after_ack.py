"""Work done after Slack's ack, held by the process so that a stop can wait for it.

Every Slack listener's work after its ack (bot/app.py's answer-at-ack wrapper), and the
reconciler's passes (bot/followup.py), start here. A stop (SIGTERM, SIGINT) calls ``drain``:
nothing new is taken, work under way gets the grace period to finish, and what is still running
after it is cancelled; the ledger's ``pending`` rows and the ``booking_steps`` outbox let the next
start (or another process) resume it.

This is the one door after-ack work goes through, and behind it is a bounded, prioritised queue
(bot/work_queue.py, issue 16): BOOKBOT_AFTER_ACK_CONCURRENCY pieces of work run at once, the rest
wait their turn, modal opens before bookings before previews before App Home refreshes. A stop
opens the queue: what waits starts at once and gets the grace period like the rest (a booking
that has not reached the ledger yet must not be dropped silently).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable
from typing import Any, Final

from bot.work_queue import OTHER, QueueObserver, WorkQueue

log = logging.getLogger("bot.after_ack")

# How long cancelled work gets to unwind (close its HTTP call, roll back its transaction).
CANCEL_WAIT_SECONDS: Final = 2.0
# BOOKBOT_AFTER_ACK_CONCURRENCY's default (bot/config.py).
DEFAULT_CONCURRENCY: Final = 4


class AfterAck:
    """The after-ack work of one process."""

    def __init__(
        self, concurrency: int = DEFAULT_CONCURRENCY, *, observer: QueueObserver | None = None
    ) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()
        # Tasks inside `idle`: waiting on a person, not working; a stop does not wait for them.
        self._idle: set[asyncio.Future[Any]] = set()
        self.queue = WorkQueue(concurrency, observer=observer)
        self.draining = False

    def start(
        self, work: Awaitable[Any], *, kind: str = OTHER, what: str = "a Slack listener"
    ) -> asyncio.Future[Any]:
        """Run `work` in the background when its `kind` gets a turn, held until it ends;
        failures are logged as `what`'s."""

        async def in_turn() -> Any:
            try:
                await self.queue.turn(kind)
            except asyncio.CancelledError:
                if asyncio.iscoroutine(work):
                    work.close()  # never started: no "never awaited" warning
                raise
            return await work

        return self.hold(asyncio.ensure_future(in_turn()), what=what)

    def hold(
        self, task: asyncio.Future[Any], *, what: str = "a Slack listener"
    ) -> asyncio.Future[Any]:
        """Hold a task already running (a listener past its ack, which asks `turn` for its
        place in the queue) until it ends."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda done: _log_failure(done, what))
        return task

    async def turn(self, kind: str) -> None:
        """Inside a held task: wait for the queue to give this `kind` of work its turn."""
        await self.queue.turn(kind)

    @property
    def running(self) -> int:
        return sum(1 for task in self._tasks if not task.done() and task not in self._idle)

    @property
    def queued(self) -> int:
        """Work waiting for its turn (counted in `running` too: a stop waits for it)."""
        return self.queue.queued

    async def idle(self, seconds: float) -> None:
        """Sleep `seconds` as work that waits on a person (a workflow's offer standing until its
        deadline), not work under way: a stop cancels it at once instead of waiting for it."""
        task = asyncio.current_task()
        if self.draining:
            raise asyncio.CancelledError
        kind = self.queue.turn_kind(task)
        if task is not None:
            self._idle.add(task)
            # Waiting on a person is not work: its turn goes to the next in the queue.
            self.queue.give_back(task)
        try:
            await asyncio.sleep(seconds)
        finally:
            if task is not None:
                self._idle.discard(task)
        if kind is not None:
            await self.queue.turn(kind)

    async def drain(self, seconds: float) -> bool:
        """Wait up to `seconds` for all work (including work started meanwhile) to end, then
        cancel the rest. True when everything finished on its own."""
        self.draining = True
        # Everything waiting for its turn starts now: it gets the grace period like the rest.
        self.queue.open_up()
        for task in list(self._idle):
            task.cancel()
        started = time.monotonic()
        deadline = started + max(0.0, seconds)
        log.info(
            "process %d: stopping; %d after-ack task(s) under way, %.0f s to finish",
            os.getpid(),
            self.running,
            seconds,
        )
        while True:
            pending = {task for task in self._tasks if not task.done()}
            if not pending:
                log.info(
                    "process %d: after-ack work drained in %.2f s",
                    os.getpid(),
                    time.monotonic() - started,
                )
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                break
            await asyncio.wait(pending, timeout=left)
        log.warning(
            "stopping with %d after-ack task(s) unfinished after %.1f s; the next start resumes "
            "them",
            len(pending),
            seconds,
        )
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=CANCEL_WAIT_SECONDS)
        return False


def _log_failure(task: asyncio.Future[Any], what: str) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error(
            "%s failed after its ack",
            what,
            exc_info=(type(error), error, error.__traceback__),
        )
