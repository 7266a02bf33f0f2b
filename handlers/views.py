"""Modal submission: validate fast, ack with "Booking…", book after the ack, show the result."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow
from handlers.payloads import form_from_view, meta_from_view, response_url_of
from handlers.posting import post_card, schedule_reminder

log = logging.getLogger("handlers.views")


def register(app: AsyncApp) -> None:
    app.view("book_meeting")(submit_booking)


async def submit_booking(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: dict[str, Any],
) -> None:
    flow: BookingFlow = context["services"].flow
    form = form_from_view(view)
    meta = meta_from_view(view)
    checked = await flow.validate(form, meta, view_id=view["id"])
    if checked.errors:
        await ack(response_action="errors", errors=checked.errors)
        return
    assert checked.submission is not None
    await ack(response_action="update", view=flow.progress_view(form, meta))
    outcome = await flow.book(checked.submission, meta)
    try:
        await client.views_update(view_id=view["id"], view=flow.result_view(outcome, form, meta))
    except SlackApiError as error:
        log.info("result views.update failed: %s", error.response.get("error"))
    if outcome.status != "booked" or outcome.duplicate:
        return
    text, blocks = flow.card(outcome, meta)
    posted = await post_card(
        client,
        channel=form.post_to or meta.channel_id,
        text=text,
        blocks=blocks,
        thread_ts=meta.thread_ts,
        booker_id=meta.user_id,
        response_url=response_url_of(body),
        could_not_post=flow.could_not_post(meta, form.post_to or meta.channel_id),
    )
    await flow.card_posted(outcome, posted.channel, posted.ts)
    minutes = context["services"].settings.reminder_minutes
    await schedule_reminder(client, flow, outcome, meta, posted, minutes)
