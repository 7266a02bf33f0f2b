"""Small readers shared by the fault cases: what the person sees in a view or a message."""

from __future__ import annotations

import logging
from typing import Any

import pytest

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def text_of(view_or_message: dict[str, Any]) -> str:
    """Everything a person can read in a view or message (title, blocks, fallback text)."""
    title = (view_or_message.get("title") or {}).get("text", "")
    return f"{title}\n{view_or_message.get('text', '')}\n{view_or_message.get('blocks', [])}"


def buttons(view_or_message: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in view_or_message.get("blocks", []):
        if block.get("type") == "actions":
            found.extend(block["elements"])
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button":
            found.append(accessory)
    return found


def action_ids(view_or_message: dict[str, Any]) -> list[str]:
    return [button.get("action_id", "") for button in buttons(view_or_message)]


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """ERROR records that carry a traceback: an unhandled failure somewhere."""
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR and record.exc_info
    ]


def preview_text(view: dict[str, Any]) -> str:
    for block in view["blocks"]:
        if block.get("block_id") == "when_preview":
            return str(block["text"]["text"])
    raise AssertionError("no preview under `when`")
