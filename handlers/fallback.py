"""Registered last: acknowledge clicks no other listener claims.

A button on a card an older Booker posted, or one Slack sends that we never asked for, must not
leave a warning triangle beside it (Bolt would answer 404 "unhandled request").
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

log = logging.getLogger("handlers.fallback")

ANY_ID = re.compile(".*")


def register(app: AsyncApp) -> None:
    app.action(ANY_ID)(acknowledge_unknown_click)


async def acknowledge_unknown_click(ack: AsyncAck, action: dict[str, Any]) -> None:
    await ack()
    log.info("acknowledged a click no listener handles: %s", str(action.get("action_id"))[:64])
