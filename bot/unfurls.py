"""HubSpot meeting links pasted in Slack: which page a link is, and what its unfurl shows.

A link is unfurled only when it is one of the meeting pages of the workspace's own HubSpot
account (the account's page list, `GET /meeting-links`): a link to another account's page is
never looked up, so nothing of it can leak. HubSpot unreachable or refusing: no unfurl (Slack
then shows the link as it is), logged at INFO.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.flow import BookingFlow, FormValues
from bot.hubspot import errors as hs
from bot.hubspot.client import quiet_failures
from bot.hubspot.models import BookingInfo, MeetingLink
from bot.i18n import Translator
from bot.meeting_pages import page_label
from bot.unfurl_blocks import PageUnfurl, unfurl_blocks

log = logging.getLogger("bot.unfurls")

# The hosts HubSpot serves meeting pages on (NA1 and the regional data centres). manifest.yml
# lists the same ones under features.unfurl_domains; an account's custom domain is matched
# through the page's own link (add that domain to the manifest to receive its links).
HUBSPOT_MEETING_HOSTS = frozenset(
    {
        "meetings.hubspot.com",
        "meetings-eu1.hubspot.com",
        "meetings-na2.hubspot.com",
        "meetings-ap1.hubspot.com",
    }
)
NEXT_SLOTS = 3
URL_MAX = 2000


def link_address(url: str) -> tuple[str, str] | None:
    """(host, path) of an http(s) link, lower-case host, no trailing slash; None otherwise."""
    if not url or len(url) > URL_MAX:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if not path:
        return None
    return host, path


def page_for_link(url: str, pages: list[MeetingLink]) -> MeetingLink | None:
    """The account's page that `url` shows: same host and path as the page's own link; on
    HubSpot's own hosts the path is enough (one slug namespace across regions)."""
    wanted = link_address(url)
    if wanted is None:
        return None
    for page in pages:
        own = link_address(page.link)
        if own is None:
            continue
        if own == wanted:
            return page
        if (
            own[0] in HUBSPOT_MEETING_HOSTS
            and wanted[0] in HUBSPOT_MEETING_HOSTS
            and own[1].casefold() == wanted[1].casefold()
        ):
            return page
    return None


def organizer_name(page: MeetingLink, info: BookingInfo) -> str:
    for busy in info.all_users_busy_times:
        user = busy.meetings_user
        if user.user_id == page.organizer_user_id:
            profile = user.user_profile
            full = profile.full_name or " ".join(
                part for part in (profile.first_name, profile.last_name) if part
            )
            return full.strip()
    return ""


@dataclass(frozen=True)
class Unfurled:
    url: str
    slug: str
    unfurl: dict[str, Any]


class LinkUnfurler:
    """Builds chat.unfurl's `unfurls` entries through the flow's page cache and booking service."""

    def __init__(self, flow: BookingFlow) -> None:
        self.flow = flow

    async def unfurl(self, url: str, t: Translator) -> Unfurled | None:
        try:
            with quiet_failures():
                return await self._unfurl(url, t)
        except hs.HubSpotError as error:
            log.info("no unfurl: HubSpot did not answer (%s)", type(error).__name__)
            return None

    async def _unfurl(self, url: str, t: Translator) -> Unfurled | None:
        page = page_for_link(url, await self.flow.pages.pages())
        if page is None:
            return None
        info = await self.flow.pages.details(page.slug, "UTC")
        durations = info.durations_minutes or [30]
        now = self.flow.booking.clock()
        slots = await self.flow.booking.free_slots(
            page.slug, tz="UTC", duration_minutes=durations[0], around=now
        )
        if len(slots) < NEXT_SLOTS:  # the month is nearly over: the next one's first slots too
            slots += await self.flow.booking.free_slots(
                page.slug,
                tz="UTC",
                duration_minutes=durations[0],
                around=now.replace(day=1) + timedelta(days=32),
            )
        card = PageUnfurl(
            url=url,
            slug=page.slug,
            name=page_label(page),
            organizer=organizer_name(page, info),
            durations_minutes=tuple(durations),
            next_slots=tuple(slot.start for slot in slots[:NEXT_SLOTS]),
        )
        return Unfurled(url=url, slug=page.slug, unfurl={"blocks": unfurl_blocks(t, card)})


def with_page(form: FormValues, slug: str, pages: list[MeetingLink]) -> FormValues:
    """The booking form pre-filled with the unfurled page (the Book button's value); a slug the
    account does not list is left out, so a forged button pre-fills nothing."""
    page = next((page for page in pages if page.slug == slug), None)
    if page is None:
        return form
    return replace(form, slug=page.slug, page_name=page_label(page))
