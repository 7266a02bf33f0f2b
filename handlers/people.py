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
    """(time zone, locale) from Slack; else the last known (or (None, None): the person's
    saved preferences are used). Within BOOKBOT_PROFILE_TTL_SECONDS of Slack's last answer for
    this person that answer is used without asking again."""
    fresh = flow.fresh_profile(user_id)
    if fresh is not None:
        return fresh
    try:
        answer = await asyncio.wait_for(
            client.users_info(user=user_id, include_locale=True), PROFILE_TIMEOUT_SECONDS
        )
    except (TimeoutError, SlackApiError) as error:
        log.info("users.info unavailable (%s); using what is known", type(error).__name__)
        return flow.cached_profile(user_id)
    tz, locale = user_profile(answer.data)  # type: ignore[arg-type]
    flow.remember_profile(user_id, tz, locale)
    return tz, locale


# How long a /book waits for users.info before opening the modal from what is known.
PROFILE_WAIT_SECONDS = 0.2

Profile = tuple[str | None, str | None]


async def person_profile_soon(
    client: AsyncWebClient, user_id: str, flow: BookingFlow, *, within: float = PROFILE_WAIT_SECONDS
) -> tuple[Profile, asyncio.Future[Profile] | None]:
    """The profile if users.info answers `within` seconds, else the last known one and the
    pending answer (to fill the modal in once it comes)."""
    pending = asyncio.ensure_future(person_profile(client, user_id, flow))
    done, _ = await asyncio.wait({pending}, timeout=within)
    if pending in done:
        return pending.result(), None
    return flow.cached_profile(user_id), pending
