"""Modal submission: validate fast, ack with "Booking…", book after the ack, show the result."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks as ui
from bot.flow import BookingFlow
from bot.followup import Followup
from bot.store import StoreError
from bot.work_queue import BOOKING, queued_as
from handlers.payloads import form_from_view, meta_from_view, response_url_of

log = logging.getLogger("handlers.views")


def register(app: AsyncApp) -> None:
    app.view(ui.MODAL_CALLBACK_ID)(submit_booking)


@queued_as(BOOKING)
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
    services = context["services"]
    followup = Followup(
        meta=meta,
        form=form,
        view_id=view["id"],
        response_url=response_url_of(body),
        enterprise_id=context.get("enterprise_id"),
    )
    try:
        outcome = await flow.book(checked.submission, meta, followup=followup.to_json())
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
    # The modal, the card and the reminder: recorded with the outcome, done now, and
    # resumed by the next start if this process stops first (bot/followup.py).
    await services.followups.after_booking(outcome, followup, client)
