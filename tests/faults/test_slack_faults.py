"""Slack's Web API refuses; the booking still reaches the person once, and they are told where."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.conftest import CHANNEL, PERSON, start_booker
from tests.faults.helpers import GUEST, text_of, tracebacks


def _cards(booker: object) -> list[dict]:
    """Messages that carry the booking card (Join button), wherever they were posted."""
    double = booker.double  # type: ignore[attr-defined]
    return [m for m in double.messages if "join_meeting" in str(m.get("blocks"))]


async def test_ratelimited_post_is_waited_out_and_the_card_posted_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.double.fail_next("chat.postMessage", "ratelimited", retry_after=1)
        await booker.submit(view, GUEST)
        await booker.posted(2)  # the refused call and the one after Retry-After
        await booker.until(lambda: len(_cards(booker)) == 1)
        await asyncio.sleep(0.2)
        [card] = _cards(booker)
        assert card["channel"] == CHANNEL
        assert len(booker.double.calls_to("chat.postMessage")) == 2
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        [record] = await booker.ledger()
        assert record.status.value == "booked"
        assert booker.double.calls_to("conversations.open") == []  # no DM fallback needed
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
async def test_a_channel_that_refuses_the_card_gets_a_dm_saying_where(
    tmp_path: Path, error: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.double.fail_next("chat.postMessage", error)
        await booker.submit(view, GUEST)
        await booker.until(lambda: len(_cards(booker)) == 1)
        [card] = _cards(booker)
        assert card["channel"].startswith("D")  # the booker's DM
        assert [call.params["users"] for call in booker.double.calls_to("conversations.open")] == [
            PERSON
        ]
        notes = [m["text"] for m in booker.double.messages if m is not card]
        expected = booker.text("dm.could_not_post", channel=f"<#{CHANNEL}>")
        assert notes == [expected]
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_a_refused_channel_with_a_response_url_posts_there(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.double.fail_next("chat.postMessage", "not_in_channel")
        url = booker.double.response_url("submission")
        answer = await booker.slack.view_submission(
            view, GUEST, response_urls=[{"channel_id": CHANNEL, "response_url": url}]
        )
        assert answer.status_code == 200
        await booker.until(lambda: len(booker.double.responses) == 1)
        response = booker.double.responses[0]
        assert response["response_type"] == "in_channel"
        assert "join_meeting" in str(response["blocks"])
        assert _cards(booker) == []  # not posted a second time anywhere else
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_invalid_blocks_in_the_channel_still_posts_the_confirmation_as_text_there(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.double.fail_next("chat.postMessage", "invalid_blocks")
        await booker.submit(view, GUEST)
        await booker.until(lambda: len(booker.double.messages) == 1)
        [message] = booker.double.messages
        assert not message["channel"].startswith("D")  # where the person asked, not a DM
        assert not message.get("blocks")
        assert "Product Demo" in message["text"] and "booked by" in message["text"].lower()
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_slack_refusing_every_post_leaves_the_booking_confirmed_in_the_modal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.double.fail_next("chat.postMessage", "invalid_blocks", times=10)
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("result.title")
        assert "join_meeting" in text_of(result)  # the card, with its Join button, is right here
        await booker.until(lambda: len(booker.double.calls_to("chat.postMessage")) >= 2)
        await asyncio.sleep(0.3)
        assert [r.status.value for r in await booker.ledger()] == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


@pytest.mark.parametrize(
    ("locale", "tz"), [("en-US", "America/New_York"), ("es-ES", "Europe/Madrid")]
)
async def test_an_expired_trigger_id_answers_privately_in_the_persons_language(
    tmp_path: Path, locale: str, tz: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, locale=locale, tz=tz) as booker:
        booker.double.fail_next("views.open", "expired_trigger_id")
        url = booker.double.response_url()
        answer = await booker.slack.slash_command("demo tomorrow 10am", response_url=url)
        assert answer.status_code == 200
        await booker.until(lambda: len(booker.double.responses) == 1)
        [response] = booker.double.responses
        assert response["response_type"] == "ephemeral"
        assert response["text"] == booker.text("error.modal_expired", locale)
        assert booker.double.calls_to("views.update") == []
        assert await booker.ledger() == []
        assert booker.sandbox.book_calls == 0
    assert tracebacks(caplog) == []
