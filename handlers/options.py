"""Options for the meeting page picker, from the cached list of HubSpot pages."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.flow import BookingFlow


def register(app: AsyncApp) -> None:
    app.options("meeting_page")(meeting_page_options)


async def meeting_page_options(
    ack: AsyncAck, payload: dict[str, Any], context: dict[str, Any]
) -> None:
    flow: BookingFlow = context["services"].flow
    await ack(options=await flow.page_options(payload.get("value") or ""))
