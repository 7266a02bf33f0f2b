"""Reminders, "Add to calendar" and the message shortcut, end to end over real sockets."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot.logging_setup import redact
from bot.store import BookingRecord
from tests.e2e.conftest import CHANNEL, PERSON, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
EMAIL = "ana@acme.com"
# Thu Dec 3 2026, 10:00 in New York.
TOMORROW_10AM = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    found += [b["accessory"] for b in blocks if b.get("accessory")]
    return {button["action_id"]: button for button in found}


async def book(booker: Booker, text: str, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Book through the modal; returns the posted card's chat.postMessage parameters."""
    posted = len(booker.double.calls_to("chat.postMessage"))
    view = await booker.open_modal(text)
    answer = await booker.submit(view, answers or GUEST)
    assert answer["response_action"] == "update", answer
    return (await booker.posted(posted + 1))[posted]


async def scheduled(booker: Booker, count: int = 1) -> list[dict[str, Any]]:
    await booker.until(lambda: len(booker.double.calls_to("chat.scheduleMessage")) >= count)
    return [dict(call.params) for call in booker.double.calls_to("chat.scheduleMessage")]


async def record_of(booker: Booker, card: dict[str, Any]) -> BookingRecord:
    key = buttons(card["blocks"])["add_to_calendar"]["value"]
    record = await booker.services.store.get(key)
    assert record is not None
    return record


async def settled(booker: Booker, card: dict[str, Any]) -> BookingRecord:
    """The ledger row once the handler has recorded the card (the step right before the
    reminder), plus a moment for a reminder call that must not come."""
    record = await recorded(booker, card, lambda r: r.message_ts is not None)
    await asyncio.sleep(0.3)
    return record


async def recorded(
    booker: Booker, card: dict[str, Any], condition: Callable[[BookingRecord], bool]
) -> BookingRecord:
    """The card's ledger row once `condition` holds for it."""
    key = buttons(card["blocks"])["add_to_calendar"]["value"]
    deadline = time.monotonic() + 10
    while True:
        record = await booker.services.store.get(key)
        if record is not None and condition(record):
            return record
        assert time.monotonic() < deadline, "the ledger never recorded it"
        await asyncio.sleep(0.02)


def reminder_minutes(booker: Booker, minutes: int) -> None:
    settings = booker.services.settings.model_copy(update={"reminder_minutes": minutes})
    booker.services.settings = settings


async def click(
    booker: Booker,
    button: dict[str, Any],
    *,
    channel: str = CHANNEL,
    message_ts: str = "1796300000.000100",
    response_url: str | None = None,
) -> int:
    """A click on a button of a channel message, as Slack sends it."""
    payload = booker.slack._envelope("block_actions") | {
        "actions": [button | {"block_id": "booking_actions", "action_ts": str(time.time())}],
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "ts": message_ts, "text": "card"},
        "response_url": response_url or booker.double.response_url("click"),
    }
    answer = await booker.slack.send_interaction(payload)
    return answer.status_code


def ics_of(booker: Booker, upload_index: int = -1) -> Calendar:
    completed = booker.double.calls_to("files.completeUploadExternal")[upload_index]
    file_id = completed.params["files"][0]["id"]
    return Calendar.from_ical(booker.double.uploads.contents[file_id])


# --- reminders -------------------------------------------------------------------------------
async def test_a_reminder_is_scheduled_in_the_cards_channel_with_the_join_button(
    booker: Booker,
) -> None:
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    [reminder] = await scheduled(booker)
    assert reminder["channel"] == CHANNEL
    assert "thread_ts" not in reminder
    post_at = TOMORROW_10AM - timedelta(minutes=10)
    assert int(reminder["post_at"]) == int(post_at.timestamp())
    join = buttons(reminder["blocks"])["join_meeting"]
    assert join["url"] == buttons(card["blocks"])["join_meeting"]["url"]
    assert join["url"].startswith("https://")
    body = str(reminder["blocks"])
    assert "10 min" in reminder["text"] and "Ana Souza" in body and f"<@{PERSON}>" in body

    await booker.until(lambda: bool(booker.double.scheduled_messages))
    [queued] = booker.double.scheduled_messages
    record = await recorded(booker, card, lambda r: r.reminder_id is not None)
    assert record.reminder_id == queued["id"]
    assert record.reminder_at == post_at


async def test_the_reminder_lead_comes_from_the_setting_and_zero_turns_it_off(
    booker: Booker,
) -> None:
    reminder_minutes(booker, 30)
    await book(booker, f"demo tomorrow 10am {EMAIL}")
    [reminder] = await scheduled(booker)
    assert int(reminder["post_at"]) == int((TOMORROW_10AM - timedelta(minutes=30)).timestamp())
    assert "30 min" in reminder["text"]

    reminder_minutes(booker, 0)
    card = await book(booker, f"demo tomorrow 3pm {EMAIL}")
    record = await settled(booker, card)
    assert len(booker.double.calls_to("chat.scheduleMessage")) == 1
    assert record.reminder_id is None


async def test_no_reminder_when_the_meeting_starts_too_soon(booker: Booker) -> None:
    # NOW is 9:00 in New York; a meeting at 9:30 with a 30-minute lead would remind "now".
    reminder_minutes(booker, 30)
    card = await book(booker, f"demo today 9:30am {EMAIL}")
    record = await settled(booker, card)
    assert record.status == "booked"
    assert booker.double.calls_to("chat.scheduleMessage") == []
    assert record.reminder_id is None


async def test_slack_refusing_the_reminder_leaves_the_booking_intact(
    booker: Booker, caplog: pytest.LogCaptureFixture
) -> None:
    booker.double.fail_next("chat.scheduleMessage", "restricted_action")
    with caplog.at_level(logging.DEBUG):
        card = await book(booker, f"demo tomorrow 10am {EMAIL}")
        await scheduled(booker)
        record = await settled(booker, card)
    assert (await booker.result())["title"]["text"] == "Booked ✓"
    assert record.status == "booked" and record.reminder_id is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.posting"]
    assert any("restricted_action" in message for message in warnings)
    assert booker.sandbox.book_calls == 1


# --- add to calendar -------------------------------------------------------------------------
async def test_add_to_calendar_sends_the_clicker_an_ics_by_dm(booker: Booker) -> None:
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    button = buttons(card["blocks"])["add_to_calendar"]
    assert EMAIL not in button["value"]
    assert await click(booker, button) == 200
    await booker.until(lambda: bool(booker.double.calls_to("files.completeUploadExternal")))

    [opened] = booker.double.calls_to("conversations.open")
    assert opened.params["users"] == PERSON
    dm = booker.double.messages[-1]
    assert dm["subtype"] == "file_share" and dm["channel"].startswith("D")
    assert "Product demo" in dm["text"] or "demo" in dm["text"].lower()
    [requested] = booker.double.calls_to("files.getUploadURLExternal")
    assert requested.params["filename"].endswith("-2026-12-03.ics")

    calendar = ics_of(booker)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == TOMORROW_10AM
    assert event.decoded("dtend") == TOMORROW_10AM + timedelta(minutes=30)
    join_url = buttons(card["blocks"])["join_meeting"]["url"]
    assert str(event["location"]) == str(event["url"]) == join_url
    assert "Ana Souza" in str(event["description"])

    # The same booking clicked again (or by someone else) is the same calendar event.
    assert await click(booker, button) == 200
    await booker.until(lambda: len(booker.double.calls_to("files.completeUploadExternal")) == 2)
    [again] = ics_of(booker).walk("VEVENT")
    assert str(again["uid"]) == str(event["uid"])


async def test_calendar_problems_are_told_privately_in_the_clickers_language(
    booker: Booker,
) -> None:
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    portuguese = booker.services.catalog.for_locale("pt-BR")

    unknown = {"type": "button", "action_id": "add_to_calendar", "value": "V0GONE:deadbeef"}
    assert await click(booker, unknown) == 200
    await booker.until(lambda: len(booker.double.responses) == 1)
    answer = booker.double.responses[0]
    assert answer["text"] == portuguese.t("calendar.not_found")
    assert answer["response_type"] == "ephemeral"

    booker.double.fail_next("files.getUploadURLExternal", "ratelimited", retry_after=0)
    booker.double.fail_next("files.getUploadURLExternal", "not_allowed_token_type")
    assert await click(booker, buttons(card["blocks"])["add_to_calendar"]) == 200
    await booker.until(lambda: len(booker.double.responses) == 2)
    assert booker.double.responses[1]["text"] == portuguese.t("calendar.failed")
    assert booker.double.calls_to("files.completeUploadExternal") == []


# --- the message shortcut --------------------------------------------------------------------
async def shortcut(booker: Booker, message: dict[str, Any], channel: str = CHANNEL) -> None:
    updates = len(booker.double.calls_to("views.update"))
    payload = booker.slack._envelope("message_action") | {
        "callback_id": "book_from_message",
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "user": "U0OTHER"} | message,
        "message_ts": message["ts"],
        "response_url": booker.double.response_url("shortcut"),
    }
    answer = await booker.slack.send_interaction(payload)
    assert answer.status_code == 200
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)


def input_of(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        b["element"]
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["action_id"] == action_id
    )


async def test_the_shortcut_books_from_a_message_and_answers_in_its_thread(
    booker: Booker,
) -> None:
    text = (
        "Hi team, <@U0LEAD> wants a demo tomorrow at 10am with "
        "<mailto:ana@acme.com|ana@acme.com> — can someone set it up? &lt;thanks&gt;"
    )
    await shortcut(booker, {"ts": "1796300000.000200", "text": text})
    view = booker.view()
    assert input_of(view, "meeting_page")["initial_option"]["value"] == "demo"
    assert input_of(view, "when")["initial_value"] == "tomorrow at 10am"
    assert input_of(view, "guest_email")["initial_value"] == EMAIL
    assert not [b for b in view["blocks"] if b.get("element", {}).get("action_id") == "post_to"]
    assert f"<#{CHANNEL}>" in str(view["blocks"])

    answer = await booker.submit(view, GUEST)
    assert answer["response_action"] == "update", answer
    card = (await booker.posted())[0]
    assert card["channel"] == CHANNEL
    assert card["thread_ts"] == "1796300000.000200"
    [reminder] = await scheduled(booker)
    assert reminder["thread_ts"] == "1796300000.000200"
    record = await settled(booker, card)
    assert record.thread_ts == "1796300000.000200"
    assert record.start == TOMORROW_10AM


async def test_the_shortcut_on_a_reply_answers_in_the_same_thread(booker: Booker) -> None:
    reply = {"ts": "1796300050.000300", "thread_ts": "1796300000.000200", "text": "demo at 3pm?"}
    await shortcut(booker, reply)
    view = booker.view()
    assert input_of(view, "when")["initial_value"] == "at 3pm"
    await booker.submit(view, GUEST | {"guest_email": EMAIL})
    card = (await booker.posted())[0]
    assert card["thread_ts"] == "1796300000.000200"


async def test_a_message_without_time_words_leaves_when_empty(booker: Booker) -> None:
    await shortcut(booker, {"ts": "1796300000.000400", "text": "great news everyone!"})
    assert "initial_value" not in input_of(booker.view(), "when")


async def test_when_the_thread_cannot_take_the_card_it_reaches_the_booker(
    booker: Booker,
) -> None:
    booker.double.add_channel("G0SECRET", is_private=True, is_member=False)
    await shortcut(booker, {"ts": "1796300000.000500", "text": "demo tomorrow 3pm"}, "G0SECRET")
    await booker.submit(booker.view(), GUEST | {"guest_email": EMAIL})
    await booker.until(lambda: len(booker.double.messages) >= 2)
    assert all(m["channel"].startswith("D") for m in booker.double.messages)
    assert any("couldn't post" in m["text"] for m in booker.double.messages)
    assert booker.sandbox.book_calls == 1


# --- what people typed stays text; emails stay out of logs ------------------------------------
NASTY_FIRST = "<!channel> a&b"
NASTY_LAST = "<https://evil.example|click>"


def assert_escaped(rendered: str) -> None:
    assert "<!channel>" not in rendered
    assert "<https://evil" not in rendered
    assert "a&b" not in rendered
    assert "&lt;!channel&gt; a&amp;b" in rendered
    assert "&lt;https://evil.example|click&gt;" in rendered


async def test_typed_names_are_escaped_in_list_home_and_reminder_and_literal_in_the_ics(
    booker: Booker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = {"guest_first_name": NASTY_FIRST, "guest_last_name": NASTY_LAST}
    card = await book(booker, f"demo tomorrow 10am {EMAIL}", answers)
    assert_escaped(str(card["blocks"]))

    [reminder] = await scheduled(booker)
    assert_escaped(str(reminder["blocks"]) + reminder["text"])

    await booker.slack.slash_command("list", response_url=booker.double.response_url("list"))
    await booker.until(lambda: len(booker.double.responses) == 1)
    assert_escaped(str(booker.double.responses[0]["blocks"]))

    await booker.slack.send_event(
        {"type": "app_home_opened", "user": PERSON, "tab": "home", "channel": "D0HOME"}
    )
    await booker.until(lambda: bool(booker.double.calls_to("views.publish")))
    assert_escaped(str(booker.double.calls_to("views.publish")[-1].params["view"]["blocks"]))

    assert await click(booker, buttons(card["blocks"])["add_to_calendar"]) == 200
    await booker.until(lambda: bool(booker.double.calls_to("files.completeUploadExternal")))
    [event] = ics_of(booker).walk("VEVENT")
    description = str(event["description"])
    assert f"{NASTY_FIRST} {NASTY_LAST} ({EMAIL})" in description
    assert "&lt;" not in description and "&amp;" not in description

    # Everything Booker logged on the way masks the guest's email; the log handler's filter
    # masks it in what the libraries log at DEBUG too.
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("bot", "handlers")]
    assert ours, "expected Booker to log something at DEBUG"
    assert not [r.getMessage() for r in ours if EMAIL in r.getMessage()]
    assert not [r.name for r in caplog.records if EMAIL in redact(r.getMessage())]


async def test_book_twice_at_once_sends_one_reminder(booker: Booker) -> None:
    view = await booker.open_modal(f"demo tomorrow 11am {EMAIL}")
    first, second = await asyncio.gather(
        booker.slack.view_submission(view, GUEST), booker.slack.view_submission(view, GUEST)
    )
    assert first.status_code == second.status_code == 200
    card = (await booker.posted())[0]
    await scheduled(booker)
    await settled(booker, card)
    assert len(booker.double.calls_to("chat.scheduleMessage")) == 1
    assert booker.sandbox.book_calls == 1


async def test_add_to_calendar_in_the_result_modal_answers_by_dm(booker: Booker) -> None:
    await book(booker, f"demo tomorrow 10am {EMAIL}")
    result = await booker.result()
    button = buttons(result["blocks"])["add_to_calendar"]
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="es-ES", name="Dani")

    assert (await booker.slack.block_action(result, button)).status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("files.completeUploadExternal")))
    dm = booker.double.messages[-1]
    assert dm["subtype"] == "file_share" and dm["channel"].startswith("D")
    assert "calendario" in dm["text"]

    gone = button | {"value": "V0GONE:0"}
    messages = len(booker.double.messages)
    assert (await booker.slack.block_action(result, gone)).status_code == 200
    await booker.until(lambda: len(booker.double.messages) > messages)
    spanish = booker.services.catalog.for_locale("es-ES")
    assert booker.double.messages[-1]["text"] == spanish.t("calendar.not_found")


async def test_the_same_submission_after_it_was_booked_gets_the_booking_not_slot_taken(
    booker: Booker,
) -> None:
    # Slack retries a submission whose ack it did not see; by then the slot is taken by this
    # very booking, which must not be reported as "just taken".
    view = await booker.open_modal(f"demo tomorrow 11am {EMAIL}")
    await booker.submit(view, GUEST)
    card = (await booker.posted())[0]
    await settled(booker, card)
    booker.services.pages.forget_availability("demo")

    again = await booker.submit(view, GUEST)
    assert again["response_action"] == "update", again
    assert (await booker.result())["title"]["text"] == "Booked ✓"
    assert booker.sandbox.book_calls == 1
    assert len(booker.double.calls_to("chat.postMessage")) == 1
