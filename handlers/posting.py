"""Slack file delivery for listeners; the card and reminder posting lives in bot/posting.py."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import CalendarFile
from bot.posting import Posted, post_card, schedule_reminder

__all__ = ["Posted", "post_card", "schedule_reminder", "send_file_by_dm"]


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
