"""Post the booking card where the person asked; never drop a confirmation silently.

Used by the submission's listener right after HubSpot's answer and by the after-ack steps a
restart resumes (bot/followup.py), so it lives in bot/ and speaks slack_sdk only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.booking import BookingOutcome
from bot.flow import BookingFlow, Reminder, RequestMeta

log = logging.getLogger("bot.posting")


@dataclass(frozen=True)
class Posted:
    channel: str | None
    ts: str | None
    where: str  # "channel", "response_url", "dm", "nowhere"
    thread_ts: str | None = None


# Slack refuses these blocks wherever they go; the card's fallback text alone still confirms.
_BLOCKS_REFUSED: frozenset[str] = frozenset({"invalid_blocks", "invalid_blocks_format"})


async def _post(
    client: AsyncWebClient,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]],
    thread_ts: str | None,
) -> Posted:
    try:
        answer = await client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, thread_ts=thread_ts, unfurl_links=False
        )
    except SlackApiError as error:
        if error.response.get("error") not in _BLOCKS_REFUSED:
            raise
        log.warning("chat.postMessage to %s refused the card's blocks; posting its text", channel)
        answer = await client.chat_postMessage(
            channel=channel, text=text, thread_ts=thread_ts, unfurl_links=False
        )
    return Posted(answer.get("channel"), answer.get("ts"), "channel", thread_ts)


async def post_card(
    client: AsyncWebClient,
    *,
    channel: str | None,
    text: str,
    blocks: list[dict[str, Any]],
    thread_ts: str | None,
    booker_id: str,
    response_url: str | None,
    could_not_post: str,
) -> Posted:
    """chat.postMessage (chat:write.public reaches public channels without joining); where the
    bot cannot post, the modal's response URL; else a DM to the booker saying where it failed."""
    if channel:
        try:
            return await _post(client, channel, text, blocks, thread_ts)
        except SlackApiError as error:
            code = error.response.get("error")
            # Whatever the reason, the confirmation still reaches the booker below.
            log.warning("chat.postMessage to %s failed: %s", channel, code)
    if response_url:
        webhook = AsyncWebhookClient(response_url)
        answer = await webhook.send(text=text, blocks=blocks, response_type="in_channel")
        if answer.status_code == 200:
            return Posted(channel, None, "response_url")
        log.info("response_url post failed: %s", answer.status_code)
    opened = await client.conversations_open(users=booker_id)
    dm = opened["channel"]["id"]
    await client.chat_postMessage(channel=dm, text=could_not_post, unfurl_links=False)
    posted = await _post(client, dm, text, blocks, None)
    return Posted(posted.channel, posted.ts, "dm")


async def schedule_reminder(
    client: AsyncWebClient,
    flow: BookingFlow,
    outcome: BookingOutcome,
    meta: RequestMeta,
    posted: Posted,
    minutes: int,
) -> None:
    """chat.scheduleMessage the reminder beside the card (same channel, same thread). Slack
    schedules only where the bot is a member (chat:write.public covers posting, not
    scheduling): then Booker joins the channel when it may (channels:join), else the reminder
    goes to the booker by DM; the card's thread says which. Best effort: the booking stands."""
    if posted.where not in ("channel", "dm") or not posted.channel:
        return
    reminder = flow.reminder(outcome, meta, minutes)
    if reminder is None:
        return
    channel = posted.channel
    scheduled_id, code = await _schedule(client, channel, reminder, posted.thread_ts)
    note: str | None = None
    if scheduled_id is None and posted.where == "channel":
        if code == "not_in_channel" and await _join(client, channel):
            scheduled_id, code = await _schedule(client, channel, reminder, posted.thread_ts)
            note = (
                flow.text(meta, "reminder.moved.joined", minutes=minutes) if scheduled_id else None
            )
        if scheduled_id is None and code in ("not_in_channel", "restricted_too_many"):
            dm = await _dm_with(client, meta.user_id)
            if dm is not None:
                scheduled_id, code = await _schedule(client, dm, reminder, None)
            if scheduled_id is not None:
                note = flow.text(meta, "reminder.moved.dm", user=meta.user_id, minutes=minutes)
        if code == "time_too_far":
            note = flow.text(meta, "reminder.moved.too_far")
    if note is not None and posted.ts:
        await _say_in_thread(client, channel, posted.thread_ts or posted.ts, note)
    if scheduled_id is not None:
        await flow.reminder_scheduled(outcome, scheduled_id, reminder.post_at)


async def _schedule(
    client: AsyncWebClient, channel: str, reminder: Reminder, thread_ts: str | None
) -> tuple[str | None, str | None]:
    """(scheduled message id, None), or (None, Slack's error code or the failure's name)."""
    try:
        answer = await client.chat_scheduleMessage(
            channel=channel,
            post_at=int(reminder.post_at.timestamp()),
            text=reminder.text,
            blocks=reminder.blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
        )
    except SlackApiError as error:
        code = str(error.response.get("error"))
        log.warning("chat.scheduleMessage in %s failed: %s", channel, code)
        return None, code
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("chat.scheduleMessage in %s failed: %s", channel, type(error).__name__)
        return None, type(error).__name__
    scheduled_id = answer.get("scheduled_message_id")
    return (scheduled_id, None) if isinstance(scheduled_id, str) and scheduled_id else (None, None)


async def _join(client: AsyncWebClient, channel: str) -> bool:
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as error:
        # missing_scope (no channels:join), private or archived channel, ...
        log.info("conversations.join %s refused: %s", channel, error.response.get("error"))
        return False
    except (aiohttp.ClientError, TimeoutError) as error:
        log.info("conversations.join %s failed: %s", channel, type(error).__name__)
        return False
    return True


async def _dm_with(client: AsyncWebClient, user_id: str) -> str | None:
    try:
        opened = await client.conversations_open(users=user_id)
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not open a DM for the reminder: %s", type(error).__name__)
        return None
    return str(opened["channel"]["id"])


async def _say_in_thread(client: AsyncWebClient, channel: str, thread_ts: str, text: str) -> None:
    try:
        await client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=text, unfurl_links=False
        )
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not say where the reminder went: %s", type(error).__name__)
