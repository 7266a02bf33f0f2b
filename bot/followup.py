"""After HubSpot's answer: the durable steps (modal, card, reminder), and the reconciler.

Every status change of a booking records, in the same transaction, the steps it leaves due
(``booking_steps``, an outbox in the ledger's own database), claimed by the process that made the
change for a lease. That process carries them out at once and marks each done. If it stops or
dies first, the claim lapses (or is released at a graceful stop) and any process's reconciler
carries the steps out: a restart never leaves a booking without its card.

The reconciler also finds ``pending`` rows older than the booking timeout (the process that was
booking died before HubSpot's answer was recorded): each becomes ``unknown`` (one process wins the
row, in the database) and the booker is told, in their language, in the modal if Slack still takes
``views.update`` for it, else by DM, with a **Check again** button.

Why an outbox and not a job queue: the steps must be recorded atomically with the status change
they follow (a booking marked booked with no card step, or a card step for a booking that was
never marked, is exactly the bug this fixes). A queue in Redis or a separate job system cannot
share that transaction; the PostgreSQL job-queue libraries would not run on the default SQLite
ledger and bring their own workers. A table and a conditional UPDATE as the claim do the job on
both databases, and every Booker process already runs the loop that drains it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.booking import BookingOutcome
from bot.flow import BookingFlow, FormValues, RequestMeta
from bot.posting import Posted, post_card, schedule_reminder
from bot.store import (
    STEP_ORDER,
    BookingRecord,
    BookingStatus,
    Step,
    StepLeases,
    Store,
    StoreError,
)

if TYPE_CHECKING:
    from bot.after_ack import AfterAck
    from bot.metrics import Metrics

log = logging.getLogger("bot.followup")

# A workspace's Web API client outside a request: (team_id, enterprise_id) -> client or None.
SlackClientSource = Callable[[str, str | None], Awaitable[AsyncWebClient | None]]
FlowSource = Callable[[str, str | None], BookingFlow]

# A step that keeps failing (not Slack refusing: that is an answer) is given up after this many.
MAX_ATTEMPTS: Final = 5
_SLACK_TROUBLE = (SlackClientError, aiohttp.ClientError, TimeoutError)


@dataclass(frozen=True)
class Followup:
    """What the steps after a submission need, kept on its ledger row from the claim on."""

    meta: RequestMeta
    form: FormValues
    view_id: str | None = None
    response_url: str | None = None
    enterprise_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "meta": self.meta.to_dict(),
                "form": self.form.to_dict(),
                "view_id": self.view_id,
                "response_url": self.response_url,
                "enterprise_id": self.enterprise_id,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def of(cls, record: BookingRecord) -> Followup:
        """The row's follow-up data; for a row written before it was kept, what the row says."""
        data: Any = None
        if record.followup:
            try:
                data = json.loads(record.followup)
            except ValueError:
                data = None
        if isinstance(data, dict):
            meta = data.get("meta")
            form = data.get("form")
            return cls(
                meta=RequestMeta.from_dict(meta if isinstance(meta, dict) else {}),
                form=FormValues.from_dict(form if isinstance(form, dict) else {}),
                view_id=_text(data.get("view_id")),
                response_url=_text(data.get("response_url")),
                enterprise_id=_text(data.get("enterprise_id")),
            )
        meta = RequestMeta(
            team_id=record.team_id,
            user_id=record.user_id,
            channel_id=record.channel_id or None,
            thread_ts=record.thread_ts,
            tz=record.timezone,
            locale=None,
        )
        form = FormValues(
            slug=record.page_slug,
            page_name=record.page_name,
            timezone=record.timezone,
            guest_email=record.guest_email,
            guest_first_name=record.guest_first_name,
            guest_last_name=record.guest_last_name,
            post_to=record.channel_id or None,
        )
        return cls(meta=meta, form=form)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class Followups:
    """Carries out bookings' after-ack steps and reconciles unfinished bookings (one process)."""

    def __init__(
        self,
        store: Store,
        leases: StepLeases,
        *,
        flow_for: FlowSource,
        metrics: Metrics | None = None,
        reminder_minutes: Callable[[], int] = lambda: 10,
        booking_timeout_seconds: float = 60.0,
        interval_seconds: float = 60.0,
    ) -> None:
        self.store = store
        self.leases = leases
        self.flow_for = flow_for
        self.metrics = metrics
        self.reminder_minutes = reminder_minutes
        self.booking_timeout = timedelta(seconds=booking_timeout_seconds)
        self.interval_seconds = interval_seconds
        # Set by bot/app.py once the Bolt app (and its client) exists.
        self.slack: SlackClientSource | None = None
        self._stop = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None

    # --- the submission's own steps ------------------------------------------------------
    async def after_booking(
        self, outcome: BookingOutcome, followup: Followup, client: AsyncWebClient
    ) -> None:
        """Right after the booking, in the process that booked: its steps, in order."""
        flow = self.flow_for(followup.meta.team_id, followup.enterprise_id)
        if outcome.duplicate or not outcome.recorded:
            # Not this call's steps to record (a twin submission shows the first one's outcome;
            # a ledger that refused the write has no row to hang steps on): done in memory.
            steps = [Step.MODAL]
            if outcome.status == BookingStatus.BOOKED and not outcome.duplicate:
                steps += [Step.CARD, Step.REMINDER]
            run = _Run(self, flow, client, followup, outcome.record)
            for step in steps:
                await run.do(step, outcome)
            return
        await self.run_held(outcome.record.key, client, followup=followup, flow=flow)

    async def run_held(
        self,
        key: str,
        client: AsyncWebClient,
        *,
        followup: Followup | None = None,
        flow: BookingFlow | None = None,
    ) -> None:
        """The steps of `key` this process holds (it just made them due), in order."""
        try:
            steps = await self.store.steps_of(key, owner=self.leases.owner)
        except StoreError as error:
            log.warning("could not read booking %s's steps: %s", key[:16], error)
            return
        if steps:
            await self._carry_out(key, steps, client=client, followup=followup, flow=flow)

    # --- the reconciler ------------------------------------------------------------------
    def start(self, after_ack: AfterAck) -> None:
        """A pass now, then one every interval, until `stop` (each pass is after-ack work)."""
        if self._loop is None and self.slack is not None:
            self._loop = asyncio.create_task(self._every_interval(after_ack))

    async def stop(self) -> None:
        """No new pass; the running one is drained with the rest of the after-ack work."""
        self._stop.set()
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
            self._loop = None

    async def release(self) -> None:
        """At a stop: steps this process holds but did not finish go back to the ledger, so the
        next start (or another process) carries them out at once instead of after the lease."""
        try:
            released = await self.store.release_steps(self.leases.owner)
        except StoreError as error:
            log.warning("could not release unfinished steps: %s", error)
            return
        if released:
            log.info("left %d unfinished after-ack step(s) for the next start", released)

    async def _every_interval(self, after_ack: AfterAck) -> None:
        while not self._stop.is_set():
            if after_ack.draining:
                return
            await asyncio.shield(after_ack.start(self.reconcile_once(), what="the reconciler"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval_seconds)

    async def reconcile_once(self) -> None:
        """One pass: unfinished `pending` bookings become `unknown` and their bookers are told;
        steps whose claim lapsed (their process stopped or died) are carried out."""
        now = self.store_clock()
        try:
            turned = await self.store.expire_pending(
                older_than=now - self.booking_timeout,
                error_message="The booking was interrupted before HubSpot's answer was recorded.",
                steps=self.leases.claim(Step.ANNOUNCE),
            )
        except StoreError as error:
            log.warning("reconciler: ledger unavailable: %s", error)
            return
        for record in turned:
            log.warning(
                "booking %s was still pending after %s s (its process stopped): now unknown, "
                "telling the booker",
                record.key[:16],
                int(self.booking_timeout.total_seconds()),
            )
            if self.metrics is not None:
                self.metrics.booking_reconciled()
            await self._carry_out(record.key, [Step.ANNOUNCE], record=record)
        try:
            due = await self.store.due_steps(now=now)
        except StoreError as error:
            log.warning("reconciler: ledger unavailable: %s", error)
            return
        by_key: dict[str, list[Step]] = {}
        for item in due:
            if item.attempts >= MAX_ATTEMPTS:
                log.error(
                    "giving up step %s of booking %s after %d attempts",
                    item.step.value,
                    item.booking_key[:16],
                    item.attempts,
                )
                await self._finish(item.booking_key, item.step)
                continue
            by_key.setdefault(item.booking_key, []).append(item.step)
        for key, steps in by_key.items():
            ordered = [step for step in STEP_ORDER if step in steps]
            await self._carry_out(key, ordered, claim=True)

    def store_clock(self) -> datetime:
        return self.leases.clock()

    # --- carrying steps out --------------------------------------------------------------
    async def _carry_out(
        self,
        key: str,
        steps: list[Step],
        *,
        claim: bool = False,
        client: AsyncWebClient | None = None,
        followup: Followup | None = None,
        flow: BookingFlow | None = None,
        record: BookingRecord | None = None,
    ) -> None:
        try:
            record = record or await self.store.get(key)
        except StoreError as error:
            log.warning("could not read booking %s: %s", key[:16], error)
            return
        if record is None:
            return
        followup = followup or Followup.of(record)
        if client is None:
            client = await self._client_for(record, followup)
            if client is None:
                log.warning("no Slack token for workspace %s: steps left for later", record.team_id)
                return
        flow = flow or self.flow_for(record.team_id, followup.enterprise_id)
        run = _Run(self, flow, client, followup, record)
        for step in steps:
            try:
                # Claimed (or the claim extended) just before each step: one lease per step.
                held = await self.store.claim_step(
                    key, step, owner=self.leases.owner, until=self.leases.until()
                )
            except StoreError as error:
                log.warning("could not claim step %s of %s: %s", step.value, key[:16], error)
                return
            if not held:
                continue  # another process has it
            try:
                await run.refresh()
                await run.do(step, BookingOutcome(run.record))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("step %s of booking %s failed; retried later", step.value, key[:16])
                return  # the lease lapses and a later pass tries again
            await self._finish(key, step)
            if claim and self.metrics is not None:
                self.metrics.step_resumed(step.value)
            if claim:
                log.info("resumed step %s of booking %s", step.value, key[:16])

    async def _finish(self, key: str, step: Step) -> None:
        try:
            await self.store.finish_step(key, step)
        except StoreError as error:
            log.warning("could not mark step %s of %s done: %s", step.value, key[:16], error)

    async def _client_for(self, record: BookingRecord, followup: Followup) -> AsyncWebClient | None:
        if self.slack is None:
            return None
        try:
            return await self.slack(record.team_id, followup.enterprise_id)
        except StoreError as error:
            log.warning("could not read workspace %s's installation: %s", record.team_id, error)
            return None


class _Run:
    """The steps of one booking carried out one after the other (the reminder needs the card)."""

    def __init__(
        self,
        followups: Followups,
        flow: BookingFlow,
        client: AsyncWebClient,
        followup: Followup,
        record: BookingRecord,
    ) -> None:
        self.followups = followups
        self.flow = flow
        self.client = client
        self.followup = followup
        self.record = record
        self.posted: Posted | None = None

    async def refresh(self) -> None:
        latest = await self.followups.store.get(self.record.key)
        if latest is not None:
            self.record = latest

    async def do(self, step: Step, outcome: BookingOutcome) -> None:
        if outcome.record is not self.record:
            outcome = replace(outcome, record=self.record)
        if step is Step.MODAL:
            await self._modal(outcome)
        elif step is Step.CARD:
            await self._card(outcome)
        elif step is Step.REMINDER:
            await self._reminder(outcome)
        elif step is Step.ANNOUNCE:
            await self._announce()

    async def _modal(self, outcome: BookingOutcome) -> None:
        view_id = self.followup.view_id
        if not view_id:
            return
        view = await self.flow.result_view(outcome, self.followup.form, self.followup.meta)
        try:
            await self.client.views_update(view_id=view_id, view=view)
        except SlackApiError as error:
            log.info("result views.update failed: %s", error.response.get("error"))

    async def _card(self, outcome: BookingOutcome) -> None:
        record = outcome.record
        if record.status != BookingStatus.BOOKED or outcome.duplicate or record.message_ts:
            return
        form, meta = self.followup.form, self.followup.meta
        channel = form.post_to or meta.channel_id or record.channel_id or None
        text, card_blocks = self.flow.card(outcome, meta)
        try:
            posted = await post_card(
                self.client,
                channel=channel,
                text=text,
                blocks=card_blocks,
                thread_ts=meta.thread_ts,
                booker_id=record.user_id,
                response_url=self.followup.response_url,
                could_not_post=self.flow.could_not_post(meta, channel),
            )
        except _SLACK_TROUBLE as error:
            # The modal already shows the booking with its Join button: nothing is lost.
            code = error.response.get("error") if isinstance(error, SlackApiError) else None
            log.warning(
                "the booking card could not be posted anywhere: %s", code or type(error).__name__
            )
            return
        self.posted = posted
        await self.flow.card_posted(outcome, posted.channel, posted.ts)

    async def _reminder(self, outcome: BookingOutcome) -> None:
        record = outcome.record
        if record.reminder_id:
            return
        posted = self.posted
        if posted is None and record.message_channel:
            # Resumed after a restart: the card went where the ledger says (its channel, or the
            # booker's DM when the channel refused it).
            in_place = record.message_channel == (self.followup.form.post_to or record.channel_id)
            posted = Posted(
                record.message_channel,
                record.message_ts,
                "channel" if in_place else "dm",
                self.followup.meta.thread_ts if in_place else None,
            )
        if posted is None:
            return
        await schedule_reminder(
            self.client,
            self.flow,
            outcome,
            self.followup.meta,
            posted,
            self.followups.reminder_minutes(),
        )

    async def _announce(self) -> None:
        """Tell the booker an interrupted booking's state: the modal if Slack still takes it,
        else a DM; either way with Check again."""
        record = self.record
        if record.status != BookingStatus.UNKNOWN:
            return  # settled meanwhile (Check again, or the booking's own process came back)
        meta = self.followup.meta
        t = self.flow.translator(meta)
        detail = t.t(
            "reconcile.unknown",
            page=blocks.truncate(record.page_name, 200),
            when=t.format_slot(record.start, self.flow.zone_of(self.followup.form, meta)),
            guest=blocks.truncate(
                f"{record.guest_first_name} {record.guest_last_name}".strip() or record.guest_email,
                200,
            ),
        )
        view_id = self.followup.view_id
        if view_id:
            view = blocks.outcome_unknown_modal(
                t,
                detail,
                back_metadata=self.flow.back_metadata(self.followup.form, self.followup.meta),
                booking_key=record.key,
            )
            try:
                await self.client.views_update(view_id=view_id, view=view)
                return
            except SlackApiError as error:
                log.info(
                    "the modal of booking %s is gone (%s): telling the booker by DM",
                    record.key[:16],
                    error.response.get("error"),
                )
        opened = await self.client.conversations_open(users=record.user_id)
        text, message_blocks = blocks.unfinished_booking_message(
            t, blocks.escape_mrkdwn(detail), booking_key=record.key
        )
        await self.client.chat_postMessage(
            channel=opened["channel"]["id"], text=text, blocks=message_blocks, unfurl_links=False
        )
