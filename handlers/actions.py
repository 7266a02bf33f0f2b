"""Clicks and picks inside the modal and on the card; every one is acknowledged."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks as ui
from bot.flow import BookingFlow, FormValues, RequestMeta
from bot.work_queue import BOOKING, OTHER, PREVIEW, queued_as
from handlers.payloads import form_from_view, meta_from_body, meta_from_view
from handlers.people import person_profile
from handlers.posting import send_file_by_dm

log = logging.getLogger("handlers.actions")

# Inputs whose change alters the preview (what the words mean, whether the slot is free).
REFRESHING_ACTIONS = ui.DISPATCHING_ACTION_IDS


def register(app: AsyncApp) -> None:
    for action_id in REFRESHING_ACTIONS:
        app.action(action_id)(refresh_modal)
    app.action(ui.PICK_SLOT_ACTION_PATTERN)(pick_suggested_time)
    app.action(ui.BACK_TO_FORM_ACTION_ID)(back_to_form)
    app.action(ui.CHECK_AGAIN_ACTION_ID)(check_again)
    app.action(ui.JOIN_ACTION_ID)(join_meeting)
    app.action(ui.ADD_TO_CALENDAR_ACTION_ID)(add_to_calendar)


async def _update(client: AsyncWebClient, view: dict[str, Any], new_view: dict[str, Any]) -> None:
    try:
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)
    except SlackApiError as error:
        # hash_conflict means a newer update is already on its way: nothing is lost.
        log.info("views.update skipped: %s", error.response.get("error"))


async def _rerender(
    client: AsyncWebClient,
    flow: BookingFlow,
    view: dict[str, Any],
    form: FormValues,
    meta: RequestMeta,
) -> None:
    await _update(client, view, await flow.full_form(form, meta))


def _over_budget(body: dict[str, Any], context: dict[str, Any]) -> bool:
    """Whether the person clicking (this request's own team and user) has spent their budget of
    HubSpot-bound interactions for now (bot/budget.py)."""
    budget = context["services"].budget
    if budget is None:
        return False
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return not budget.take(str(team), str(user.get("id") or ""))


async def _slow_down(client: AsyncWebClient, flow: BookingFlow, view: dict[str, Any]) -> None:
    await _update(client, view, flow.slow_down_view(view, meta_from_view(view)))


@queued_as(PREVIEW)
async def refresh_modal(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    await ack()
    view = body["view"]
    if _over_budget(body, context):
        await _slow_down(client, context["services"].flow, view)
        return
    await _rerender(
        client, context["services"].flow, view, form_from_view(view), meta_from_view(view)
    )


@queued_as(PREVIEW)
async def pick_suggested_time(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: dict[str, Any],
) -> None:
    await ack()
    view = body["view"]
    flow: BookingFlow = context["services"].flow
    if _over_budget(body, context):
        await _slow_down(client, flow, view)
        return
    form, meta = flow.with_picked_time(
        form_from_view(view), action.get("value") or "", meta_from_view(view)
    )
    await _rerender(client, flow, view, form, meta)


@queued_as(PREVIEW)
async def back_to_form(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: dict[str, Any],
) -> None:
    await ack()
    view = body["view"]
    flow: BookingFlow = context["services"].flow
    form, meta = flow.restore(view.get("private_metadata") or "")
    await _rerender(client, flow, view, form, meta)


@queued_as(BOOKING)
async def check_again(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: dict[str, Any],
) -> None:
    await ack()
    services = context["services"]
    flow: BookingFlow = services.flow
    key = str(action.get("value") or "")
    view = body.get("view")
    if _over_budget(body, context):
        # Asks HubSpot: counted in the person's budget like any other click that does.
        if view is not None:
            await _slow_down(client, flow, view)
        return
    user = body.get("user") or {}
    # The request's own workspace and person: only their own booking is checked again.
    team_id = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    user_id = str(user.get("id") or "")
    if view is not None:
        new_view = await flow.recheck_view(
            key, view.get("private_metadata") or "", team_id=team_id, user_id=user_id
        )
        await _update(client, view, new_view)
    else:
        # The DM the reconciler sent when the booking's modal was gone.
        meta = meta_from_body(body, await person_profile(client, user_id, flow))
        text, blocks = await flow.recheck_message(key, meta)
        await respond(text=text, blocks=blocks, replace_original=True)
    # Found booked: its card and reminder are now due, held by this process (App Home reads
    # the ledger each time it is opened).
    await services.followups.run_held(key, client)


async def join_meeting(ack: AsyncAck) -> None:
    """The button opens its URL in the browser; Slack still wants the click acknowledged."""
    await ack()


@queued_as(OTHER)
async def add_to_calendar(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: dict[str, Any],
) -> None:
    """Ack at once, then DM the clicker the booking's .ics; say why privately if that fails."""
    await ack()
    flow: BookingFlow = context["services"].flow
    user_id = body["user"]["id"]
    meta = meta_from_body(body, await person_profile(client, user_id, flow))
    made = await flow.calendar_file(str(action.get("value") or ""), meta)
    if isinstance(made, str):
        await _tell_privately(client, respond, body, user_id, made)
        return
    try:
        await send_file_by_dm(client, user_id, made)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        code = (
            error.response.get("error")
            if isinstance(error, SlackApiError)
            else type(error).__name__
        )
        log.warning("calendar file not sent: %s", code)
        await _tell_privately(client, respond, body, user_id, flow.text(meta, "calendar.failed"))


async def _tell_privately(
    client: AsyncWebClient,
    respond: AsyncRespond,
    body: dict[str, Any],
    user_id: str,
    text: str,
) -> None:
    """An ephemeral answer where the button was (response_url), else a DM; never raises."""
    try:
        if body.get("response_url"):
            await respond(text=text, response_type="ephemeral", replace_original=False)
            return
        opened = await client.conversations_open(users=user_id)
        await client.chat_postMessage(channel=opened["channel"]["id"], text=text)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not tell the person privately: %s", type(error).__name__)
