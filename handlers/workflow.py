"""Workflow Builder step "Book a HubSpot meeting" (function_executed) and its slot buttons."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.complete.async_complete import AsyncComplete
from slack_bolt.context.fail.async_fail import AsyncFail
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.flow import BookingFlow, RequestMeta
from bot.store import StoreError
from bot.work_queue import BOOKING, queued_as
from bot.workflow_blocks import (
    PICK_ACTION_PATTERN,
    booked_text,
    failed_text,
    read_pick_value,
    text_blocks,
)
from bot.workflow_step import (
    CALLBACK_ID,
    AskToPick,
    Completed,
    Failed,
    StepInputs,
    StepResult,
    WorkflowStep,
    execution_key,
)
from handlers.people import person_profile
from handlers.posting import post_card

log = logging.getLogger("handlers.workflow")


def register(app: AsyncApp) -> None:
    app.function(CALLBACK_ID)(run_step)
    app.action(PICK_ACTION_PATTERN)(pick_slot)


def _step(context: dict[str, Any]) -> WorkflowStep:
    services = context["services"]
    return WorkflowStep(services.flow, pick_minutes=services.settings.workflow_pick_minutes)


async def _meta(
    client: AsyncWebClient, flow: BookingFlow, context: dict[str, Any], inputs: StepInputs
) -> RequestMeta:
    user_id = inputs.booked_by or ""
    tz, locale = await person_profile(client, user_id, flow) if user_id else (None, None)
    return RequestMeta(
        team_id=context.get("team_id") or "",
        user_id=user_id,
        channel_id=inputs.channel_id,
        thread_ts=None,
        tz=tz,
        locale=locale,
    )


@queued_as(BOOKING)
async def run_step(
    event: dict[str, Any],
    inputs: dict[str, Any],
    client: AsyncWebClient,
    complete: AsyncComplete,
    fail: AsyncFail,
    context: dict[str, Any],
) -> None:
    """Bolt acks the event itself; `client` carries the execution's own token (xwfp-)."""
    step = _step(context)
    execution_id = str(event.get("function_execution_id") or "")
    step_inputs = StepInputs.from_inputs(inputs)
    meta = await _meta(client, step.flow, context, step_inputs)
    result = await step.run(execution_id, step_inputs, meta)
    if isinstance(result, AskToPick):
        if not await _ask(client, meta, result):
            await _finish(fail_step=fail, result=Failed(_could_not_ask(step, meta)))
            return
        # The offer stands until its deadline; then an execution still unbooked fails. (A stop
        # does not wait for it: the deadline rides in the buttons, which refuse a late pick.)
        await context["services"].after_ack.idle(step.pick_minutes * 60)
        await _expire(step, execution_id, meta, client, fail)
        return
    await _finish(result=result, complete=complete, fail_step=fail)
    await _post_card(client, step, result, meta)


@queued_as(BOOKING)
async def pick_slot(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    complete: AsyncComplete,
    fail: AsyncFail,
    context: dict[str, Any],
) -> None:
    """A slot button in the step's DM: book that time for the same execution, then complete."""
    await ack()
    function_data = body.get("function_data") or {}
    execution_id = str(function_data.get("execution_id") or "")
    picked = read_pick_value(str(action.get("value") or ""))
    if not execution_id or picked is None:
        log.info("a workflow slot button without its execution; ignored")
        return
    step = _step(context)
    step_inputs = StepInputs.from_inputs(function_data.get("inputs"))
    meta = await _meta(client, step.flow, context, step_inputs)
    t = step.translator(meta)
    start, deadline = picked
    if step.clock() > deadline:
        await _replace(respond, step.expired_message(meta))
        await _finish(result=Failed(step.expired_message(meta)), fail_step=fail)
        return
    result = await step.run(execution_id, step_inputs, meta, picked=start, deadline=deadline)
    if isinstance(result, AskToPick):
        # Taken since it was offered: the slots free now, same deadline.
        await _replace(respond, result.text, result.blocks)
        return
    if isinstance(result, Completed):
        record = result.outcome.record
        await _replace(respond, booked_text(t, record.page_name, record.start, record.timezone))
    elif isinstance(result, Failed):
        await _replace(respond, failed_text(t, result.message))
    await _finish(result=result, complete=complete, fail_step=fail)
    await _post_card(client, step, result, meta)


# --- helpers -----------------------------------------------------------------------------------
async def _finish(
    *,
    result: StepResult,
    fail_step: AsyncFail,
    complete: AsyncComplete | None = None,
) -> None:
    """functions.completeSuccess / completeError; Slack refusing (already finished) is logged."""
    try:
        if isinstance(result, Completed) and complete is not None:
            await complete(outputs=result.outputs)
        elif isinstance(result, Failed):
            await fail_step(error=result.message)
    except SlackApiError as error:
        log.info("workflow step not finished: %s", error.response.get("error"))
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("workflow step not finished: %s", type(error).__name__)


async def _ask(client: AsyncWebClient, meta: RequestMeta, ask: AskToPick) -> bool:
    """DM the person who ran the workflow the slots to pick from (with the execution's token,
    so their click comes back with the execution's function_data)."""
    if not meta.user_id:
        return False
    try:
        opened = await client.conversations_open(users=meta.user_id)
        await client.chat_postMessage(
            channel=opened["channel"]["id"], text=ask.text, blocks=ask.blocks, unfurl_links=False
        )
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        code = error.response.get("error") if isinstance(error, SlackApiError) else None
        log.warning("workflow step: could not DM the slots: %s", code or type(error).__name__)
        return False
    return True


def _could_not_ask(step: WorkflowStep, meta: RequestMeta) -> str:
    return step.translator(meta).t("workflow.error.could_not_ask")


async def _expire(
    step: WorkflowStep,
    execution_id: str,
    meta: RequestMeta,
    client: AsyncWebClient,
    fail: AsyncFail,
) -> None:
    """The pick deadline passed: fail the step unless a pick booked it (or is booking it)."""
    try:
        record = await step.flow.store.get(execution_key(execution_id))
    except StoreError as error:  # the ledger is down: failing is still the honest answer
        log.warning("workflow step expiry: ledger unavailable: %s", type(error).__name__)
        record = None
    if record is not None and record.status in ("booked", "pending", "unknown"):
        return
    message = step.expired_message(meta)
    await _finish(result=Failed(message), fail_step=fail)
    try:
        opened = await client.conversations_open(users=meta.user_id)
        await client.chat_postMessage(channel=opened["channel"]["id"], text=message)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        log.info("workflow step expiry not told: %s", type(error).__name__)


async def _replace(
    respond: AsyncRespond, text: str, blocks: list[dict[str, Any]] | None = None
) -> None:
    try:
        await respond(text=text, blocks=blocks or text_blocks(text), replace_original=True)
    except (SlackClientError, aiohttp.ClientError, TimeoutError, ValueError) as error:
        log.info("workflow DM not updated: %s", type(error).__name__)


async def _post_card(
    client: AsyncWebClient, step: WorkflowStep, result: StepResult, meta: RequestMeta
) -> None:
    """With a `channel` input, the booking card goes there, as after /book."""
    if not isinstance(result, Completed) or result.outcome.duplicate or not meta.channel_id:
        return
    text, card = step.flow.card(result.outcome, meta)
    try:
        posted = await post_card(
            client,
            channel=meta.channel_id,
            text=text,
            blocks=card,
            thread_ts=None,
            booker_id=meta.user_id,
            response_url=None,
            could_not_post=step.flow.could_not_post(meta, meta.channel_id),
        )
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("workflow booking card not posted: %s", type(error).__name__)
        return
    await step.flow.card_posted(result.outcome, posted.channel, posted.ts)
