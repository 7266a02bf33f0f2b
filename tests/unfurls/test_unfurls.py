"""Pasted HubSpot meeting links, end to end: Slack's link_shared over signed HTTP into the real
Bolt app, the sandbox's HubSpot, chat.unfurl as the Slack double receives it, and the unfurl's
Book button opening the booking form."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block

from bot.devtools.slack_double_functions import RecordedUnfurl
from bot.unfurls import page_for_link
from tests.conftest import CHANNEL, NOW, PERSON, FaultBooker, closed_port, start_booker

DEMO_LINK = "https://meetings.hubspot.com/demo"
LOCALES = ("en-US", "pt-BR", "es-ES")
NEW_YORK = ZoneInfo("America/New_York")


async def share(booker: FaultBooker, *urls: str, source: str = "conversations_history") -> None:
    body = booker.double.links.share_links(urls, channel=CHANNEL, user=PERSON, source=source)
    answer = await booker.slack.send_event_body(body)
    assert answer.status_code == 200


def unfurl_text(unfurl: RecordedUnfurl) -> str:
    return str(unfurl.unfurl["blocks"])


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_pasted_link_of_the_workspaces_page_unfurls_with_free_slots(
    tmp_path: Path, locale: str
) -> None:
    async with start_booker(tmp_path, locale=locale) as booker:
        await share(booker, DEMO_LINK)
        await booker.until(lambda: bool(booker.double.links.unfurls))

        (unfurl,) = booker.double.links.unfurls
        assert unfurl.url == DEMO_LINK and unfurl.channel == CHANNEL
        for block in unfurl.unfurl["blocks"]:
            Block.parse(block).validate_json()  # type: ignore[union-attr]
        t = booker.services.catalog.for_locale(locale)
        text = unfurl_text(unfurl)
        assert "*Product Demo*" in text
        assert t.t("unfurl.organizer", name="Dana Whitaker") in text
        durations = ", ".join(t.format_duration(m) for m in (15, 30, 60))
        assert t.t("unfurl.durations", durations=durations) in text
        # Next free slots as <!date^…> tokens: each viewer sees them in their own zone.
        stamps = [int(s) for s in re.findall(r"<!date\^(\d+)\^", text)]
        assert len(stamps) == 3 and stamps == sorted(stamps)
        for stamp in stamps:
            local = datetime.fromtimestamp(stamp, tz=UTC).astimezone(NEW_YORK)
            assert local > NOW and local.weekday() < 5 and 9 <= local.hour < 17
        book = next(
            element
            for block in unfurl.unfurl["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
        )
        assert book["action_id"] == "unfurl_book" and book["value"] == "demo"
        assert book["text"]["text"] == t.t("unfurl.book")


async def test_links_typed_in_the_composer_and_regional_hosts_unfurl(tmp_path: Path) -> None:
    async with start_booker(tmp_path) as booker:
        await share(booker, "https://meetings-eu1.hubspot.com/demo/", source="composer")
        await booker.until(lambda: bool(booker.double.links.unfurls))
        (call,) = booker.double.calls_to("chat.unfurl")
        assert call.params["source"] == "composer" and call.params["unfurl_id"]
        assert "*Product Demo*" in unfurl_text(booker.double.links.unfurls[0])


async def test_a_link_to_another_accounts_page_is_left_alone(tmp_path: Path) -> None:
    async with start_booker(tmp_path) as booker:
        others = (
            "https://meetings.hubspot.com/someone-at-another-company",
            "https://meetings.hubspot.com/someone/demo",
            "https://evil.example.com/demo",
        )
        await share(booker, *others)
        # Booker looked at the links (it asked who shared them), and unfurled none.
        await booker.until(lambda: bool(booker.double.calls_to("users.info")))
        await booker.until(lambda: bool(booker.services.pages.cached_pages()))
        await share(booker, DEMO_LINK)
        await booker.until(lambda: bool(booker.double.links.unfurls))
        assert [u.url for u in booker.double.links.unfurls] == [DEMO_LINK]
        assert len(booker.double.calls_to("chat.unfurl")) == 1


def test_only_the_accounts_own_pages_match() -> None:
    from bot.hubspot.models import MeetingLink

    page = MeetingLink.model_validate(
        {
            "id": "1",
            "slug": "demo",
            "link": "https://meet.acme.example/demo",
            "type": "PERSONAL_LINK",
            "organizerUserId": "7",
            "defaultLink": True,
            "createdAt": "2026-01-01T00:00:00Z",
            "userIdsOfLinkMembers": ["7"],
        }
    )
    assert page_for_link("https://meet.acme.example/demo?x=1", [page]) is page
    assert page_for_link("https://meet.acme.example/demo/", [page]) is page
    # Same slug on HubSpot's host is another account's page: the account's link is its own.
    assert page_for_link("https://meetings.hubspot.com/demo", [page]) is None
    assert page_for_link("https://meet.acme.example/other", [page]) is None
    assert page_for_link("javascript:alert(1)", [page]) is None


async def test_the_book_button_opens_the_form_on_that_page_and_books(tmp_path: Path) -> None:
    async with start_booker(tmp_path) as booker:
        booker.double.add_user("U0OTHER", tz="Europe/Madrid", locale="es-ES", name="Lucía")
        await share(booker, DEMO_LINK)
        await booker.until(lambda: bool(booker.double.links.unfurls))
        click = booker.double.links.unfurl_block_actions_payload(
            booker.double.links.unfurls[0], "unfurl_book", user_id="U0OTHER"
        )
        answer = await booker.slack.send_interaction(click)
        assert answer.status_code == 200
        await booker.until(lambda: bool(booker.double.calls_to("views.update")))

        opened = booker.double.calls_to("views.open")[0].params["view"]
        view = booker.view()
        for modal in (opened, view):
            inputs = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
            page = inputs["meeting_page"]["element"]["initial_option"]
            assert page["value"] == "demo" and page["text"]["text"] == "Product Demo"
            assert inputs["post_to"]["element"]["initial_conversation"] == CHANNEL
        # The clicker's own language and zone, not the sharer's.
        assert view["title"]["text"] == booker.services.catalog.for_locale("es-ES").t("modal.title")
        answers: dict[str, Any] = {
            "when": "mañana a las 16",
            "guest_email": "ana@acme.example",
            "guest_first_name": "Ana",
            "guest_last_name": "Lima",
        }
        booker.slack.user_id = "U0OTHER"
        ack = await booker.submit(view, answers)
        assert ack.get("response_action") == "update", ack
        card = (await booker.posted())[0]
        assert card["channel"] == CHANNEL
        assert booker.sandbox.book_calls == 1
        assert booker.sandbox.bookings[0]["slug"] == "demo"


async def test_hubspot_down_means_no_unfurl_and_nothing_logged_above_info(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(
        tmp_path, hubspot="url", hubspot_base_url=f"http://127.0.0.1:{closed_port()}"
    ) as booker:
        caplog.clear()
        caplog.set_level(logging.DEBUG)
        await share(booker, DEMO_LINK)
        await booker.until(
            lambda: any("no unfurl" in record.getMessage() for record in caplog.records)
        )
        assert booker.double.calls_to("chat.unfurl") == []
        loud = [r for r in caplog.records if r.levelno > logging.INFO]
        assert loud == [], [(r.name, r.getMessage()) for r in loud]
