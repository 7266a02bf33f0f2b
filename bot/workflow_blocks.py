"""Block Kit for the Workflow Builder step's DM: pure functions, like bot/blocks.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.blocks import (
    MESSAGE_TEXT_MAX,
    _button,
    _context,
    _section,
    escape_mrkdwn,
    slack_date,
    truncate,
    truncate_mrkdwn,
)
from bot.i18n import Translator

JsonDict = dict[str, Any]

PICK_ACTION_PREFIX = "workflow_pick_"
PICK_ACTION_PATTERN = re.compile(r"^workflow_pick_\d+$")
PICK_BLOCK_ID = "workflow_pick"


@dataclass(frozen=True)
class SlotChoice:
    label: str
    start: datetime


def pick_value(start: datetime, deadline: datetime) -> str:
    """A slot button's value: the start (ISO) and until when the offer stands (epoch seconds)."""
    return f"{start.astimezone(UTC).isoformat()}|{int(deadline.timestamp())}"


def read_pick_value(value: str) -> tuple[datetime, datetime] | None:
    """(start, deadline) from a slot button's value; None when it is not one of ours."""
    start_text, _, deadline_text = value.partition("|")
    try:
        start = datetime.fromisoformat(start_text)
        deadline = datetime.fromtimestamp(int(deadline_text), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    if start.tzinfo is None:
        return None
    return start, deadline


def pick_slot_message(
    t: Translator,
    *,
    page_name: str,
    guest: str,
    reason: str,
    choices: Sequence[SlotChoice],
    deadline: datetime,
    zone: str,
) -> tuple[str, list[JsonDict]]:
    """The DM to the person who ran the workflow: why the step waits, and slots as buttons."""
    page = escape_mrkdwn(truncate(page_name, 200))
    who = escape_mrkdwn(truncate(guest, 200))
    until = slack_date(deadline, "{date_short_pretty} {time}", t.format_slot(deadline, zone))
    text = t.t("workflow.ask.heading", page=page, guest=who)
    buttons = [
        _button(
            choice.label,
            f"{PICK_ACTION_PREFIX}{index}",
            value=pick_value(choice.start, deadline),
            style="primary" if index == 0 else None,
        )
        for index, choice in enumerate(choices)
    ]
    message: list[JsonDict] = [
        _section(f"{text}\n{reason}"),
        {"type": "actions", "block_id": PICK_BLOCK_ID, "elements": buttons},
        _context(t.t("workflow.ask.deadline", until=until)),
    ]
    return truncate_mrkdwn(f"{text} {reason}", MESSAGE_TEXT_MAX), message


def text_blocks(text: str) -> list[JsonDict]:
    """What replaces the slot buttons once the person picked (or the offer ran out)."""
    return [_section(text)]


def booked_text(t: Translator, page_name: str, start: datetime, zone: str) -> str:
    page = escape_mrkdwn(truncate(page_name, 200))
    when = slack_date(start, "{date_short_pretty} {time}", t.format_slot(start, zone))
    return t.t("workflow.picked.booked", page=page, when=when)


def failed_text(t: Translator, reason: str) -> str:
    return t.t("workflow.picked.failed", reason=reason)
