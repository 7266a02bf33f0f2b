"""Modal submission: validate fast, ack with "Booking…", book after the ack, show the result."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks as ui
from bot.flow import BookingFlow
from bot.store import StoreError
from handlers.payloads import form_from_view, meta_from_view, response_url_of
from handlers.posting import post_card, schedule_reminder

log = logging.getLogger("handlers.views")


def register(app: AsyncApp) -> None:
    app.view(ui.MODAL_CALLBACK_ID)(submit_booking)


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
    try:
        outcome = await flow.book(checked.submission, meta)
    except StoreError as error:
        # The ledger could not record the submission, so HubSpot was not called: say so, and
        # keep the form one click away.
        log.warning("booking not started, the ledger is unavailable: %s", error)
        t = flow.translator(meta)
        failed = ui.error_modal(
            t, t.t("error.store_unavailable"), back_metadata=flow.back_metadata(form, meta)
        )
        try:
            await client.views_update(view_id=view["id"], view=failed)
        except SlackApiError as slack_error:
            log.info("result views.update failed: %s", slack_error.response.get("error"))
        return
    try:
        result = await flow.result_view(outcome, form, meta)
        await client.views_update(view_id=view["id"], view=result)
    except SlackApiError as error:
        log.info("result views.update failed: %s", error.response.get("error"))
    if outcome.status != "booked" or outcome.duplicate:
        return
    text, blocks = flow.card(outcome, meta)
    try:
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
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        # The modal already shows the booking with its Join button: nothing is lost.
        code = error.response.get("error") if isinstance(error, SlackApiError) else None
        log.warning(
            "the booking card could not be posted anywhere: %s", code or type(error).__name__
        )
        return
    await flow.card_posted(outcome, posted.channel, posted.ts)
    minutes = context["services"].settings.reminder_minutes
    await schedule_reminder(client, flow, outcome, meta, posted, minutes)
