"""Prometheus metrics for GET /metrics, safe with several worker processes.

One process: each Metrics has its own registry (tests and benchmarks can run several apps in one
process). Several workers (`bookbot run --workers N`): PROMETHEUS_MULTIPROC_DIR names a folder
where every process writes its values; a scrape, answered by any worker, adds them all up. The
variable must be set before prometheus_client is first imported (`bookbot run` does that).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

BOOKING_OUTCOMES = ("booked", "failed", "unknown", "duplicate", "error")
# bot/work_queue.py's kinds (not imported: metrics stay free of the queue's module).
AFTER_ACK_KINDS = ("open", "booking", "preview", "other", "home")
# Slack's acknowledgement budget is 3 s: the buckets are finest where that matters.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
WAIT_BUCKETS = (0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower()) or None


def prepare_multiprocess_dir(path: str | None = None) -> tuple[str, bool]:
    """Set PROMETHEUS_MULTIPROC_DIR for this process and its children, empty of an earlier
    run's files. Returns the folder and whether it was made here (then the caller removes it)."""
    created = path is None
    folder = path or tempfile.mkdtemp(prefix="bookbot-metrics-")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for stale in Path(folder).glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ[MULTIPROC_ENV] = folder
    return folder, created


def remove_multiprocess_dir(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class Metrics:
    """The counters and histograms Booker keeps; also the HubSpot client's request observer."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.bookings = Counter(
            "bookbot_bookings",
            "Booking submissions by outcome (duplicate: a resubmission that booked nothing new).",
            ["outcome"],
            registry=self.registry,
        )
        self.hubspot_requests = Counter(
            "bookbot_hubspot_requests",
            "HubSpot API requests by operation and HTTP status (or transport error).",
            ["operation", "status"],
            registry=self.registry,
        )
        self.limiter_wait = Histogram(
            "bookbot_rate_limiter_wait_seconds",
            "Seconds a HubSpot request waited for the client-side rate limiter.",
            buckets=WAIT_BUCKETS,
            registry=self.registry,
        )
        self.slack_ack = Histogram(
            "bookbot_slack_ack_seconds",
            "Seconds from a Slack request's arrival to its acknowledgement, by payload kind.",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.refused = Counter(
            "bookbot_http_refused",
            "HTTP requests the guard answered itself (unsigned, too large, too slow, malformed).",
            ["reason"],
            registry=self.registry,
        )
        self.resumed_steps = Counter(
            "bookbot_resumed_steps",
            "After-ack steps of a booking (modal, card, reminder, announce) carried out "
            "after the process that owed them stopped or died.",
            ["step"],
            registry=self.registry,
        )
        self.reconciled = Counter(
            "bookbot_reconciled_bookings",
            "Bookings found still pending after the booking timeout (their process stopped "
            "before HubSpot's answer was recorded): made unknown and their booker told.",
            registry=self.registry,
        )
        # Several workers: the sum over the live ones (a dead worker's queue is gone with it).
        self.after_ack_queue = Gauge(
            "bookbot_after_ack_queued",
            "Work after Slack's acks waiting for its turn (BOOKBOT_AFTER_ACK_CONCURRENCY), "
            "by kind.",
            ["kind"],
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.after_ack_running_gauge = Gauge(
            "bookbot_after_ack_running",
            "Work after Slack's acks holding a turn (at most BOOKBOT_AFTER_ACK_CONCURRENCY per "
            "process, more during a stop).",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.after_ack_wait = Histogram(
            "bookbot_after_ack_wait_seconds",
            "Seconds work after a Slack ack waited for its turn, by kind.",
            ["kind"],
            buckets=WAIT_BUCKETS,
            registry=self.registry,
        )
        for kind in AFTER_ACK_KINDS:
            self.after_ack_queue.labels(kind=kind)
            self.after_ack_wait.labels(kind=kind)
        for outcome in BOOKING_OUTCOMES:
            self.bookings.labels(outcome=outcome)
        for step in ("modal", "card", "reminder", "announce"):
            self.resumed_steps.labels(step=step)

    # --- recording -----------------------------------------------------------------------------

    def booking_outcome(self, status: str) -> None:
        self.bookings.labels(outcome=status).inc()

    def step_resumed(self, step: str) -> None:
        self.resumed_steps.labels(step=step).inc()

    def booking_reconciled(self) -> None:
        self.reconciled.inc()

    def hubspot_request(self, operation: str, status: str) -> None:
        """HubSpotClient's observer: one call per HTTP attempt."""
        self.hubspot_requests.labels(operation=operation, status=status).inc()

    def limiter_waited(self, seconds: float) -> None:
        """HubSpotClient's observer: one call per rate-limiter acquisition."""
        self.limiter_wait.observe(max(0.0, seconds))

    def slack_acked(self, kind: str, seconds: float) -> None:
        self.slack_ack.labels(kind=kind).observe(max(0.0, seconds))

    def after_ack_queued(self, kind: str, change: int) -> None:
        """bot/work_queue.py's observer: work of `kind` joined (+1) or left (-1) the queue."""
        self.after_ack_queue.labels(kind=kind).inc(change)

    def after_ack_running(self, change: int) -> None:
        self.after_ack_running_gauge.inc(change)

    def after_ack_waited(self, kind: str, seconds: float) -> None:
        self.after_ack_wait.labels(kind=kind).observe(max(0.0, seconds))

    def http_refused(self, reason: str) -> None:
        """One request the guard refused; `reason` is one of the guard's few fixed phrases."""
        self.refused.labels(reason=reason).inc()

    # --- serving -------------------------------------------------------------------------------

    def render(self) -> bytes:
        """The exposition text: this process's values, or every worker's in multiprocess mode."""
        if multiprocess_dir() is not None:
            registry = CollectorRegistry()
            prometheus_multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)

    @staticmethod
    def worker_exited(pid: int | None = None) -> None:
        """Multiprocess mode: a worker that stops is marked dead (its live gauges drop out)."""
        if multiprocess_dir() is not None:
            prometheus_multiprocess.mark_process_dead(pid if pid is not None else os.getpid())
