"""App Home: the person's upcoming bookings and a button that opens the booking modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks as ui
from bot.flow import BookingFlow
from bot.work_queue import HOME, OPEN, queued_as
from handlers.commands import open_modal
from handlers.payloads import meta_from_body
from handlers.people import person_profile, person_profile_soon


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(publish_home)
    app.action(ui.HOME_BOOK_ACTION_ID)(open_from_home)


@queued_as(HOME)
async def publish_home(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    if event.get("tab") not in (None, "home"):
        return
    flow: BookingFlow = context["services"].flow
    profile = await person_profile(client, event["user"], flow)
    meta = meta_from_body(body, profile, user_id=event["user"], in_channel=False)
    await client.views_publish(user_id=event["user"], view=await flow.home_view(meta))


@queued_as(OPEN)
async def open_from_home(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    await ack()
    flow: BookingFlow = context["services"].flow
    user_id = body["user"]["id"]
    profile, pending = await person_profile_soon(client, user_id, flow)
    meta = meta_from_body(body, profile, in_channel=False)
    await open_modal(client, flow, meta, "", trigger_id=body["trigger_id"], later_profile=pending)
