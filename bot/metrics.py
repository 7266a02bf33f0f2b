"""A few counters in Prometheus' text format for GET /metrics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Metrics:
    bookings: Counter[str] = field(default_factory=Counter)

    def booking_outcome(self, status: str) -> None:
        self.bookings[status] += 1

    def render(self) -> str:
        lines = [
            "# HELP bookbot_bookings_total Bookings by outcome.",
            "# TYPE bookbot_bookings_total counter",
        ]
        for status in ("booked", "failed", "unknown", "duplicate"):
            lines.append(f'bookbot_bookings_total{{outcome="{status}"}} {self.bookings[status]}')
        return "\n".join(lines) + "\n"
