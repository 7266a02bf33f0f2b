"""/book: open the booking modal at once, then fill in what needs HubSpot."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow, FormValues, RequestMeta
from bot.work_queue import OPEN, PREVIEW, queued_as, requeue_as
from handlers.payloads import meta_from_body
from handlers.people import person_profile_soon

log = logging.getLogger("handlers.commands")

# How long the modal waits for the person's saved preferences before opening without them.
PREFERENCES_WAIT_SECONDS = 0.1


def register(app: AsyncApp) -> None:
    app.command("/book")(book_command)


@queued_as(OPEN)
async def book_command(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: dict[str, Any],
) -> None:
    await ack()
    flow: BookingFlow = context["services"].flow
    # The trigger lives 3 s: a slow users.info must not hold views.open (it fills in later).
    profile, pending = await person_profile_soon(client, command["user_id"], flow)
    meta = meta_from_body(command, profile)
    text = command.get("text") or ""
    too_long = flow.too_long(text, meta)
    if too_long is not None:  # refused before any parsing
        await respond(response_type="ephemeral", text=too_long)
        return
    subcommand = flow.subcommand(text)
    if subcommand is not None and pending is not None:  # no trigger to spend: answer right
        meta = _with_profile(meta, await pending)
    if subcommand == "help":
        await respond(response_type="ephemeral", **flow.help_message(meta))
        return
    if subcommand == "list":
        await respond(response_type="ephemeral", **await flow.list_message(meta))
        return
    await open_modal(
        client,
        flow,
        meta,
        text,
        trigger_id=command["trigger_id"],
        respond=respond,
        later_profile=pending,
    )


def _with_profile(meta: RequestMeta, profile: tuple[str | None, str | None]) -> RequestMeta:
    tz, locale = profile
    return replace(meta, tz=tz or meta.tz, locale=locale or meta.locale)


async def open_modal(
    client: AsyncWebClient,
    flow: BookingFlow,
    meta: RequestMeta,
    text: str,
    *,
    trigger_id: str,
    respond: AsyncRespond | None = None,
    from_message: bool = False,
    prefill: Callable[[FormValues], FormValues] | None = None,
    later_profile: Awaitable[tuple[str | None, str | None]] | None = None,
) -> None:
    """views.open first (the trigger expires in 3 s) from what is known at once, then
    views.update with the rest: the person's profile when users.info was slow
    (`later_profile`), preferences the database was slow to give, and HubSpot's details.
    `text` is what followed /book, or (from_message) a whole Slack message to read; `prefill`
    adjusts the pre-filled form (an unfurl's Book button sets its page)."""
    complete = True
    if from_message:
        form = await flow.prefill_from_message(text, meta)
    else:
        form, complete = await flow.quick_prefill(text, meta, within=PREFERENCES_WAIT_SECONDS)
    if prefill is not None:
        form = prefill(form)
    try:
        opened = await client.views_open(trigger_id=trigger_id, view=flow.quick_form(form, meta))
    except SlackApiError as error:
        log.warning("views.open failed: %s", error.response.get("error"))
        if respond is not None:
            await respond(response_type="ephemeral", text=flow.text(meta, "error.modal_expired"))
        return
    view = opened["view"]
    # Opened before its trigger expired: filling in the form is a preview's work, and the next
    # person's modal (whose trigger is running out) goes first.
    await requeue_as(PREVIEW)
    if later_profile is not None:
        meta = _with_profile(meta, await later_profile)
        complete = False
    if not complete:
        form = await (flow.prefill_from_message if from_message else flow.prefill)(text, meta)
        if prefill is not None:
            form = prefill(form)
    full = await flow.full_form(form, meta)
    try:
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=full)
    except SlackApiError as error:
        # hash_conflict: the person already changed something; their own update wins.
        log.info("views.update after open skipped: %s", error.response.get("error"))
