"""The Workflow Builder step "Book a HubSpot meeting", end to end: Slack's function_executed
over signed HTTP into the real Bolt app, the sandbox's HubSpot, a real ledger, and the
completion (functions.completeSuccess/completeError) as the Slack double receives it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.devtools.sandbox import Fault
from bot.workflow_blocks import read_pick_value
from tests.conftest import CHANNEL, PERSON
from tests.workflow.conftest import dm_with_buttons, run_step, step_inputs, workflow_booker

# NOW is Wednesday 2 Dec 2026, 9:00 in New York: 10:00 tomorrow there is 15:00 UTC.
TOMORROW_10_NY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
WHEN_TOMORROW_10 = {"en-US": "tomorrow 10am", "pt-BR": "amanhã às 10h", "es-ES": "mañana a las 10"}
UNREADABLE = {"en-US": "whenever suits", "pt-BR": "quando der", "es-ES": "cuando puedas"}
LOCALES = ("en-US", "pt-BR", "es-ES")


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_step_books_and_completes_with_its_outputs(tmp_path: Path, locale: str) -> None:
    async with workflow_booker(tmp_path, locale=locale) as booker:
        execution = await run_step(booker, step_inputs(when=WHEN_TOMORROW_10[locale]))
        await booker.until(lambda: execution.state != "running")

        assert execution.state == "completed", execution.error
        outputs = execution.outputs or {}
        assert outputs["start_time"] == int(TOMORROW_10_NY.timestamp())
        assert outputs["end_time"] == int(TOMORROW_10_NY.timestamp()) + 30 * 60
        assert outputs["join_url"].startswith("https://")
        assert outputs["calendar_event_id"] and outputs["contact_id"]
        assert outputs["status"] == "booked"
        assert booker.sandbox.book_calls == 1
        booked = booker.sandbox.bookings[0]
        assert booked["guestEmails"] == ["ana@acme.example"] and booked["slug"] == "demo"
        assert outputs["calendar_event_id"] == booked["calendarEventId"]
        assert outputs["join_url"] == booked["webConferenceUrl"]
        # The Join URL handed to the next step is the one HubSpot returned, and the channel
        # input got the same card /book posts.
        cards = await booker.posted()
        assert cards[0]["channel"] == CHANNEL
        assert outputs["join_url"] in str(cards[0]["blocks"])
        assert [r.status.value for r in await booker.ledger()] == ["booked"]


async def test_a_timestamp_from_an_earlier_step_and_a_page_link_are_understood(
    tmp_path: Path,
) -> None:
    async with workflow_booker(tmp_path) as booker:
        inputs = step_inputs(
            when=None,
            start_time=int(TOMORROW_10_NY.timestamp()),
            meeting_page="https://meetings.hubspot.com/demo",
        )
        execution = await run_step(booker, inputs)
        await booker.until(lambda: execution.state != "running")
        assert execution.state == "completed", execution.error
        assert (execution.outputs or {})["start_time"] == int(TOMORROW_10_NY.timestamp())


@pytest.mark.parametrize("locale", LOCALES)
async def test_unreadable_time_asks_the_person_who_picks_and_the_step_completes(
    tmp_path: Path, locale: str
) -> None:
    async with workflow_booker(tmp_path, locale=locale) as booker:
        execution = await run_step(booker, step_inputs(when=UNREADABLE[locale]))
        await booker.until(lambda: dm_with_buttons(booker) is not None)
        dm = dm_with_buttons(booker)
        assert dm is not None
        t = booker.services.catalog.for_locale(locale)
        heading = t.t("workflow.ask.heading", page="Product Demo", guest="Ana Lima")
        assert heading in str(dm["blocks"])
        assert execution.state == "running", "the step waits for the person"
        assert booker.sandbox.book_calls == 0

        payload = booker.double.functions.block_actions_payload(
            dm,
            "workflow_pick_0",
            user_id=PERSON,
            response_url=booker.double.response_url("pick"),
        )
        assert payload["function_data"]["execution_id"] == execution.execution_id
        picked = read_pick_value(payload["actions"][0]["value"])
        assert picked is not None
        answer = await booker.slack.send_interaction(payload)
        assert answer.status_code == 200
        await booker.until(lambda: execution.state != "running")

        assert execution.state == "completed", execution.error
        assert (execution.outputs or {})["start_time"] == int(picked[0].timestamp())
        assert booker.sandbox.book_calls == 1
        # The buttons are replaced by what happened, in the person's language.
        await booker.until(lambda: bool(booker.double.responses))
        replaced = booker.double.responses[-1]
        assert replaced["replace_original"] is True
        assert "workflow_pick_0" not in str(replaced)
        assert (
            t.t("workflow.picked.booked", page="*Product Demo*", when="").split("*")[0]
            in (replaced["text"])
        )


async def test_a_time_that_is_taken_is_offered_nearest_free_slots(tmp_path: Path) -> None:
    async with workflow_booker(tmp_path) as booker:
        # 3 a.m. in New York is outside the page's hours: not free.
        execution = await run_step(booker, step_inputs(when="tomorrow 3am"))
        await booker.until(lambda: dm_with_buttons(booker) is not None)
        dm = dm_with_buttons(booker)
        assert dm is not None
        t = booker.services.catalog.for_locale("en-US")
        taken = t.t(
            "workflow.ask.taken",
            when=t.format_slot(datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "America/New_York"),
        )
        assert taken in str(dm["blocks"])
        assert execution.state == "running" and booker.sandbox.book_calls == 0


async def test_duplicate_delivery_of_one_execution_books_once(tmp_path: Path) -> None:
    async with workflow_booker(tmp_path) as booker:
        body = booker.double.functions.run_function("book_hubspot_meeting", step_inputs())
        execution = booker.double.functions.executions[body["event"]["function_execution_id"]]
        # Slack redelivers (no ack seen in time) while the first delivery is still booking.
        first, second = await asyncio.gather(
            booker.slack.send_event_body(body),
            booker.slack.send_event_body(body, retry_num=1),
        )
        assert first.status_code == second.status_code == 200
        await booker.until(lambda: execution.state != "running")
        # And once more after it completed.
        assert (await booker.slack.send_event_body(body, retry_num=2)).status_code == 200
        completions = lambda: booker.double.calls_to("functions.completeSuccess")  # noqa: E731
        await booker.until(lambda: len(completions()) >= 2)
        await asyncio.sleep(0.3)  # let any straggler reach HubSpot if it were going to

        assert execution.state == "completed"
        assert booker.sandbox.book_calls == 1
        assert len(booker.sandbox.bookings) == 1
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        # Every delivery hands the same outputs; only one card is posted.
        outputs = {c.params["outputs"]["start_time"] for c in completions()}
        assert outputs == {int(TOMORROW_10_NY.timestamp())}
        assert len([m for m in booker.double.messages if m["channel"] == CHANNEL]) == 1


@pytest.mark.parametrize("locale", LOCALES)
async def test_hubspot_refusing_fails_the_step_with_the_localized_reason(
    tmp_path: Path, locale: str
) -> None:
    async with workflow_booker(tmp_path, locale=locale) as booker:
        booker.sandbox.inject(Fault(operation="book", kind="status", status=400))
        execution = await run_step(booker, step_inputs(when=WHEN_TOMORROW_10[locale]))
        await booker.until(lambda: execution.state != "running")

        assert execution.state == "failed"
        t = booker.services.catalog.for_locale(locale)
        # The modal's wording for a refusal that names no field: HubSpot's words quoted inside
        # a sentence in the person's language, with the reference for HubSpot support.
        before, after = t.messages["error.hubspot.refused"].split("{detail}")
        assert execution.error and execution.error.startswith(before)
        assert after.split("{reference}")[0] in execution.error
        (record,) = await booker.ledger()
        assert record.status.value == "failed" and record.error_code == "validation"
        assert not [m for m in booker.double.messages if m["channel"] == CHANNEL]


@pytest.mark.parametrize("locale", LOCALES)
async def test_an_unknown_page_fails_with_the_localized_reason(tmp_path: Path, locale: str) -> None:
    async with workflow_booker(tmp_path, locale=locale) as booker:
        execution = await run_step(booker, step_inputs(meeting_page="no-such-page"))
        await booker.until(lambda: execution.state != "running")
        t = booker.services.catalog.for_locale(locale)
        assert execution.state == "failed"
        assert execution.error == t.t("error.hubspot.page_not_found")
        assert booker.sandbox.book_calls == 0


async def test_nobody_picking_in_time_fails_the_step(tmp_path: Path) -> None:
    async with workflow_booker(
        tmp_path, locale="pt-BR", settings={"BOOKBOT_WORKFLOW_PICK_MINUTES": "0.01"}
    ) as booker:
        execution = await run_step(booker, step_inputs(when="quando der"))
        await booker.until(lambda: execution.state != "running")
        t = booker.services.catalog.for_locale("pt-BR")
        assert execution.state == "failed"
        assert execution.error == t.t("workflow.error.pick_expired")
        assert dm_with_buttons(booker) is not None
        assert booker.sandbox.book_calls == 0


async def test_a_workflow_booking_leaves_no_step_for_a_reconciler_to_redo(tmp_path: Path) -> None:
    """The step posts its own card: the ledger must not also hold a card step, which a
    reconciler would carry out (a second card) once its claim lapsed."""
    async with workflow_booker(tmp_path, locale="en-US") as booker:
        execution = await run_step(booker, step_inputs(when=WHEN_TOMORROW_10["en-US"]))
        await booker.until(lambda: execution.state != "running")
        assert execution.state == "completed", execution.error
        later = booker.services.clock() + timedelta(days=1)  # every claim has lapsed
        assert await booker.services.store.due_steps(now=later) == []
