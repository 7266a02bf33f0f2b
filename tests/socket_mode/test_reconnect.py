"""Socket Mode survives what Slack does to connections: `bookbot run` as a subprocess; the Slack
double sends `disconnect` envelopes (refresh_requested, warning) and drops the socket, or leaves
a socket open and silent (no envelope, no pong). Booker connects again on its own every time and
the next /book works. BOOKBOT_SOCKET_WATCHDOG_SECONDS is short here (2 s) to keep this quick."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.socket_mode.conftest import (
    SocketSlack,
    connected,
    running,
    socket_env,
    start_bookbot,
)


async def _new_connection(slack: SocketSlack, after: int, seconds: float = 20) -> int:
    """The index of a live connection opened after connection `after`."""
    socket = slack.double.socket
    await slack.until(
        lambda: any(c.index > after for c in socket.live),
        f"a new Socket Mode connection after #{after}",
        seconds=seconds,
    )
    return max(c.index for c in socket.live)


async def _book_opens_the_form(slack: SocketSlack) -> None:
    ack = await slack.slash_command("demo tomorrow 10am ana@acme.com")
    assert ack.get("envelope_id")
    assert slack.view()["callback_id"] == "book_meeting"


async def test_booker_reconnects_after_disconnects_and_a_silent_socket(
    tmp_path: Path, slack: SocketSlack
) -> None:
    env = socket_env(slack, f"sqlite:///{tmp_path / 'ledger.db'}") | {
        "BOOKBOT_SOCKET_WATCHDOG_SECONDS": "2"
    }
    booker = await start_bookbot(tmp_path, "booker", env, "--sandbox")
    socket = slack.double.socket
    async with running([booker]):
        await connected(slack, [booker])
        first = socket.live[0].index
        await _book_opens_the_form(slack)

        # Slack refreshes the connection: disconnect envelope, then the socket is dropped.
        await socket.disconnect(first, "refresh_requested")
        second = await _new_connection(slack, first)
        await _book_opens_the_form(slack)

        # A warning comes a few seconds before Slack drops it: Booker moves at once.
        await socket.disconnect(second, "warning", close_after=None)
        third = await _new_connection(slack, second)
        await _book_opens_the_form(slack)

        # Half-dead: the socket stays open, Slack says nothing and answers no ping.
        await socket.go_silent(third)
        fourth = await _new_connection(slack, third, seconds=15)
        assert socket.connections[third].silent
        await _book_opens_the_form(slack)
        assert fourth > third

        # Each connection's socket is closed by Booker when it moves on (no leak).
        await slack.until(
            lambda: all(c.ws.closed for c in socket.connections if c.index < fourth),
            "the old sockets closed",
        )
        await asyncio.sleep(0)
