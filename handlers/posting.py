"""Post the booking card where the person asked; never drop a confirmation silently."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.booking import BookingOutcome
from bot.flow import BookingFlow, CalendarFile, RequestMeta

log = logging.getLogger("handlers.posting")


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
    """chat.scheduleMessage the reminder beside the card (same channel, same thread). Best
    effort: a refusal is logged (code only) and the booking stands as it is."""
    if posted.where not in ("channel", "dm") or not posted.channel:
        return
    reminder = flow.reminder(outcome, meta, minutes)
    if reminder is None:
        return
    try:
        answer = await client.chat_scheduleMessage(
            channel=posted.channel,
            post_at=int(reminder.post_at.timestamp()),
            text=reminder.text,
            blocks=reminder.blocks,
            thread_ts=posted.thread_ts,
            unfurl_links=False,
        )
    except SlackApiError as error:
        log.warning(
            "chat.scheduleMessage in %s failed: %s", posted.channel, error.response.get("error")
        )
        return
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("chat.scheduleMessage in %s failed: %s", posted.channel, type(error).__name__)
        return
    scheduled_id = answer.get("scheduled_message_id")
    if isinstance(scheduled_id, str) and scheduled_id:
        await flow.reminder_scheduled(outcome, scheduled_id, reminder.post_at)


async def send_file_by_dm(client: AsyncWebClient, user_id: str, calendar: CalendarFile) -> str:
    """conversations.open with the person, then Slack's external upload into that DM
    (files.getUploadURLExternal, the bytes to its URL, files.completeUploadExternal).
    Returns the DM's channel id; Slack's errors propagate (SlackClientError)."""
    opened = await client.conversations_open(users=user_id)
    dm = str(opened["channel"]["id"])
    await client.files_upload_v2(
        channel=dm,
        content=calendar.content,
        filename=calendar.filename,
        title=calendar.title,
        initial_comment=calendar.comment,
    )
    return dm
