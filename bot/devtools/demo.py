"""`bookbot demo`: the whole booking flow offline, through the real Bolt app.

Signed HTTP requests go into the app (slash command, page search, submission); a local Slack
Web API double answers its calls; the built-in sandbox plays HubSpot. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr

from bot.blocks import PICK_SLOT_ACTION_PREFIX
from bot.config import Settings
from bot.devtools.slack_double import SlackDouble
from bot.devtools.slack_requests import SlackRequests
from bot.server import asgi_app_for
from bot.services import Services, build_services

DEMO_TOKEN = "xoxb-demo-not-a-real-token"
CALL_TIMEOUT_SECONDS = 15.0


NEXT_STEP = (
    "Next: create the Slack app from manifest.yml (in the repository): "
    "https://api.slack.com/apps → Create New App → From an app manifest → paste manifest.yml, "
    "Install to Workspace, then set SLACK_BOT_TOKEN, SLACK_APP_TOKEN and HUBSPOT_ACCESS_TOKEN, "
    "run `bookbot check`, then `bookbot run` (README: Create the Slack app)."
)

_SLACK_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_SLACK_USER = re.compile(r"<@([A-Z0-9]+)>")
_SLACK_LINK = re.compile(r"<(?:#[A-Z0-9]+|[a-z]+:[^|>]*)\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<([a-z]+:[^|>]*)>")
# The emoji codes Booker's messages use, as Slack draws them.
_EMOJI = {
    ":alarm_clock:": "⏰",
    ":grey_question:": "❔",
    ":warning:": "⚠️",
    ":white_check_mark:": "✅",
    ":x:": "❌",
}
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def as_seen(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn as a person reads it: dates in words (the fallback Booker wrote in their own
    zone), @names for mentions, link labels, bold without its stars, &amp; &lt; &gt; undone."""
    names = names or {}
    text = _SLACK_DATE.sub(lambda match: match.group(1), text)
    text = _SLACK_USER.sub(lambda match: "@" + names.get(match.group(1), match.group(1)), text)
    text = _SLACK_LINK.sub(lambda match: match.group(1), text)
    text = _SLACK_BARE_LINK.sub(lambda match: match.group(1), text)
    text = _BOLD.sub(lambda match: match.group(1), text)
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks(
    blocks: list[dict[str, Any]], names: Mapping[str, str] | None = None
) -> list[str]:
    """Block Kit as plain lines, the way a person would read the message."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("section", "header") and block.get("text"):
            lines.extend(as_seen(block["text"]["text"], names).splitlines())
        if kind == "context":
            lines.extend(
                as_seen(element.get("text", ""), names) for element in block.get("elements", [])
            )
        buttons = [block.get("accessory")] if block.get("accessory") else []
        buttons += block.get("elements", []) if kind == "actions" else []
        for button in buttons:
            if button and button.get("type") == "button":
                label = button["text"]["text"]
                lines.append(f"[{label}] {button['url']}" if button.get("url") else f"[{label}]")
    return lines


async def wait_for(condition: Callable[[], bool], *, seconds: float = CALL_TIMEOUT_SECONDS) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the app did not make the expected Slack call in time")
        await asyncio.sleep(0.02)


def _latest_view(double: SlackDouble) -> dict[str, Any]:
    """The modal as Slack holds it now (with its id and hash)."""
    return dict(list(double.views.values())[-1])


async def run_demo(*, text: str, tz: str, locale: str, out: TextIO) -> int:
    def say(line: str = "") -> None:
        print(line, file=out, flush=True)

    double = SlackDouble(tokens=[DEMO_TOKEN])
    await double.start()
    double.add_user("U0PERSON", tz=tz, locale=locale, name="Dana Demo")
    secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="bookbot-demo-") as workdir:
        settings = Settings(
            SLACK_BOT_TOKEN=SecretStr(DEMO_TOKEN),
            SLACK_SIGNING_SECRET=SecretStr(secret),
            SLACK_API_URL=double.base_url,
            DATABASE_URL=f"sqlite:///{Path(workdir) / 'demo.db'}",
        )
        services = await build_services(settings, force_sandbox=True)
        try:
            return await _walk_through(services, settings, double, secret, text, say)
        finally:
            await services.aclose()
            await double.stop()


async def _walk_through(
    services: Services,
    settings: Settings,
    double: SlackDouble,
    secret: str,
    text: str,
    say: Callable[[str], None],
) -> int:
    await services.pages.pages()
    app = asgi_app_for(settings, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://booker.local") as http:
        slack = SlackRequests(http, secret)
        say("Booker demo — offline: real Bolt app, Slack Web API double, HubSpot sandbox")
        say("")
        say(f"1. Dana types: /book {text}")
        started = asyncio.get_running_loop().time()
        answer = await slack.slash_command(text)
        acked = (asyncio.get_running_loop().time() - started) * 1000
        say(f"   Slack got the ack: HTTP {answer.status_code} in {acked:.0f} ms")
        await wait_for(lambda: bool(double.calls_to("views.update")))
        view = _latest_view(double)
        say("   The modal opened, pre-filled:")
        for line in _modal_summary(view):
            say(f"     {line}")
        view = await _take_nearest_free_slot(double, slack, view, say)
        say("")
        say("2. Dana searches meeting pages for “dem”:")
        options = await slack.block_suggestion(view, "meeting_page", "dem")
        for option in options.json().get("options", [])[:5]:
            say(f"     • {option['text']['text']} ({option['value']})")
        say("")
        say("3. Dana fills in the guest and submits.")
        posted_before = len(double.calls_to("chat.postMessage"))
        answer = await slack.view_submission(
            view,
            {
                "guest_first_name": "Ana",
                "guest_last_name": "Souza",
            },
        )
        body = answer.json() if answer.content else {}
        if body.get("response_action") == "errors":
            say("   The modal points out what to fix:")
            for block_id, message in body["errors"].items():
                say(f"     {block_id}: {message}")
            return 1
        say(f"   The modal shows: {body.get('view', {}).get('title', {}).get('text', '')}")
        await wait_for(lambda: len(double.calls_to("chat.postMessage")) > posted_before)
        result = _latest_view(double)
        say(f"   …then: {result['title']['text']}")
        say("")
        card = double.calls_to("chat.postMessage")[-1].params
        names = {user_id: user.name for user_id, user in double.users.items()}
        say(f"4. Posted in {card['channel']}:")
        for line in render_blocks(card["blocks"], names):
            say(f"   │ {line}")
        say("")
        say(f"   Notification text: {as_seen(card['text'], names)}")
        say("")
        await _show_reminder(double, settings, say)
        await _show_calendar_file(double, slack, card, say)
        from bot.devtools.demo_links import show_unfurl, show_workflow_step

        if not await show_workflow_step(double, slack, say):
            return 1
        if not await show_unfurl(double, slack, say):
            return 1
        say("Done: the Join button opens the sandbox's web conference URL.")
        say("")
        say(NEXT_STEP)
    return 0


async def _take_nearest_free_slot(
    double: SlackDouble, slack: SlackRequests, view: dict[str, Any], say: Callable[[str], None]
) -> dict[str, Any]:
    """When the typed time is taken (the demo runs on today's date), click the first suggestion."""
    suggestion = next(
        (
            element
            for block in view["blocks"]
            if block.get("type") == "actions"
            for element in block.get("elements", [])
            if str(element.get("action_id", "")).startswith(PICK_SLOT_ACTION_PREFIX)
        ),
        None,
    )
    if suggestion is None:
        return view
    slot = suggestion["text"]["text"]
    say(f"   That time is not free, so Dana clicks the nearest free slot: {slot}")
    updates_before = len(double.calls_to("views.update"))
    await slack.block_action(view, suggestion)
    await wait_for(lambda: len(double.calls_to("views.update")) > updates_before)
    picked = _latest_view(double)
    for line in _modal_summary(picked):
        if line.lstrip().startswith(("When", "↳")):
            say(f"     {line}")
    return picked


async def _show_reminder(
    double: SlackDouble, settings: Settings, say: Callable[[str], None]
) -> None:
    minutes = settings.reminder_minutes
    if minutes == 0:
        say("5. No reminder: reminders are off (BOOKBOT_REMINDER_MINUTES=0).")
        say("")
        return
    try:
        await wait_for(lambda: bool(double.calls_to("chat.scheduleMessage")), seconds=2.0)
    except TimeoutError:
        say(f"5. No reminder: the meeting starts within {minutes} min (BOOKBOT_REMINDER_MINUTES).")
        say("")
        return
    reminder = double.calls_to("chat.scheduleMessage")[-1].params
    post_at = datetime.fromtimestamp(int(reminder["post_at"]), UTC)
    user = double.users.get("U0PERSON")
    local = post_at.astimezone(ZoneInfo(user.tz)) if user else post_at
    say(
        f"5. Reminder scheduled in {reminder['channel']} for {local:%a %b %d, %H:%M} "
        f"({local.tzname()}), {minutes} min before the start, with the Join button."
    )
    say("")


async def _show_calendar_file(
    double: SlackDouble, slack: SlackRequests, card: Mapping[str, Any], say: Callable[[str], None]
) -> None:
    button = next(
        (
            element
            for block in card["blocks"]
            if block.get("type") == "actions"
            for element in block["elements"]
            if element.get("action_id") == "add_to_calendar"
        ),
        None,
    )
    if button is None:
        return
    say("6. Dana clicks [Add to calendar] on the card.")
    payload = {
        "type": "block_actions",
        "team": {"id": slack.team_id},
        "user": {"id": slack.user_id, "team_id": slack.team_id},
        "api_app_id": "A0BOOKER",
        "trigger_id": "demo.trigger",
        "actions": [dict(button)],
        "container": {"type": "message", "channel_id": card["channel"]},
        "channel": {"id": card["channel"]},
    }
    await slack.send_interaction(payload)
    await wait_for(lambda: bool(double.calls_to("files.completeUploadExternal")))
    done = double.calls_to("files.completeUploadExternal")[-1].params
    file_id = done["files"][0]["id"]
    content = double.uploads.contents[file_id]
    name = double.uploads.pending[file_id]["filename"]
    say(f"   Booker DMs her {name} ({len(content)} bytes, in {done['channel_id']}):")
    for line in content.decode("utf-8").splitlines():
        if line.split(":", 1)[0] in ("DTSTART", "DTEND", "SUMMARY", "LOCATION"):
            say(f"   │ {line}")
    say("")


def _modal_summary(view: dict[str, Any]) -> list[str]:
    lines = [f"[{view['title']['text']}]"]
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            value = element.get("initial_value")
            if value is None and element.get("initial_option"):
                value = element["initial_option"]["text"]["text"]
            if value is None:
                value = element.get("initial_conversation", "")
            lines.append(f"{block['label']['text']}: {value}")
        elif block["type"] == "context":
            lines.extend(f"  ↳ {as_seen(e.get('text', ''))}" for e in block["elements"])
    return lines
