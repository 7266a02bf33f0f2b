"""App Home: the person's upcoming bookings and a button that opens the booking modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow, RequestMeta
from handlers.commands import open_modal
from handlers.people import person_profile, person_profile_soon


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(publish_home)
    app.action("open_booking_modal")(open_from_home)


async def publish_home(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    if event.get("tab") not in (None, "home"):
        return
    flow: BookingFlow = context["services"].flow
    tz, locale = await person_profile(client, event["user"], flow)
    meta = RequestMeta(
        team_id=body.get("team_id") or "",
        user_id=event["user"],
        channel_id=None,
        thread_ts=None,
        tz=tz,
        locale=locale,
    )
    await client.views_publish(user_id=event["user"], view=await flow.home_view(meta))


async def open_from_home(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    await ack()
    flow: BookingFlow = context["services"].flow
    user_id = body["user"]["id"]
    (tz, locale), pending = await person_profile_soon(client, user_id, flow)
    meta = RequestMeta(
        team_id=(body.get("team") or {}).get("id") or "",
        user_id=user_id,
        channel_id=None,
        thread_ts=None,
        tz=tz,
        locale=locale,
    )
    await open_modal(client, flow, meta, "", trigger_id=body["trigger_id"], later_profile=pending)
