"""The workflow step and unfurls through `bookbot run` in Socket Mode (a real subprocess, events
over the Slack double's WebSocket), as most installs run it."""

from __future__ import annotations

from pathlib import Path

from bot.workflow_step import CALLBACK_ID
from tests.socket_mode.conftest import (
    CHANNEL,
    PERSON,
    SocketSlack,
    builtin_sandbox_app,
    connected,
    free_slot,
    running,
    slack,
    socket_env,
    start_bookbot,
)
from tests.workflow.conftest import manifest_functions, step_inputs

__all__ = ["slack"]  # the fixture


async def test_over_the_socket_the_step_books_a_link_unfurls_and_a_pending_pick_ends_cleanly(
    tmp_path: Path, slack: SocketSlack
) -> None:
    start = await free_slot(builtin_sandbox_app())
    slack.double.functions.define(manifest_functions())
    env = socket_env(slack, f"sqlite:///{tmp_path / 'ledger.db'}")
    booker = await start_bookbot(tmp_path, "booker", env, "--sandbox")
    async with running([booker]):
        await connected(slack, [booker])
        functions = slack.double.functions

        body = functions.run_function(
            CALLBACK_ID, step_inputs(when=None, start_time=int(start.timestamp()))
        )
        booked = functions.executions[body["event"]["function_execution_id"]]
        envelope = await slack.double.socket.push("events_api", body)
        await slack.double.socket.ack(envelope, timeout=20)
        await slack.until(lambda: booked.state != "running", "the step's completion")
        assert booked.state == "completed", booked.error
        assert (booked.outputs or {})["start_time"] == int(start.timestamp())
        assert (booked.outputs or {})["join_url"].startswith("https://")

        link = slack.double.links.share_links(
            ["https://meetings.hubspot.com/demo"], channel=CHANNEL, user=PERSON
        )
        await slack.double.socket.push("events_api", link)
        await slack.until(lambda: bool(slack.double.links.unfurls), "the unfurl")

        # A step waiting (up to BOOKBOT_WORKFLOW_PICK_MINUTES) for its person's pick does not
        # hold the process when it is told to stop.
        waiting = functions.run_function(CALLBACK_ID, step_inputs(when="whenever suits"))
        await slack.double.socket.push("events_api", waiting)
        await slack.until(
            lambda: any("workflow_pick_0" in str(m.get("blocks")) for m in slack.double.messages),
            "the slot DM",
        )
        assert await booker.stop() == 0
