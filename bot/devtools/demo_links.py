"""`bookbot demo`'s last parts: a Workflow Builder run of the step "Book a HubSpot meeting", and
a pasted meeting link's unfurl with its Book button — through the same real Bolt app, Slack
double and HubSpot sandbox as the rest of the demo (bot/devtools/demo.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.workflow_step import CALLBACK_ID

DEMO_LINK = "https://meetings.hubspot.com/demo"
Say = Callable[[str], None]


def _dm_with_slots(double: SlackDouble) -> dict[str, Any] | None:
    return next(
        (
            message
            for message in double.messages
            if str(message["channel"]).startswith("D")
            and "workflow_pick_0" in str(message.get("blocks"))
        ),
        None,
    )


async def show_workflow_step(double: SlackDouble, slack: SlackRequests, say: Say) -> bool:
    from bot.devtools.demo import render_blocks, wait_for

    inputs = {
        "meeting_page": "demo",
        "when": "tomorrow 10am",
        "guest_email": "ben@example.com",
        "guest_first_name": "Ben",
        "guest_last_name": "Okoro",
        "booked_by": slack.user_id,
    }
    say("7. A workflow (a “Request a demo” form) runs the step “Book a HubSpot meeting” with:")
    for name, value in inputs.items():
        say(f"     {name}: {value}")
    body = double.functions.run_function(CALLBACK_ID, inputs)
    execution = double.functions.executions[body["event"]["function_execution_id"]]
    await slack.send_event_body(body)
    await wait_for(lambda: execution.state != "running" or _dm_with_slots(double) is not None)
    dm = _dm_with_slots(double)
    if execution.state == "running" and dm is not None:
        say(
            "   That time is not free, so Booker DMs Dana (who ran the workflow) the nearest slots:"
        )
        for line in render_blocks(dm["blocks"]):
            say(f"   │ {line}")
        click = double.functions.block_actions_payload(
            dm, "workflow_pick_0", user_id=slack.user_id, response_url=double.response_url("dm")
        )
        say(f"   Dana clicks [{click['actions'][0]['text']['text']}].")
        await slack.send_interaction(click)
        await wait_for(lambda: execution.state != "running")
    if execution.state != "completed":
        say(f"   The step failed: {execution.error}")
        say("")
        return False
    outputs = execution.outputs or {}
    user = double.users.get(slack.user_id)
    zone = ZoneInfo(user.tz) if user else ZoneInfo("UTC")
    start = datetime.fromtimestamp(int(outputs["start_time"]), UTC).astimezone(zone)
    say("   functions.completeSuccess — the outputs the next workflow step can use:")
    say(f"     start_time: {outputs['start_time']} ({start:%a %b %d, %H:%M} {start.tzname()})")
    for name in ("end_time", "join_url", "calendar_event_id", "contact_id", "status"):
        say(f"     {name}: {outputs.get(name)}")
    say("")
    return True


async def show_unfurl(double: SlackDouble, slack: SlackRequests, say: Say) -> bool:
    from bot.devtools.demo import _latest_view, _modal_summary, render_blocks, wait_for

    say(f"8. Dana pastes {DEMO_LINK} in {slack.channel_id}; Booker unfurls it:")
    body = double.links.share_links([DEMO_LINK], channel=slack.channel_id, user=slack.user_id)
    await slack.send_event_body(body)
    try:
        await wait_for(lambda: bool(double.links.unfurls), seconds=5.0)
    except TimeoutError:
        say("   (no unfurl: HubSpot did not answer)")
        say("")
        return False
    unfurl = double.links.unfurls[-1]
    for line in render_blocks(unfurl.unfurl["blocks"]):
        say(f"   │ {line}")
    updates = len(double.calls_to("views.update"))
    click = double.links.unfurl_block_actions_payload(unfurl, "unfurl_book", user_id=slack.user_id)
    label = click["actions"][0]["text"]["text"]
    say(f"   Someone clicks [{label}]: the booking form opens on that page:")
    await slack.send_interaction(click)
    await wait_for(lambda: len(double.calls_to("views.update")) > updates)
    for line in _modal_summary(_latest_view(double))[:3]:
        say(f"     {line}")
    say("")
    return True
