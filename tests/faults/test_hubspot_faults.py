"""HubSpot misbehaves; each case checks what the person sees, what the ledger holds and how many
booking requests reached HubSpot (the sandbox counts every POST .../book it receives)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.devtools.sandbox import Fault, SandboxConfig
from bot.devtools.sandbox.config import READ_SCOPE
from bot.hubspot.client import HubSpotClient
from bot.hubspot.models import BookingRequest
from tests.conftest import HUBSPOT_TOKEN, NOW, closed_port, start_booker
from tests.faults.helpers import GUEST, action_ids, buttons, preview_text, text_of, tracebacks

pytestmark = pytest.mark.usefixtures("caplog")


async def test_429_with_a_wait_is_honoured_and_books_once(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.sandbox.inject(
            Fault(operation="book", kind="status", status=429, retry_after_seconds=1, times=1)
        )
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("result.title")
        cards = await booker.posted()
        assert len(cards) == 1 and "join_meeting" in str(cards[0]["blocks"])
        assert await booker.statuses() == ["booked"]
        # The 429 and the one retry after its wait; HubSpot holds exactly one meeting.
        assert booker.sandbox.book_calls == 2
        assert len(booker.sandbox.bookings) == 1
    assert tracebacks(caplog) == []


async def test_hubspots_own_rate_limit_is_waited_out_not_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # HubSpot allows 3 calls per 2 s here; Booker's own limiter (100 per 10 s) lets more out,
    # so HubSpot answers a real 429 with Retry-After, and Booker waits and books.
    sandbox = SandboxConfig(clock=lambda: NOW, rate_limit=3, rate_window_seconds=2.0)
    async with start_booker(tmp_path, sandbox=sandbox) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.submit(view, GUEST)
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert len(await booker.posted()) == 1
        assert await booker.statuses() == ["booked"]
        assert len(booker.sandbox.bookings) == 1
        assert booker.sandbox.book_calls >= 1
    retried = [r for r in caplog.records if "RateLimitedError" in r.getMessage()]
    assert retried, "HubSpot's 429 never came: the case did not test anything"
    assert tracebacks(caplog) == []


async def test_5xx_bursts_on_reads_are_retried_and_the_booking_goes_through(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        for operation, status in (("list", 503), ("info", 502), ("availability", 500)):
            booker.sandbox.inject(
                Fault(operation=operation, kind="status", status=status, times=2)  # type: ignore[arg-type]
            )
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        assert booker.sandbox.pending_faults == []  # every burst was met, and retried past
        assert "*Free:*" in preview_text(view)
        await booker.submit(view, GUEST)
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert len(await booker.posted()) == 1
        assert await booker.statuses() == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_5xx_on_book_is_unknown_and_never_retried_blindly(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        booker.sandbox.inject(Fault(operation="book", kind="status", status=503, times=3))
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert booker.text("error.hubspot.outcome_unknown") in text_of(result)
        assert "check_again" in action_ids(result)
        assert await booker.statuses() == ["unknown"]
        assert booker.sandbox.book_calls == 1
        await booker.submit(view, GUEST)  # the same form again: it may be booked, so no call
        again = await booker.result()
        assert again["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert booker.sandbox.book_calls == 1
        assert booker.double.calls_to("chat.postMessage") == []
    assert tracebacks(caplog) == []


async def test_connection_refused_says_hubspot_is_unreachable_and_books_nothing(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend, hubspot="socket") as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.stop_hubspot()  # HubSpot's port is closed now
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.hubspot.unreachable") in text_of(result)
        assert "back_to_form" in action_ids(result)
        assert await booker.statuses() == ["failed"]
        assert booker.sandbox.book_calls == 0
        assert booker.double.calls_to("chat.postMessage") == []
    assert tracebacks(caplog) == []


async def test_hubspot_never_reachable_the_modal_still_opens_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = f"http://127.0.0.1:{closed_port()}"
    async with start_booker(
        tmp_path, hubspot="url", hubspot_base_url=nowhere, hubspot_token=HUBSPOT_TOKEN
    ) as booker:
        view = await booker.open_modal("tomorrow 10am ana@acme.com")
        assert view["title"]["text"] == booker.text("modal.title")
        await booker.submit(view, GUEST | {"meeting_page": ("Product demo", "demo")})
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.hubspot.unreachable") in text_of(result)
        assert await booker.statuses() == ["failed"]
    assert tracebacks(caplog) == []


async def test_read_timeout_on_book_is_unknown_with_check_again_and_one_call(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend, hubspot="socket", read_timeout=1.0) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        # HubSpot books the meeting, then answers too late.
        booker.sandbox.inject(Fault(operation="book", kind="timeout", delay_seconds=2.5))
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert booker.text("error.hubspot.outcome_unknown") in text_of(result)
        check = next(b for b in buttons(result) if b["action_id"] == "check_again")
        assert await booker.statuses() == ["unknown"]
        assert booker.sandbox.book_calls == 1
        assert len(booker.sandbox.bookings) == 1

        await booker.submit(view, GUEST)  # submitted again: never a second booking request
        again = await booker.result()
        assert again["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert booker.sandbox.book_calls == 1

        # HubSpot shows the slot taken: this booking went through. It is recorded as booked and
        # its card is posted with what is known, without a second booking request.
        await booker.slack.block_action(again, check)
        await booker.until(lambda: booker.view()["title"]["text"] == booker.text("result.title"))
        assert await booker.statuses() == ["booked"]
        [card] = await booker.posted()
        assert "Ana Souza" in text_of(card)
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_malformed_json_after_a_booking_is_unknown_never_booked_twice(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        # HubSpot books, then its 200 answer arrives cut in half.
        booker.sandbox.inject(Fault(operation="book", kind="malformed"))
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert "check_again" in action_ids(result)
        assert await booker.statuses() == ["unknown"]
        await booker.submit(view, GUEST)
        again = await booker.result()
        assert again["title"]["text"] == booker.text("error.outcome_unknown_title")
        assert booker.sandbox.book_calls == 1
        assert len(booker.sandbox.bookings) == 1
    assert tracebacks(caplog) == []


async def test_malformed_availability_leaves_the_form_usable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        booker.sandbox.inject(Fault(operation="availability", kind="malformed", times=1))
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        assert "Thu, Dec 3" in preview_text(view)  # what the words mean is still shown
        await booker.submit(view, GUEST)
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert await booker.statuses() == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_a_booking_without_web_conference_url_shows_location_and_no_join(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("onsite-visit tomorrow 11am ana@acme.com")
        await booker.submit(view, GUEST)
        card = (await booker.posted())[0]
        assert "join_meeting" not in action_ids(card)
        assert "Location" in text_of(card)
        [record] = await booker.ledger()
        assert record.status.value == "booked"
        assert record.web_conference_url is None and record.location
        assert record.location in text_of(card)
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []


async def test_expired_token_tells_the_person_to_reconnect_and_books_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = SandboxConfig(clock=lambda: NOW, access_token=HUBSPOT_TOKEN)
    async with start_booker(
        tmp_path, sandbox=sandbox, hubspot_token="pat-na1-expired-0000-0000-000000000000"
    ) as booker:
        view = await booker.open_modal("tomorrow 10am ana@acme.com")
        search = await booker.slack.block_suggestion(view, "meeting_page", "dem")
        assert search.status_code == 200 and search.json()["options"] == []
        await booker.submit(view, GUEST | {"meeting_page": ("Product demo", "demo")})
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.hubspot.auth") in text_of(result)
        assert await booker.statuses() == ["failed"]
        assert booker.sandbox.book_calls == 0
    assert tracebacks(caplog) == []


async def test_missing_scope_is_explained_in_the_persons_language(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = SandboxConfig(
        clock=lambda: NOW, access_token=HUBSPOT_TOKEN, scopes=frozenset({READ_SCOPE})
    )
    async with start_booker(
        tmp_path, **backend, sandbox=sandbox, locale="pt-BR", tz="America/Sao_Paulo"
    ) as booker:
        view = await booker.open_modal("demo amanhã às 11h ana@acme.com")
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title", "pt-BR") == "Não agendada"
        assert booker.text("error.hubspot.scope", "pt-BR") in text_of(result)
        assert await booker.statuses() == ["failed"]
        assert booker.sandbox.book_calls == 1 and booker.sandbox.bookings == []
    assert tracebacks(caplog) == []


async def test_unknown_page_says_it_no_longer_exists(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.submit(view, GUEST | {"meeting_page": ("Old page", "retired-page")})
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.hubspot.page_not_found") in text_of(result)
        assert "back_to_form" in action_ids(result)
        assert await booker.statuses() == ["failed"]
        assert booker.sandbox.book_calls == 0
    assert tracebacks(caplog) == []


async def test_slot_taken_after_the_check_and_before_the_booking(
    tmp_path: Path, backend: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path, **backend) as booker:
        view = await booker.open_modal("demo tomorrow 1pm ana@acme.com")
        assert "*Free:*" in preview_text(view)
        # Someone else books that slot straight in HubSpot; Booker's cached slots still say free.
        async with HubSpotClient(
            base_url="http://hubspot.sandbox.test",
            access_token=None,
            transport=httpx.ASGITransport(app=booker.sandbox_app),
        ) as rival:
            info = await rival.get_booking_info("demo", timezone="America/New_York")
            await rival.book(
                BookingRequest.create(
                    slug="demo",
                    start=NOW.replace(day=3, hour=18),
                    duration_minutes=30,
                    email="bo@rival.example",
                    first_name="Bo",
                    last_name="Rival",
                    likely_available_user_ids=info.organizer_user_ids,
                )
            )
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.slot_taken") in text_of(result)
        assert await booker.statuses() == ["failed"]
        assert booker.sandbox.book_calls == 2 and len(booker.sandbox.bookings) == 1
        assert booker.double.calls_to("chat.postMessage") == []
    assert tracebacks(caplog) == []


async def test_a_busy_slot_then_a_picked_suggestion_books_the_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_booker(tmp_path) as booker:
        view = await booker.open_modal("demo tomorrow 10:05am ana@acme.com")
        slot = next(b for b in buttons(view) if b["action_id"].startswith("pick_slot_"))
        updates = len(booker.double.calls_to("views.update"))
        await booker.slack.block_action(view, slot, GUEST)
        await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
        # The re-drawn `when` (block `when~1`) holds the slot; submitting it books that slot.
        answer = await booker.submit(booker.view(), GUEST)
        assert answer["response_action"] == "update", answer
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        [record] = await booker.ledger()
        assert record.status.value == "booked"
        assert record.start == datetime.fromisoformat(slot["value"])
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []
