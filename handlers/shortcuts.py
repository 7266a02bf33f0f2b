"""Message shortcut "Book a meeting": a modal pre-filled from a message, the card in its thread."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow
from bot.work_queue import OPEN, queued_as
from handlers.commands import open_modal
from handlers.payloads import meta_from_body
from handlers.people import person_profile_soon

BOOK_FROM_MESSAGE = "book_from_message"


def register(app: AsyncApp) -> None:
    app.message_shortcut(BOOK_FROM_MESSAGE)(book_from_message)


@queued_as(OPEN)
async def book_from_message(
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: dict[str, Any],
) -> None:
    await ack()
    flow: BookingFlow = context["services"].flow
    user_id = body["user"]["id"]
    message = body.get("message") or {}
    profile, pending = await person_profile_soon(client, user_id, flow)
    # A reply in a thread continues that thread; a top-level message starts one.
    meta = meta_from_body(body, profile, thread_ts=message.get("thread_ts") or message.get("ts"))
    await open_modal(
        client,
        flow,
        meta,
        str(message.get("text") or ""),
        trigger_id=body["trigger_id"],
        respond=respond if body.get("response_url") else None,
        from_message=True,
        later_profile=pending,
    )
