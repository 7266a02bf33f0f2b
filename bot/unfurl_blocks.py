"""Block Kit for a pasted HubSpot meeting link's unfurl: pure functions, like bot/blocks.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks import _button, _context, _section, escape_mrkdwn, slack_date, truncate
from bot.i18n import Translator

UNFURL_BOOK_ACTION_ID = "unfurl_book"
UNFURL_ACTIONS_BLOCK = "unfurl_actions"


@dataclass(frozen=True)
class PageUnfurl:
    """What a meeting link's unfurl shows (the page is the workspace's own HubSpot page)."""

    url: str
    slug: str
    name: str
    organizer: str
    durations_minutes: tuple[int, ...]
    next_slots: tuple[datetime, ...]


def unfurl_blocks(t: Translator, page: PageUnfurl) -> list[dict[str, Any]]:
    """The page's name, organizer and durations, its next free slots (each viewer's own zone
    through `<!date^…>`), and a Book button opening the booking form on that page."""
    lines = [f"*{escape_mrkdwn(truncate(page.name, 200))}*"]
    if page.organizer:
        lines.append(t.t("unfurl.organizer", name=escape_mrkdwn(truncate(page.organizer, 200))))
    durations = ", ".join(t.format_duration(minutes) for minutes in page.durations_minutes)
    if durations:
        lines.append(t.t("unfurl.durations", durations=durations))
    if page.next_slots:
        slots = ", ".join(
            slack_date(start, "{date_short_pretty} {time}", t.format_slot(start, "UTC") + " UTC")
            for start in page.next_slots
        )
        lines.append(t.t("unfurl.next_free", slots=slots))
    else:
        lines.append(t.t("unfurl.no_free"))
    return [
        _section("\n".join(lines)),
        {
            "type": "actions",
            "block_id": UNFURL_ACTIONS_BLOCK,
            "elements": [
                _button(t.t("unfurl.book"), UNFURL_BOOK_ACTION_ID, value=page.slug, style="primary")
            ],
        },
        _context(t.t("unfurl.context")),
    ]
