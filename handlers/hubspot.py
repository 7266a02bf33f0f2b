"""The "Connect HubSpot" url button: the browser opens the link; Slack still wants an ack."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.blocks import HUBSPOT_CONNECT_ACTION_ID


def register(app: AsyncApp) -> None:
    app.action(HUBSPOT_CONNECT_ACTION_ID)(acknowledge)


async def acknowledge(ack: AsyncAck) -> None:
    await ack()
