"""Options for the meeting page picker (the cached list of HubSpot pages) and for page questions
with more options than a Slack select holds (the page's cached options, searched as typed)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import blocks as ui
from bot.flow import BookingFlow
from handlers.payloads import form_from_view, meta_from_view


def register(app: AsyncApp) -> None:
    app.options(ui.MEETING_PAGE)(meeting_page_options)
    app.options(re.compile("^" + re.escape(ui.FORM_FIELD_PREFIX)))(form_field_options)


async def meeting_page_options(
    ack: AsyncAck, payload: dict[str, Any], context: dict[str, Any]
) -> None:
    flow: BookingFlow = context["services"].flow
    await ack(options=await flow.page_options(payload.get("value") or ""))


async def form_field_options(
    ack: AsyncAck, payload: dict[str, Any], context: dict[str, Any]
) -> None:
    flow: BookingFlow = context["services"].flow
    view = payload.get("view") or {}
    name = str(payload.get("action_id") or "").removeprefix(ui.FORM_FIELD_PREFIX)
    options = await flow.form_field_options(
        form_from_view(view), meta_from_view(view), name, payload.get("value") or ""
    )
    await ack(options=options)
