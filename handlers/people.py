"""Who is asking: their Slack time zone and locale (users.info), bounded in time."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow
from handlers.payloads import user_profile

log = logging.getLogger("handlers.people")

# The trigger_id lives 3 s; users.info must not eat that window.
PROFILE_TIMEOUT_SECONDS = 1.2


async def person_profile(
    client: AsyncWebClient, user_id: str, flow: BookingFlow
) -> tuple[str | None, str | None]:
    """(time zone, locale) from Slack; falls back to the person's saved preferences."""
    try:
        answer = await asyncio.wait_for(
            client.users_info(user=user_id, include_locale=True), PROFILE_TIMEOUT_SECONDS
        )
        return user_profile(answer.data)  # type: ignore[arg-type]
    except (TimeoutError, SlackApiError) as error:
        log.info("users.info unavailable (%s); using saved preferences", type(error).__name__)
        return None, None
