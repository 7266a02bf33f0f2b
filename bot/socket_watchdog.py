"""Socket Mode health: a connection with no traffic for a while is replaced.

Slack refreshes Socket Mode connections: it sends a `disconnect` envelope (`refresh_requested`,
or `warning` a few seconds before it drops the socket) and closes the WebSocket; slack_sdk's
client (>= 3.45, whose aiohttp client also recreates a closed HTTP session instead of retrying on
it forever) connects to a new endpoint on its own. What it cannot see is a socket that stays open
while nothing comes through it: no envelope and no answer to its pings. This watchdog notices
that (`BOOKBOT_SOCKET_WATCHDOG_SECONDS` with neither a message nor a pong) and asks the client
for a new connection, whatever state its own monitor is in.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("bot.socket_watchdog")

# Pings go out this many times per watchdog period, so a healthy socket always shows a pong.
PINGS_PER_PERIOD = 4
MAX_PING_INTERVAL = 10.0


def ping_interval_for(watchdog_seconds: float) -> float:
    """The Socket Mode client's ping interval for a watchdog of `watchdog_seconds`."""
    return max(0.1, min(MAX_PING_INTERVAL, watchdog_seconds / PINGS_PER_PERIOD))


class SocketWatchdog:
    """Watches one slack_sdk async SocketModeClient (`client`); run() until cancelled."""

    def __init__(
        self,
        client: Any,
        *,
        silent_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.silent_seconds = silent_seconds
        self.clock = clock
        self.reconnects = 0
        self._last_message = clock()
        client.message_listeners.append(self._on_message)

    async def _on_message(self, client: Any, message: Any, raw: Any) -> None:
        self._last_message = self.clock()

    def silent_for(self) -> float:
        """Seconds since the last envelope or pong on the socket."""
        pong = getattr(self.client, "last_ping_pong_time", None) or 0.0
        return self.clock() - max(self._last_message, float(pong))

    async def check(self) -> bool:
        """Reconnect when the socket has been silent too long; True when it did."""
        silent = self.silent_for()
        if silent < self.silent_seconds:
            return False
        log.warning(
            "Socket Mode connection silent for %.0f s (no envelope, no pong): reconnecting",
            silent,
        )
        self.reconnects += 1
        self._last_message = self.clock()  # a fresh period for the new connection
        try:
            await self.client.connect_to_new_endpoint(force=True)
        except Exception as error:  # the next check tries again
            log.warning("Socket Mode reconnect failed: %s", type(error).__name__)
        else:
            log.info("Socket Mode reconnected")
        return True

    async def run(self) -> None:
        period = max(0.05, self.silent_seconds / PINGS_PER_PERIOD)
        while True:
            await asyncio.sleep(period)
            await self.check()
