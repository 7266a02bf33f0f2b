"""A reminder Slack will not schedule in the card's channel still reaches someone, and the card's
thread says where: chat.scheduleMessage needs the bot in the channel (chat:write.public covers
chat.postMessage only), so Booker joins when it may (channels:join), else DMs the booker."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import CHANNEL, PERSON, Booker
from tests.e2e.test_ledger_features import EMAIL, book, recorded


async def _thread_notes(booker: Booker, card_ts: str, count: int = 1) -> list[dict[str, Any]]:
    def notes() -> list[dict[str, Any]]:
        return [m for m in booker.double.messages if m.get("thread_ts") == card_ts]

    await booker.until(lambda: len(notes()) >= count)
    return notes()


def _card_ts(booker: Booker) -> str:
    return str(next(m["ts"] for m in booker.double.messages if m["channel"] == CHANNEL))


async def test_not_in_channel_and_no_join_scope_sends_the_reminder_by_dm(booker: Booker) -> None:
    booker.double.add_channel(CHANNEL, is_member=False)  # public, the bot never joined
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    record = await recorded(booker, card, lambda r: r.reminder_id is not None)
    attempts = [c.params["channel"] for c in booker.double.calls_to("chat.scheduleMessage")]
    assert attempts[0] == CHANNEL and attempts[-1].startswith("D")
    [reminder] = booker.double.scheduled_messages
    assert reminder["channel"].startswith("D")
    assert booker.double.calls_to("conversations.open")[-1].params["users"] == PERSON
    [note] = await _thread_notes(booker, _card_ts(booker))
    assert note["channel"] == CHANNEL
    assert f"<@{PERSON}>" in note["text"] and "direct message" in note["text"]
    assert record.reminder_id == reminder["id"]


async def test_with_the_join_scope_booker_joins_and_schedules_in_the_channel(
    booker: Booker,
) -> None:
    booker.double.add_channel(CHANNEL, is_member=False)
    booker.double.bot_scopes.add("channels:join")
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    await recorded(booker, card, lambda r: r.reminder_id is not None)
    [reminder] = booker.double.scheduled_messages
    assert reminder["channel"] == CHANNEL
    assert booker.double.channels[CHANNEL].is_member
    [note] = await _thread_notes(booker, _card_ts(booker))
    assert "joined" in note["text"]


async def test_a_reminder_slack_cannot_schedule_at_all_is_said_in_the_thread(
    booker: Booker,
) -> None:
    booker.double.fail_next("chat.scheduleMessage", "time_too_far")
    card = await book(booker, f"demo tomorrow 10am {EMAIL}")
    await recorded(booker, card, lambda r: r.message_ts is not None)
    [note] = await _thread_notes(booker, _card_ts(booker))
    assert "No reminder" in note["text"] and "120 days" in note["text"]
    assert booker.double.scheduled_messages == []


async def test_a_portuguese_booker_reads_the_note_in_portuguese(booker: Booker) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    booker.double.add_channel(CHANNEL, is_member=False)
    await book(booker, f"demo amanhã 13h {EMAIL}")
    [note] = await _thread_notes(booker, _card_ts(booker))
    assert "mensagem direta" in note["text"]
