"""Pasted HubSpot meeting links: link_shared -> chat.unfurl, and the unfurl's Book button."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow
from bot.hubspot import errors as hs
from bot.unfurl_blocks import UNFURL_BOOK_ACTION_ID
from bot.unfurls import LinkUnfurler, with_page
from bot.work_queue import OPEN, OTHER, queued_as
from handlers.commands import open_modal
from handlers.payloads import meta_from_body
from handlers.people import person_profile

log = logging.getLogger("handlers.unfurls")

# Slack sends at most a handful of links per message; more are not looked up.
LINKS_MAX = 5
PAGES_WAIT_SECONDS = 1.0


def register(app: AsyncApp) -> None:
    app.event("link_shared")(unfurl_links)
    app.action(UNFURL_BOOK_ACTION_ID)(book_from_unfurl)


def _links(event: dict[str, Any]) -> list[str]:
    urls: list[str] = []
    for link in event.get("links") or []:
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str) and url not in urls:
            urls.append(url)
    return urls[:LINKS_MAX]


@queued_as(OTHER)
async def unfurl_links(
    event: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]
) -> None:
    """Runs after Bolt acked the event. Links Booker cannot resolve are left to Slack."""
    flow: BookingFlow = context["services"].flow
    urls = _links(event)
    if not urls:
        return
    user_id = event.get("user")
    _, locale = await person_profile(client, user_id, flow) if user_id else (None, None)
    t = flow.catalog.for_locale(locale)
    unfurler = LinkUnfurler(flow)
    unfurls: dict[str, dict[str, Any]] = {}
    for url in urls:
        found = await unfurler.unfurl(url, t)
        if found is not None:
            unfurls[url] = found.unfurl
    if not unfurls:
        return
    by_id = bool(event.get("unfurl_id") and event.get("source"))
    try:
        if by_id:
            await client.chat_unfurl(
                unfurl_id=event["unfurl_id"], source=event["source"], unfurls=unfurls
            )
        else:
            await client.chat_unfurl(
                channel=str(event.get("channel") or ""),
                ts=str(event.get("message_ts") or ""),
                unfurls=unfurls,
            )
    except SlackApiError as error:
        log.info("chat.unfurl refused: %s", error.response.get("error"))
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        log.info("chat.unfurl failed: %s", type(error).__name__)


@queued_as(OPEN)
async def book_from_unfurl(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    context: dict[str, Any],
) -> None:
    """The unfurl's Book button: the booking form, pre-filled with that page."""
    await ack()
    flow: BookingFlow = context["services"].flow
    user_id = body["user"]["id"]
    meta = meta_from_body(body, await person_profile(client, user_id, flow))
    slug = str(action.get("value") or "")
    pages = flow.pages.cached_pages()
    if not pages:
        try:  # bounded: the trigger expires 3 s after the click
            pages = await asyncio.wait_for(flow.pages.pages(), PAGES_WAIT_SECONDS)
        except (TimeoutError, hs.HubSpotError):
            pages = []
    await open_modal(
        client,
        flow,
        meta,
        "",
        trigger_id=body["trigger_id"],
        prefill=lambda form: with_page(form, slug, pages),
    )
