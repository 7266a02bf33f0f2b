"""A per-person budget on interactions that reach HubSpot (previews, page and zone changes).

One person changing the time zone 400 times in 6 seconds queued 743 HubSpot calls, and another
person's booking reached HubSpot 67 s later. Each person now has a token bucket (BOOKBOT_PERSON_
BUDGET_PER_MINUTE, 20 by default, refilled evenly over the minute, a burst of the same size);
past it their previews are answered with a "slow down" note and no HubSpot call. Bookings are
never counted or refused here: a submission always goes on to HubSpot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

# Past this many people tracked, those whose bucket is full again are forgotten.
_PRUNE_AT: Final = 10_000


class PersonBudget:
    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def take(self, team_id: str, user_id: str) -> bool:
        """Spend one call of this person's budget; False when there is none left."""
        now = self.clock()
        key = (team_id, user_id)
        tokens, since = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.refill_per_second)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > _PRUNE_AT:
            self._prune(now)
        return True

    def _prune(self, now: float) -> None:
        full_after = self.capacity / self.refill_per_second
        self._buckets = {
            key: (tokens, since)
            for key, (tokens, since) in self._buckets.items()
            if now - since < full_after
        }
