"""A person books from Slack, end to end, over real sockets."""

from __future__ import annotations

import asyncio
import time

from slack_sdk.models.views import View

from bot.devtools.slack_requests import signed_headers
from tests.e2e.conftest import CHANNEL, PERSON, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def _input_blocks(view: dict) -> dict[str, dict]:
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def _preview_text(view: dict) -> str:
    for block in view["blocks"]:
        if block.get("block_id") == "when_preview":
            return block["text"]["text"]
    raise AssertionError("no preview under `when`")


async def test_slash_command_to_card_with_a_join_button(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
    View(**view).validate_json()
    inputs = _input_blocks(view)
    assert inputs["meeting_page"]["element"]["initial_option"]["value"] == "demo"
    assert inputs["when"]["element"]["initial_value"] == "tomorrow 10am"
    assert inputs["guest_email"]["element"]["initial_value"] == "ana@acme.com"
    assert inputs["timezone"]["element"]["initial_option"]["value"] == "America/New_York"
    assert "Thu, Dec 3" in _preview_text(view) and "*Free:*" in _preview_text(view)

    answer = await booker.submit(view, GUEST)
    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == "Booking…"

    card = (await booker.posted())[0]
    assert card["channel"] == CHANNEL
    buttons = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    join = next(button for button in buttons if button["action_id"] == "join_meeting")
    assert join["url"].startswith("https://")
    text = str(card["blocks"])
    assert f"<@{PERSON}>" in text and "Ana Souza" in text and "30 min" in text
    # 10:00 in New York on Dec 3 is 15:00 UTC; every viewer sees it in their own zone.
    assert "<!date^1796310000^" in text
    assert booker.sandbox.book_calls == 1
    result = await booker.result()
    assert result["title"]["text"] == "Booked ✓"

    click = await booker.slack.block_action(
        None,
        {
            "action_id": "join_meeting",
            "type": "button",
            "block_id": "booking_actions",
            "url": join["url"],
        },
    )
    assert click.status_code == 200


async def test_same_submission_twice_books_once(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    first, second = await asyncio.gather(
        booker.slack.view_submission(view, GUEST), booker.slack.view_submission(view, GUEST)
    )
    assert first.status_code == second.status_code == 200
    await booker.posted()
    await asyncio.sleep(0.3)
    assert booker.sandbox.book_calls == 1
    assert len(booker.double.calls_to("chat.postMessage")) == 1


async def test_each_time_error_is_shown_inline_and_nothing_is_booked(booker: Booker) -> None:
    view = await booker.open_modal("demo")
    cases = {
        "": "Tell me when",
        "hello there": "couldn't read",
        "yesterday 10am": "in the past",
        "next friday": "Pick a time on",
    }
    for words, expected in cases.items():
        answer = await booker.slack.view_submission(
            view, GUEST | {"when": words, "guest_email": "ana@acme.com"}
        )
        body = answer.json()
        assert body["response_action"] == "errors", words
        assert expected in body["errors"]["when"], (words, body["errors"])
    assert booker.sandbox.book_calls == 0


async def test_bad_email_and_missing_page_questions_are_inline_errors(booker: Booker) -> None:
    view = await booker.open_modal("sales-intro tomorrow 10am")
    inputs = _input_blocks(view)
    assert any(block_id.startswith("form_field:") for block_id in inputs)
    answer = await booker.slack.view_submission(view, GUEST | {"guest_email": "ana@"})
    errors = answer.json()["errors"]
    assert "guest_email" in errors
    assert any(key.startswith("form_field:") for key in errors)
    assert booker.sandbox.book_calls == 0


async def test_a_portuguese_speaker_gets_portuguese(booker: Booker) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    view = await booker.open_modal("demo amanhã às 16h")
    assert view["title"]["text"] == "Agendar reunião" or "reuni" in view["title"]["text"].lower()
    answer = await booker.slack.view_submission(view, GUEST | {"guest_email": "x"})
    assert "guest_email" in answer.json()["errors"]
    assert "e-mail" in answer.json()["errors"]["guest_email"].lower()


async def _rival_books(booker: Booker, text: str) -> None:
    other = await booker.slack.view_submission(await booker.open_modal(text), GUEST)
    assert other.json()["response_action"] == "update"
    await booker.posted()


async def test_slot_the_preview_shows_taken_is_refused_inline_on_submit(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 1pm ana@acme.com")
    assert "*Free:*" in _preview_text(view)
    await _rival_books(booker, "demo tomorrow 1pm bo@acme.com")
    # The person presses enter in `when` again: the live preview asks HubSpot afresh.
    updates = len(booker.double.calls_to("views.update"))
    when_id = next(b["block_id"] for b in view["blocks"] if b["block_id"].startswith("when"))
    await booker.slack.block_action(
        view, {"action_id": when_id, "block_id": when_id, "type": "plain_text_input"}
    )
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
    view = dict(booker.double.views[view["id"]])
    assert "*Busy:*" in _preview_text(view)
    answer = await booker.slack.view_submission(view, GUEST)
    body = answer.json()
    assert body["response_action"] == "errors"
    [(block_id, message)] = body["errors"].items()
    assert block_id.startswith("when") and "taken" in message
    assert booker.sandbox.book_calls == 1  # the rival's only


async def test_slot_taken_after_the_last_preview_is_told_by_hubspots_answer(
    booker: Booker,
) -> None:
    view = await booker.open_modal("demo tomorrow 1pm ana@acme.com")
    assert "*Free:*" in _preview_text(view)
    await _rival_books(booker, "demo tomorrow 1pm bo@acme.com")
    # No fresh availability: the ack does not wait on HubSpot; its answer to the booking decides.
    answer = await booker.submit(view, GUEST)
    assert answer["response_action"] == "update"
    await booker.result()  # the views.update after the ack
    result = booker.double.views[view["id"]]
    text = str(result["blocks"])
    assert "taken" in text
    assert "back_to_form" in text
    assert booker.sandbox.book_calls == 2
    assert len(booker.double.calls_to("chat.postMessage")) == 1  # the rival's card only


async def test_offline_page_posts_its_location_and_no_button(booker: Booker) -> None:
    view = await booker.open_modal("onsite-visit tomorrow 11am ana@acme.com")
    await booker.slack.view_submission(view, GUEST)
    card = (await booker.posted())[0]
    buttons = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [button["action_id"] for button in buttons] == ["add_to_calendar"]  # no Join
    assert "Location" in str(card["blocks"])


async def test_user_typed_text_is_escaped_in_the_card(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 3pm ana@acme.com")
    answer = await booker.submit(
        view, {"guest_first_name": "<!channel>", "guest_last_name": "<https://evil.example|x>"}
    )
    assert answer["response_action"] == "update", answer
    card = (await booker.posted())[0]
    text = str(card["blocks"]) + card["text"]
    assert "<!channel>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text


async def test_private_channel_without_the_bot_falls_back_to_a_dm(booker: Booker) -> None:
    booker.double.add_channel("G0SECRET", is_private=True, is_member=False)
    view = await booker.open_modal("demo tomorrow 3pm ana@acme.com")
    await booker.slack.view_submission(view, GUEST | {"post_to": "G0SECRET"})
    await booker.until(lambda: len(booker.double.calls_to("conversations.open")) == 1)
    await booker.until(lambda: len(booker.double.messages) >= 2)
    dm_texts = [m["text"] for m in booker.double.messages]
    assert any("couldn't post" in text for text in dm_texts)
    assert booker.sandbox.book_calls == 1


async def test_hubspot_down_shows_a_way_back_with_the_form_kept(booker: Booker) -> None:
    from bot.devtools.sandbox import Fault

    view = await booker.open_modal("demo tomorrow 4pm ana@acme.com")
    booker.services.pages._details.clear()
    booker.sandbox.inject(Fault(operation="any", kind="status", status=503, times=50))
    await booker.submit(view, GUEST)
    result = await booker.result()
    assert "Not booked" in result["title"]["text"] or "Not confirmed" in result["title"]["text"]
    back = next(
        e
        for b in result["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "back_to_form"
    )
    booker.sandbox.reset()
    await booker.slack.block_action(result, back)
    await booker.until(lambda: booker.view()["title"]["text"] == "Book a meeting")
    restored = _input_blocks(booker.view())
    assert restored["guest_first_name"]["element"]["initial_value"] == "Ana"
    assert booker.sandbox.book_calls == 0


async def test_unsigned_and_stale_requests_are_refused(booker: Booker) -> None:
    body = b"command=/book&text=&user_id=U1&trigger_id=t"
    unsigned = await booker.http.post(
        "/slack/events", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    stale_headers = signed_headers(
        booker.secret,
        body,
        content_type="application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 600,
    )
    stale = await booker.http.post("/slack/events", content=body, headers=stale_headers)
    assert unsigned.status_code == stale.status_code == 401
    assert not booker.double.calls_to("views.open")


async def test_help_and_list_answer_privately_in_the_persons_language(booker: Booker) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="es-ES", name="Dani")
    url = booker.double.response_url()
    await booker.slack.slash_command("help", response_url=url)
    await booker.until(lambda: len(booker.double.responses) == 1)
    help_answer = booker.double.responses[0]
    assert help_answer["response_type"] == "ephemeral"
    assert "/book" in str(help_answer["blocks"])
    assert help_answer["text"] == booker.services.catalog.for_locale("es-ES").t("help.title")

    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    await booker.submit(view, GUEST)
    await booker.posted()
    await booker.slack.slash_command("list", response_url=url)
    await booker.until(lambda: len(booker.double.responses) == 2)
    listing = str(booker.double.responses[1]["blocks"])
    assert "Ana Souza" in listing and "join_meeting" in listing


async def test_a_suggested_slot_fills_when_and_keeps_the_rest(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 10:05am ana@acme.com")
    slots = [e for b in view["blocks"] if b.get("block_id") == "when_slots" for e in b["elements"]]
    assert slots, "a busy or off-grid time offers the nearest free slots"
    updates = len(booker.double.calls_to("views.update"))
    await booker.slack.block_action(view, slots[0], {"guest_first_name": "Ana"})
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
    refreshed = booker.view()
    when = next(
        b
        for b in refreshed["blocks"]
        if b["type"] == "input" and b["element"]["action_id"] == "when"
    )
    assert when["block_id"] != "when"  # a new block id so Slack shows the new value
    assert when["element"]["initial_value"].startswith("2026-12-03 ")
    first = next(b for b in refreshed["blocks"] if b.get("block_id") == "guest_first_name")
    assert first["element"]["initial_value"] == "Ana"
    preview = next(b for b in refreshed["blocks"] if b.get("block_id") == "when_preview")
    assert "*Free:*" in preview["text"]["text"]


async def test_the_same_form_after_a_refusal_is_tried_again(booker: Booker) -> None:
    from bot.devtools.sandbox import Fault

    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    booker.sandbox.inject(Fault(operation="book", kind="status", status=401, times=1))
    await booker.submit(view, GUEST)
    refused = await booker.result()
    assert refused["title"]["text"] == "Not booked"
    assert booker.double.calls_to("chat.postMessage") == []
    await booker.submit(view, GUEST)
    assert (await booker.posted())[0]["channel"] == CHANNEL
    assert booker.sandbox.book_calls == 2


async def test_app_home_lists_bookings_and_opens_the_modal(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    await booker.submit(view, GUEST)
    await booker.posted()
    answer = await booker.slack.send_event(
        {"type": "app_home_opened", "user": PERSON, "tab": "home", "channel": "D0HOME"}
    )
    assert answer.status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("views.publish")))
    home = booker.double.calls_to("views.publish")[-1].params["view"]
    assert "Ana Souza" in str(home["blocks"])
    button = next(
        e
        for b in home["blocks"]
        if b.get("accessory")
        for e in [b["accessory"]]
        if e.get("action_id") == "open_booking_modal"
    )
    opened = len(booker.double.calls_to("views.open"))
    await booker.slack.block_action(None, button)
    await booker.until(lambda: len(booker.double.calls_to("views.open")) > opened)


async def test_a_late_hubspot_answer_is_reported_honestly_and_never_rebooked(
    booker: Booker,
) -> None:
    from bot.devtools.sandbox import Fault

    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    booker.sandbox.inject(Fault(operation="book", kind="status", status=502, times=1))
    await booker.submit(view, GUEST)
    result = await booker.result()
    assert result["title"]["text"] == "Not confirmed"
    actions = [
        e["action_id"] for b in result["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert "check_again" in actions
    await booker.submit(view, GUEST)  # the same form again: HubSpot may have booked it
    await asyncio.sleep(0.3)
    assert booker.sandbox.book_calls == 1
    assert booker.double.calls_to("chat.postMessage") == []


async def test_check_again_after_an_unconfirmed_booking_looks_at_the_slot(booker: Booker) -> None:
    from bot.devtools.sandbox import Fault

    view = await booker.open_modal("demo tomorrow 11am ana@acme.com")
    booker.sandbox.inject(Fault(operation="book", kind="status", status=504, times=1))
    await booker.submit(view, GUEST)
    result = await booker.result()
    check = next(
        e
        for b in result["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "check_again"
    )
    updates = len(booker.double.calls_to("views.update"))
    await booker.slack.block_action(result, check)
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
    expected = booker.services.catalog.for_locale("en-US").t("recheck.free")
    assert expected in str(booker.view()["blocks"])
    assert booker.sandbox.book_calls == 1
    await booker.submit(view, GUEST)  # now that HubSpot shows it was not booked, book it
    await booker.posted()
    assert booker.sandbox.book_calls == 2


async def test_book_list_says_where_each_meeting_happens_under_the_pages_name(
    booker: Booker,
) -> None:
    from datetime import timedelta

    from bot.store import BookingDraft
    from tests.e2e.conftest import NOW

    # In person: the on-site page's address. Online: the Join button.
    view = await booker.open_modal("onsite-visit tomorrow 11am ana@acme.com")
    await booker.submit(view, GUEST)
    await booker.posted()
    view = await booker.open_modal("demo tomorrow 3pm ana@acme.com")
    ack = await booker.submit(view, GUEST)
    assert ack.get("response_action") != "errors", ack
    await booker.until(lambda: len(booker.double.calls_to("chat.postMessage")) == 2)
    # A booking recorded under the page's slug (made before the page list was loaded).
    start = NOW + timedelta(days=3)
    key = "slug-named-booking"
    store = booker.services.store
    await store.claim(
        key,
        BookingDraft(
            team_id=booker.slack.team_id,
            channel_id=CHANNEL,
            user_id=PERSON,
            page_slug="demo",
            page_name="demo",
            start=start,
            duration_minutes=30,
            timezone="UTC",
            guest_email="bo@acme.com",
            guest_first_name="Bo",
            guest_last_name="",
            thread_ts=None,
        ),
    )
    await store.mark_booked(
        key,
        calendar_event_id="1",
        contact_id=None,
        web_conference_url="https://meet.example.com/x",
        location=None,
        start=start,
        end=start + timedelta(minutes=30),
    )
    url = booker.double.response_url()
    await booker.slack.slash_command("list", response_url=url)
    await booker.until(lambda: len(booker.double.responses) == 1)
    items = [block for block in booker.double.responses[0]["blocks"] if block["type"] == "section"]
    texts = [block["text"]["text"] for block in items]
    assert len(items) == 3, texts
    onsite = next(block for block in items if "On-site Visit" in block["text"]["text"])
    assert "Booker HQ, 233 S Wacker Dr" in onsite["text"]["text"]
    assert "accessory" not in onsite  # nothing to join
    online = [block for block in items if block is not onsite]
    assert all(block["accessory"]["action_id"] == "join_meeting" for block in online), texts
    assert all(text.startswith("*Product Demo with") for text in texts if "On-site" not in text)
    assert not any(text.startswith("*demo") for text in texts)
