"""A running Booker (tests/conftest.py start_booker) whose Slack double knows the manifest's
workflow function, so completions are checked against its declared outputs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import yaml

from bot.devtools.slack_double_functions import FunctionExecution
from bot.workflow_step import CALLBACK_ID
from tests.conftest import CHANNEL, PERSON, FaultBooker, start_booker

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def manifest_functions() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return dict(loaded["functions"])


def step_inputs(**overrides: Any) -> dict[str, Any]:
    """Inputs a workflow gives the step (a form's answers mapped onto it)."""
    inputs: dict[str, Any] = {
        "meeting_page": "demo",
        "when": "tomorrow 10am",
        "guest_email": "ana@acme.example",
        "guest_first_name": "Ana",
        "guest_last_name": "Lima",
        "booked_by": PERSON,
        "channel": CHANNEL,
    }
    inputs.update(overrides)
    return {key: value for key, value in inputs.items() if value is not None}


@contextlib.asynccontextmanager
async def workflow_booker(tmp_path: Path, **kwargs: Any) -> AsyncIterator[FaultBooker]:
    async with start_booker(tmp_path, **kwargs) as booker:
        booker.double.functions.define(manifest_functions())
        yield booker


async def run_step(booker: FaultBooker, inputs: dict[str, Any]) -> FunctionExecution:
    """Slack delivers function_executed for a new execution; returns that execution."""
    body = booker.double.functions.run_function(CALLBACK_ID, inputs)
    answer = await booker.slack.send_event_body(body)
    assert answer.status_code == 200
    execution_id = body["event"]["function_execution_id"]
    return booker.double.functions.executions[execution_id]


def dm_with_buttons(booker: FaultBooker) -> dict[str, Any] | None:
    for message in booker.double.messages:
        if str(message["channel"]).startswith("D") and "workflow_pick_0" in str(
            message.get("blocks")
        ):
            return message
    return None
