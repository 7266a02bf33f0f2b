"""The Workflow Builder step "Book a HubSpot meeting", free of Slack transport.

A workflow hands the step its inputs (the manifest's `functions.book_hubspot_meeting`); the step
books through the same BookingFlow and ledger as the modal and answers with the step's outputs,
a reason to fail (in the language of the person who ran the workflow), or — when the time could
not be read or is not free — the nearest free slots for that person to pick from.

One execution books at most once: its ledger key comes from Slack's `function_execution_id`, so
a redelivered event, a second worker or a double click on a slot all meet the first claim.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import blocks
from bot.booking import BookingOutcome, Submission
from bot.flow import (
    DEFAULT_MINUTES,
    EMAIL,
    BookingFlow,
    RequestMeta,
    _error_code_message,
    _hubspot_message,
    valid_zone,
)
from bot.hubspot import errors as hs
from bot.hubspot.models import BookingInfo, TimeSlot
from bot.i18n import Translator
from bot.meeting_pages import page_label
from bot.store import BookingRecord, StoreError
from bot.workflow_blocks import SlotChoice, pick_slot_message

log = logging.getLogger("bot.workflow_step")

CALLBACK_ID = "book_hubspot_meeting"
OFFERED_SLOTS = 5
TEXT_INPUT_MAX = 500
ANSWER_LINE = re.compile(r"^\s*([A-Za-z0-9_.-]{1,100})\s*[:=]\s*(.*?)\s*$")


def execution_key(function_execution_id: str) -> str:
    """The ledger key of one workflow step execution (the modal's is view id + content hash)."""
    return f"workflow:{function_execution_id[:200]}"


def _text(value: Any, limit: int = TEXT_INPUT_MAX) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return str(value).strip()[:limit] if isinstance(value, str) else ""


def _timestamp(value: Any) -> datetime | None:
    """A Slack timestamp input (seconds since the epoch, as a number or digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{9,11}(\.\d+)?", value.strip()):
        value = float(value)
    if isinstance(value, int | float) and 0 < value < 2**33:
        return datetime.fromtimestamp(float(value), tz=UTC)
    return None


def _minutes(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int | float) and 0 < value < 10_000 and int(value) == value:
        return int(value)
    return None


def _answers(value: Any) -> dict[str, str]:
    """The page's questions answered as a JSON object or as `name: value` lines."""
    if isinstance(value, Mapping):
        return {str(k)[:100]: _text(v) for k, v in value.items() if _text(v)}
    text = _text(value, 5000)
    if text.startswith("{"):
        import json

        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            return _answers(loaded)
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = ANSWER_LINE.match(line)
        if match and match.group(2):
            found[match.group(1)] = match.group(2)[:TEXT_INPUT_MAX]
    return found


@dataclass(frozen=True)
class StepInputs:
    """The step's inputs as the manifest names them, read defensively (Workflow Builder passes
    whatever earlier steps produced)."""

    slug: str
    when_text: str = ""
    start: datetime | None = None
    duration_minutes: int | None = None
    guest_email: str = ""
    guest_first_name: str = ""
    guest_last_name: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    booked_by: str | None = None
    channel_id: str | None = None

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any] | None) -> StepInputs:
        inputs = inputs or {}
        when = inputs.get("when")
        start = _timestamp(inputs.get("start_time")) or _timestamp(when)
        return cls(
            slug=_text(inputs.get("meeting_page"), 500).strip("/"),
            when_text="" if _timestamp(when) else _text(when),
            start=start,
            duration_minutes=_minutes(inputs.get("duration_minutes")),
            guest_email=_text(inputs.get("guest_email"), 254),
            guest_first_name=_text(inputs.get("guest_first_name"), 200),
            guest_last_name=_text(inputs.get("guest_last_name"), 200),
            answers=_answers(inputs.get("answers")),
            booked_by=_text(inputs.get("booked_by"), 40) or None,
            channel_id=_text(inputs.get("channel"), 40) or None,
        )


@dataclass(frozen=True)
class Completed:
    """Booked: `outputs` for functions.completeSuccess."""

    outputs: dict[str, Any]
    outcome: BookingOutcome


@dataclass(frozen=True)
class Failed:
    """Not booked, and it will not be by this execution: the reason for functions.completeError."""

    message: str


@dataclass(frozen=True)
class AskToPick:
    """The time could not be read or is not free: these slots go to the person as buttons."""

    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class InProgress:
    """Another delivery of this execution is booking it right now; it will complete the step."""


StepResult = Completed | Failed | AskToPick | InProgress


def outputs_of(record: BookingRecord) -> dict[str, Any]:
    """The step's output parameters (manifest) for a booked ledger row."""
    return {
        "start_time": int(record.start.timestamp()),
        "end_time": int(record.end.timestamp()),
        "join_url": record.web_conference_url or "",
        "calendar_event_id": record.calendar_event_id or "",
        "contact_id": record.contact_id or "",
        "status": record.status.value,
    }


class WorkflowStep:
    def __init__(self, flow: BookingFlow, *, pick_minutes: float) -> None:
        self.flow = flow
        self.pick_minutes = pick_minutes

    @property
    def clock(self) -> Any:
        return self.flow.booking.clock

    def pick_deadline(self) -> datetime:
        return self.clock() + timedelta(minutes=self.pick_minutes)

    def translator(self, meta: RequestMeta) -> Translator:
        return self.flow.translator(meta)

    def expired_message(self, meta: RequestMeta) -> str:
        return self.translator(meta).t("workflow.error.pick_expired")

    async def run(
        self,
        execution_id: str,
        inputs: StepInputs,
        meta: RequestMeta,
        *,
        picked: datetime | None = None,
        deadline: datetime | None = None,
    ) -> StepResult:
        """Book the step's meeting once, or say why not, or offer slots to pick from."""
        t = self.translator(meta)
        problems = self._input_problems(inputs, t)
        if problems:
            return Failed(" ".join(problems))
        zone = valid_zone(meta.tz) or "UTC"
        key = execution_key(execution_id)
        settled = await self._settled(key)
        if settled is not None:
            return settled
        if "://" in inputs.slug:
            # A page's link pasted into the step instead of its slug.
            slug = await self._slug_of_link(inputs.slug)
            if slug is None:
                return Failed(t.t("error.hubspot.page_not_found"))
            inputs = replace(inputs, slug=slug)
        try:
            info = await self.flow.pages.details(inputs.slug, zone)
        except hs.HubSpotError as error:
            return Failed(_hubspot_message(t, error))
        page_name = await self._page_name(inputs.slug)
        minutes = _duration(inputs.duration_minutes, info)
        missing = _missing_answers(info, inputs.answers)
        if missing:
            return Failed(t.t("workflow.error.answers_missing", fields=", ".join(missing)))
        if info.requires_processing_consent or info.required_consent_checkboxes:
            return Failed(t.t("workflow.error.consent_required"))
        deadline = deadline or self.pick_deadline()
        start = picked or inputs.start
        if start is None:
            parsed = self.flow.booking.parse(inputs.when_text, tz=zone, locale=meta.locale)
            start = parsed.start if parsed.error is None else None
            if start is None:
                reason = t.t(
                    "workflow.ask.unreadable",
                    text=blocks.escape_mrkdwn(blocks.truncate(inputs.when_text, 100)),
                )
                return await self._ask(inputs, page_name, reason, None, minutes, zone, t, deadline)
        if start <= self.clock():
            reason = t.t("workflow.ask.past", when=t.format_slot(start, zone))
            return await self._ask(inputs, page_name, reason, None, minutes, zone, t, deadline)
        free = await self._free_slots(inputs.slug, zone, minutes, start)
        if free is not None and not any(slot.start == start for slot in free):
            reason = t.t("workflow.ask.taken", when=t.format_slot(start, zone))
            return await self._ask(inputs, page_name, reason, start, minutes, zone, t, deadline)
        submission = Submission(
            key=key,
            team_id=meta.team_id,
            user_id=meta.user_id,
            channel_id=inputs.channel_id,
            thread_ts=None,
            slug=inputs.slug,
            page_name=page_name,
            start=start,
            duration_minutes=minutes,
            timezone=zone,
            locale=t.locale,
            guest_email=inputs.guest_email,
            guest_first_name=inputs.guest_first_name,
            guest_last_name=inputs.guest_last_name,
            form_fields=_page_answers(info, inputs.answers),
        )
        try:
            outcome = await self.flow.book(submission, meta)
        except StoreError as error:
            log.warning("workflow booking not started, the ledger is unavailable: %s", error)
            return Failed(t.t("error.store_unavailable"))
        record = outcome.record
        if record.status == "booked":
            return Completed(outputs_of(record), outcome)
        if record.status == "pending":
            return InProgress()
        if record.status == "failed" and record.error_code == "slot_taken":
            reason = t.t("workflow.ask.taken", when=t.format_slot(start, zone))
            return await self._ask(inputs, page_name, reason, start, minutes, zone, t, deadline)
        if record.status == "unknown":
            return Failed(t.t("error.hubspot.outcome_unknown"))
        return Failed(_error_code_message(t, record.error_code, record.error_message))

    # --- helpers -----------------------------------------------------------------------------
    def _input_problems(self, inputs: StepInputs, t: Translator) -> list[str]:
        problems: list[str] = []
        if not inputs.slug:
            problems.append(t.t("workflow.error.page_required"))
        if not EMAIL.fullmatch(inputs.guest_email):
            problems.append(t.t("error.email.invalid"))
        if not inputs.guest_first_name or not inputs.guest_last_name:
            problems.append(t.t("workflow.error.guest_name_required"))
        return problems

    async def _settled(self, key: str) -> StepResult | None:
        """An execution already booked (a redelivery): its outputs again, no HubSpot call."""
        try:
            record = await self.flow.store.get(key)
        except StoreError as error:
            log.warning("ledger unavailable while looking up a workflow execution: %s", error)
            return None
        if record is not None and record.status == "booked":
            return Completed(outputs_of(record), BookingOutcome(record, duplicate=True))
        return None

    async def _slug_of_link(self, url: str) -> str | None:
        from bot.unfurls import page_for_link

        try:
            page = page_for_link(url, await self.flow.pages.pages())
        except hs.HubSpotError:
            return None
        return page.slug if page is not None else None

    async def _page_name(self, slug: str) -> str:
        try:
            page = await self.flow.pages.find(slug)
        except hs.HubSpotError:
            page = None
        return page_label(page) if page is not None else slug

    async def _free_slots(
        self, slug: str, zone: str, minutes: int, around: datetime
    ) -> list[TimeSlot] | None:
        """Free slots around `around`; None when HubSpot did not say (its booking answer will)."""
        try:
            return await self.flow.booking.free_slots(
                slug, tz=zone, duration_minutes=minutes, around=around
            )
        except hs.HubSpotError as error:
            log.info("workflow step: availability unavailable (%s)", type(error).__name__)
            return None

    async def _ask(
        self,
        inputs: StepInputs,
        page_name: str,
        reason: str,
        wanted: datetime | None,
        minutes: int,
        zone: str,
        t: Translator,
        deadline: datetime,
    ) -> StepResult:
        around = wanted or self.clock()
        free = await self._free_slots(inputs.slug, zone, minutes, around)
        if wanted is None and free is not None and not free:
            # Nothing left this month: the next month's first free slots.
            free = await self._free_slots(
                inputs.slug, zone, minutes, around.replace(day=1) + timedelta(days=32)
            )
        if not free:
            return Failed(reason + " " + t.t("workflow.error.no_free_slots"))
        ranked = sorted(free, key=lambda slot: abs((slot.start - around).total_seconds()))
        chosen = sorted(ranked[:OFFERED_SLOTS], key=lambda slot: slot.start)
        choices = tuple(
            SlotChoice(label=t.format_slot(slot.start, zone), start=slot.start) for slot in chosen
        )
        text, message = pick_slot_message(
            t,
            page_name=page_name,
            guest=f"{inputs.guest_first_name} {inputs.guest_last_name}".strip(),
            reason=reason,
            choices=choices,
            deadline=deadline,
            zone=zone,
        )
        return AskToPick(text, message)


def _duration(wanted: int | None, info: BookingInfo) -> int:
    durations = info.durations_minutes
    if wanted is not None and (not durations or wanted in durations):
        return wanted
    if not durations:
        return wanted or DEFAULT_MINUTES
    return DEFAULT_MINUTES if DEFAULT_MINUTES in durations else durations[0]


def _custom_fields(info: BookingInfo) -> list[Any]:
    return [
        field_
        for field_ in info.custom_form_fields
        if field_.name.casefold() not in blocks.GUEST_FORM_FIELD_NAMES
    ]


def _missing_answers(info: BookingInfo, answers: Mapping[str, str]) -> list[str]:
    return [
        f"{field_.label} ({field_.name})"
        for field_ in _custom_fields(info)
        if field_.is_required and not answers.get(field_.name, "").strip()
    ]


def _page_answers(info: BookingInfo, answers: Mapping[str, str]) -> dict[str, str]:
    names = {field_.name for field_ in _custom_fields(info)}
    return {name: value for name, value in answers.items() if name in names and value.strip()}
