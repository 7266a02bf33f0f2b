"""Turns for after-ack work: at most N pieces at once per process, the most urgent kind first.

Under a burst every ack starts after-ack work (views.open and views.update, HubSpot reads, a
booking, a card). Run all at once, that work competes with the next requests for the one event
loop, and acks get slow exactly when many people are waiting. Here work past its ack waits for a
turn instead: BOOKBOT_AFTER_ACK_CONCURRENCY pieces run at a time, the rest wait in order of kind,
then of arrival (issue 16). What comes before an ack never waits here.

Kinds, most urgent first:
- ``open``: a modal to open. Slack's trigger expires 3 s after the click, so an open that waits
  longer is lost, and it asks nothing slow before views.open.
- ``booking``: a submission's booking (the person watches "Booking…"), a re-check, a workflow's.
- ``preview``: the modal redrawn after a change (what the time means, whether it is free).
- ``other``: the rest (calendar files, unfurls, lifecycle events, the reconciler's passes).
- ``home``: an App Home refresh.

A task holds its turn until it ends, while it waits on a person (``AfterAck.idle`` gives it
back), or until its urgent part is done: a modal open is urgent only up to views.open, and
``requeue_as(PREVIEW)`` then lets the next open go first while the full form waits its turn.

At a stop the queue opens up: whatever waits starts at once, as it would have before the queue,
and gets the stop's grace period like the rest (bot/after_ack.py).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

OPEN: Final = "open"
BOOKING: Final = "booking"
PREVIEW: Final = "preview"
OTHER: Final = "other"
HOME: Final = "home"
PRIORITY: Final = {OPEN: 0, BOOKING: 1, PREVIEW: 2, OTHER: 3, HOME: 4}
KINDS: Final = tuple(PRIORITY)

_KIND_ATTRIBUTE: Final = "_bookbot_after_ack_kind"
# The queue whose turn the current task holds (set in the task's own context by `turn`).
_QUEUE: ContextVar[WorkQueue | None] = ContextVar("bookbot_work_queue", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def queued_as(kind: str) -> Callable[[F], F]:
    """Mark a Slack listener with the kind of its work after the ack (its place in the queue)."""
    if kind not in PRIORITY:
        raise ValueError(f"unknown after-ack kind {kind!r}; one of {', '.join(KINDS)}")

    def mark(function: F) -> F:
        setattr(function, _KIND_ATTRIBUTE, kind)
        return function

    return mark


def kind_of(function: object) -> str:
    kind = getattr(function, _KIND_ATTRIBUTE, OTHER)
    return kind if kind in PRIORITY else OTHER


async def requeue_as(kind: str) -> None:
    """Inside after-ack work: its urgent part is done (a modal opened before its trigger
    expired); the rest gives the turn back and waits for another as `kind`. Outside the queue
    (no turn held), nothing happens."""
    queue = _QUEUE.get()
    if queue is not None:
        await queue.requeue(kind)


class QueueObserver(Protocol):
    """What the queue reports (bot/metrics.py implements it)."""

    def after_ack_queued(self, kind: str, change: int) -> None: ...

    def after_ack_running(self, change: int) -> None: ...

    def after_ack_waited(self, kind: str, seconds: float) -> None: ...


@dataclass(order=True)
class _Waiting:
    priority: int
    sequence: int
    kind: str = field(compare=False)
    task: asyncio.Future[Any] = field(compare=False)
    turn: asyncio.Future[None] = field(compare=False)
    since: float = field(compare=False)


class WorkQueue:
    """Turns for tasks: ``await turn(kind)`` inside a task returns when it may go on; the turn is
    given back when the task ends (or by ``give_back``)."""

    def __init__(self, concurrency: int, *, observer: QueueObserver | None = None) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.observer = observer
        self._holding: dict[asyncio.Future[Any], str] = {}
        self._watched: set[asyncio.Future[Any]] = set()
        self._waiting: list[_Waiting] = []
        self._sequence = itertools.count()
        self._queued = 0
        self._open = False  # a stop: no more waiting

    @property
    def running(self) -> int:
        return len(self._holding)

    @property
    def queued(self) -> int:
        return self._queued

    def queued_of(self, kind: str) -> int:
        return sum(1 for entry in self._waiting if entry.kind == kind and not entry.turn.done())

    def turn_kind(self, task: asyncio.Future[Any] | None) -> str | None:
        """The kind of work `task` holds a turn for (None: it holds none)."""
        return None if task is None else self._holding.get(task)

    async def turn(self, kind: str) -> None:
        """Wait until the current task may do its `kind` of work (at once if it holds a turn)."""
        task = asyncio.current_task()
        if task is None or task in self._holding:
            return
        _QUEUE.set(self)  # this task's own context: requeue_as finds its queue
        kind = kind if kind in PRIORITY else OTHER
        if self._open or (not self.queued and self.running < self.concurrency):
            self._give(task, kind, waited=0.0)
            return
        entry = _Waiting(
            PRIORITY[kind],
            next(self._sequence),
            kind,
            task,
            asyncio.get_running_loop().create_future(),
            time.monotonic(),
        )
        heapq.heappush(self._waiting, entry)
        self._report_queued(kind, 1)
        try:
            await entry.turn
        except asyncio.CancelledError:
            if entry.turn.done() and not entry.turn.cancelled():
                # Given its turn and cancelled in the same moment: the turn goes back.
                self.give_back(task)
            else:
                entry.turn.cancel()
                self._report_queued(kind, -1)
                self._drop_cancelled()
            raise

    async def requeue(self, kind: str) -> None:
        """The current task gives its turn back and waits for one as `kind`."""
        task = asyncio.current_task()
        if task is None or task not in self._holding:
            return
        self.give_back(task)
        await self.turn(kind)

    def give_back(self, task: asyncio.Future[Any] | None) -> None:
        """The task's turn goes to the next waiting (it ended, or it waits on a person now)."""
        if task is None or self._holding.pop(task, None) is None:
            return
        if self.observer is not None:
            self.observer.after_ack_running(-1)
        self._next()

    def open_up(self) -> None:
        """A stop: everything waiting starts now, and nothing waits from here on."""
        self._open = True
        self._next()

    def _give(self, task: asyncio.Future[Any], kind: str, *, waited: float) -> None:
        self._holding[task] = kind
        if self.observer is not None:
            self.observer.after_ack_running(1)
            self.observer.after_ack_waited(kind, waited)
        if task not in self._watched:
            self._watched.add(task)
            task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Future[Any]) -> None:
        self._watched.discard(task)
        self.give_back(task)

    def _next(self) -> None:
        while self._waiting and (self._open or self.running < self.concurrency):
            entry = heapq.heappop(self._waiting)
            if entry.turn.done():  # cancelled while waiting (already counted out)
                continue
            self._report_queued(entry.kind, -1)
            if entry.task.done():
                continue
            entry.turn.set_result(None)
            self._give(entry.task, entry.kind, waited=time.monotonic() - entry.since)

    def _drop_cancelled(self) -> None:
        while self._waiting and self._waiting[0].turn.done():
            heapq.heappop(self._waiting)

    def _report_queued(self, kind: str, change: int) -> None:
        self._queued += change
        if self.observer is not None:
            self.observer.after_ack_queued(kind, change)
