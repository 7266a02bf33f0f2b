"""The client against the real sandbox: the whole flow, every error class from a real answer,
and the never-book-twice rule counted by the sandbox itself."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.devtools.sandbox import Fault
from bot.hubspot.client import HubSpotClient, RetryPolicy
from bot.hubspot.errors import (
    AuthenticationError,
    BookingOutcomeUnknownError,
    MalformedResponseError,
    MissingScopeError,
    PageNotFoundError,
    RateLimitedError,
    ServerError,
    SlotUnavailableError,
    TransportError,
    ValidationError,
)
from bot.hubspot.limiter import InMemoryRateLimiter
from bot.hubspot.models import BookingRequest, TimeSlot
from tests.contract_helpers import SpecCheckingTransport
from tests.hubspot.conftest import (
    PINNED_NOW,
    SANDBOX_TOKEN,
    FakeMonotonic,
    SandboxClientFactory,
    closed_port,
    sandbox_app,
    sandbox_state,
    served,
)

NEW_YORK = ZoneInfo("America/New_York")
LISBON = ZoneInfo("Europe/Lisbon")
NO_RETRY = RetryPolicy(max_attempts=1)


def _guest_booking(slug: str, slot: TimeSlot, **overrides: object) -> BookingRequest:
    values: dict[str, object] = {
        "slug": slug,
        "start": slot.start,
        "duration_minutes": slot.duration_minutes,
        "email": "ana@acme.com",
        "first_name": "Ana",
        "last_name": "Lima",
        "timezone": "America/New_York",
    }
    values.update(overrides)
    return BookingRequest.create(**values)  # type: ignore[arg-type]


async def _first_slot(client: HubSpotClient, slug: str, minutes: int, zone: str) -> TimeSlot:
    availability = await client.get_availability(slug, timezone=zone)
    slots = availability.slots(minutes)
    assert slots, f"the sandbox offers no {minutes}-minute slot on {slug}"
    return slots[0]


async def test_list_info_availability_book_then_the_slot_is_gone(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, app, transport = sandbox_client()
    links = await client.list_meeting_links(page_size=10)
    slugs = [link.slug for link in links]
    assert {"demo", "sales-intro", "onsite-visit"} <= set(slugs)
    assert len(slugs) == len(set(slugs)) > 20
    list_calls = [r for r in transport.requests if r.url.path.endswith("/meeting-links")]
    assert len(list_calls) == -(-len(slugs) // 10)  # every page fetched once

    info = await client.get_booking_info("demo", timezone="America/New_York")
    assert info.durations_minutes == [15, 30, 60]
    assert info.organizer_user_ids
    slot = info.slots(30, zone=NEW_YORK)[0]
    assert slot.start > PINNED_NOW
    assert 9 <= slot.start.hour < 17

    booked = await client.book(
        _guest_booking("demo", slot, likely_available_user_ids=info.organizer_user_ids)
    )
    assert booked.start == slot.start
    assert booked.end == slot.end
    assert booked.duration_minutes == 30
    assert booked.web_conference_url and booked.web_conference_url.startswith("https://")
    assert booked.subject.endswith("with Ana Lima")
    assert booked.guest_emails == ["ana@acme.com"]

    after = await client.get_availability("demo", timezone="America/New_York")
    assert slot.start not in [s.start for s in after.slots(30)]
    assert not after.is_free(slot.start, 30)
    assert sandbox_state(app).book_calls == 1


async def test_list_filters_by_name(sandbox_client: SandboxClientFactory) -> None:
    client, _, _ = sandbox_client()
    links = await client.list_meeting_links(name="Sales Intro")
    assert [link.slug for link in links] == ["sales-intro"]


async def test_a_page_with_a_form_and_required_consent(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, _, _ = sandbox_client()
    info = await client.get_booking_info("sales-intro", timezone="Europe/Lisbon")
    assert info.durations_minutes == [30]
    [company_size] = [f for f in info.custom_form_fields if f.is_required]
    assert company_size.name == "company_size"
    assert company_size.visible_options[0].value == "1-10"
    [consent] = info.required_consent_checkboxes
    slot = info.slots(30, zone=LISBON)[0]

    with pytest.raises(ValidationError) as no_answer:
        await client.book(
            _guest_booking("sales-intro", slot, consents={consent.communication_type_id: True})
        )
    assert no_answer.value.field == "company_size"
    assert not isinstance(no_answer.value, SlotUnavailableError)

    with pytest.raises(ValidationError) as no_consent:
        await client.book(_guest_booking("sales-intro", slot, form_fields={"company_size": "1-10"}))
    assert no_consent.value.field == "legalConsentResponses"

    booked = await client.book(
        _guest_booking(
            "sales-intro",
            slot,
            form_fields={"company_size": "1-10"},
            consents={consent.communication_type_id: True},
            timezone="Europe/Lisbon",
        )
    )
    assert booked.booking_timezone == "Europe/Lisbon"
    assert [(f.name, f.value) for f in booked.form_fields if f.is_custom] == [
        ("company_size", "1-10")
    ]


async def test_an_offline_page_books_a_place_not_a_call(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, _, _ = sandbox_client()
    info = await client.get_booking_info("onsite-visit", timezone="America/Chicago")
    assert info.is_offline
    assert info.location
    slot = info.slots(60)[0]
    booked = await client.book(_guest_booking("onsite-visit", slot))
    assert booked.is_offline
    assert booked.web_conference_url is None
    assert booked.location == info.location


async def test_a_taken_slot_and_a_past_slot_are_slot_errors(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, app, _ = sandbox_client()
    slot = await _first_slot(client, "demo", 30, "America/New_York")
    await client.book(_guest_booking("demo", slot))
    with pytest.raises(SlotUnavailableError) as taken:
        await client.book(_guest_booking("demo", slot, email="bo@acme.com"))
    assert taken.value.status == 400
    assert taken.value.field == "startTime"
    assert taken.value.correlation_id

    past = TimeSlot(slot.start.replace(year=2025), slot.end.replace(year=2025))
    with pytest.raises(SlotUnavailableError):
        await client.book(_guest_booking("demo", past))
    assert sandbox_state(app).book_calls == 3  # refusals are not retried
    assert len(sandbox_state(app).bookings) == 1


async def test_a_duration_the_page_does_not_offer_names_the_field(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, _, _ = sandbox_client()
    slot = await _first_slot(client, "demo", 30, "UTC")
    with pytest.raises(ValidationError) as caught:
        await client.book(_guest_booking("demo", slot, duration_minutes=45))
    assert caught.value.field == "duration"


async def test_a_wrong_token_is_an_authentication_error(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, _, _ = sandbox_client(token="pat-wrong")
    with pytest.raises(AuthenticationError) as caught:
        await client.list_meeting_links()
    assert caught.value.status == 401
    anonymous, _, _ = sandbox_client(token=None)
    with pytest.raises(AuthenticationError):
        await anonymous.get_booking_info("demo", timezone="UTC")


async def test_a_missing_scope_names_the_scope(sandbox_client: SandboxClientFactory) -> None:
    client, _, _ = sandbox_client(scopes=frozenset({"meetings-write"}))
    with pytest.raises(MissingScopeError) as caught:
        await client.get_availability("demo", timezone="UTC")
    assert caught.value.missing_scopes == ["scheduler.meetings.meeting-link.read"]


async def test_an_unknown_slug_is_page_not_found(sandbox_client: SandboxClientFactory) -> None:
    client, _, _ = sandbox_client()
    with pytest.raises(PageNotFoundError) as caught:
        await client.get_booking_info("no-such-page", timezone="UTC")
    assert caught.value.category == "OBJECT_NOT_FOUND"
    with pytest.raises(PageNotFoundError):
        await client.book(
            _guest_booking("no-such-page", await _first_slot(client, "demo", 30, "UTC"))
        )


async def test_a_missing_or_unknown_timezone_is_a_validation_error(
    sandbox_client: SandboxClientFactory,
) -> None:
    # An empty timezone is off-spec, so the request check is off: HubSpot's answer is the point.
    client, _, _ = sandbox_client(check_requests=False)
    with pytest.raises(ValidationError) as missing:
        await client.get_booking_info("demo", timezone="")
    assert missing.value.field == "timezone"
    with pytest.raises(ValidationError) as unknown:
        await client.get_availability("demo", timezone="Mars/Olympus_Mons")
    assert unknown.value.field == "timezone"


async def test_429s_are_waited_out_for_as_long_as_the_sandbox_says(
    sandbox_client: SandboxClientFactory, time_machine: FakeMonotonic
) -> None:
    client, _, transport = sandbox_client(rate_limit=2, rate_window_seconds=10.0)
    for _ in range(3):
        await client.get_booking_info("demo", timezone="UTC")
    statuses = [response.status_code for _, response in transport.exchanges]
    assert statuses == [200, 200, 429, 200]
    limited = transport.exchanges[2][1]
    assert time_machine.sleeps == [float(limited.headers["Retry-After"])]
    assert 0 < time_machine.sleeps[0] <= 10


async def test_a_429_surfaces_as_rate_limited_when_retries_run_out(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, _, _ = sandbox_client(rate_limit=1, retry=NO_RETRY)
    await client.list_meeting_links(page_size=100)
    with pytest.raises(RateLimitedError) as caught:
        await client.list_meeting_links(page_size=100)
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


async def test_a_daily_limit_429_is_not_retried_and_keeps_its_correlation_id(
    sandbox_client: SandboxClientFactory, time_machine: FakeMonotonic
) -> None:
    client, app, transport = sandbox_client()
    slot = await _first_slot(client, "demo", 30, "UTC")
    sandbox_state(app).inject(Fault(operation="book", kind="daily", times=5))
    with pytest.raises(RateLimitedError) as caught:
        await client.book(_guest_booking("demo", slot))
    assert caught.value.daily and caught.value.policy_name == "DAILY"
    answer = transport.exchanges[-1][1]
    assert "category" not in answer.json()
    assert caught.value.correlation_id == answer.json()["correlationId"]
    assert caught.value.correlation_id in str(caught.value)
    # Waiting seconds cannot help a daily limit: one call, no sleep, nothing booked.
    assert sandbox_state(app).book_calls == 1 and time_machine.sleeps == []
    assert sandbox_state(app).bookings == []


async def test_the_client_limiter_keeps_us_under_the_sandbox_limit(
    sandbox_client: SandboxClientFactory, time_machine: FakeMonotonic
) -> None:
    ours = InMemoryRateLimiter(3, 10.0, clock=time_machine, sleep=time_machine.sleep)
    client, _, transport = sandbox_client(rate_limit=3, rate_window_seconds=10.0, limiter=ours)
    for _ in range(7):
        await client.get_availability("demo", timezone="UTC")
    assert all(response.status_code == 200 for _, response in transport.exchanges)
    assert len(transport.exchanges) == 7
    assert time_machine.now >= 20.0  # 7 calls at 3 per 10 s need two full waits


async def test_reads_ride_out_transient_5xx(sandbox_client: SandboxClientFactory) -> None:
    client, app, transport = sandbox_client(check_responses=False)
    sandbox_state(app).inject(Fault(operation="availability", kind="status", status=503, times=2))
    availability = await client.get_availability("demo", timezone="UTC")
    assert availability.slots(15)
    assert [r.status_code for _, r in transport.exchanges] == [503, 503, 200]


async def test_reads_give_up_with_server_error(sandbox_client: SandboxClientFactory) -> None:
    client, app, transport = sandbox_client(check_responses=False)
    sandbox_state(app).inject(Fault(operation="info", kind="status", status=500, times=9))
    with pytest.raises(ServerError) as caught:
        await client.get_booking_info("demo", timezone="UTC")
    assert caught.value.status == 500
    assert len(transport.exchanges) == 4


@pytest.mark.parametrize("kind", ["status", "drop"])
async def test_book_5xx_or_dropped_is_sent_once(
    sandbox_client: SandboxClientFactory, kind: str
) -> None:
    client, app, _ = sandbox_client(check_responses=False)
    slot = await _first_slot(client, "demo", 30, "UTC")
    sandbox_state(app).inject(Fault(operation="book", kind=kind, status=503))  # type: ignore[arg-type]
    with pytest.raises(ServerError):
        await client.book(_guest_booking("demo", slot))
    assert sandbox_state(app).book_calls == 1


async def test_a_malformed_answer_is_reported_not_guessed(
    sandbox_client: SandboxClientFactory,
) -> None:
    client, app, _ = sandbox_client(check_responses=False)
    sandbox_state(app).inject(Fault(operation="info", kind="malformed"))
    with pytest.raises(MalformedResponseError):
        await client.get_booking_info("demo", timezone="UTC")


async def test_book_after_a_429_is_retried_and_booked_once(
    sandbox_client: SandboxClientFactory, time_machine: FakeMonotonic
) -> None:
    client, app, _ = sandbox_client(check_responses=False)
    slot = await _first_slot(client, "demo", 30, "UTC")
    sandbox_state(app).inject(
        Fault(operation="book", kind="status", status=429, retry_after_seconds=2)
    )
    booked = await client.book(_guest_booking("demo", slot))
    assert booked.start == slot.start
    assert time_machine.sleeps == [2.0]
    assert sandbox_state(app).book_calls == 2
    assert len(sandbox_state(app).bookings) == 1


# --- over a real socket --------------------------------------------------------------------------


async def test_the_whole_flow_over_a_real_socket() -> None:
    app = sandbox_app()
    with served(app) as base_url:
        transport = SpecCheckingTransport(httpx.AsyncHTTPTransport())
        async with HubSpotClient(
            base_url=base_url, access_token=SANDBOX_TOKEN, transport=transport
        ) as client:
            links = await client.list_meeting_links()
            assert "demo" in [link.slug for link in links]
            slot = await _first_slot(client, "demo", 60, "America/New_York")
            booked = await client.book(_guest_booking("demo", slot))
            assert booked.start == slot.start
        async with httpx.AsyncClient(base_url=base_url) as raw:
            stats = (await raw.get("/_sandbox/stats")).json()
    assert stats["book_calls"] == 1
    assert len(stats["bookings"]) == 1
    assert all(r.headers["User-Agent"].startswith("bookbot/") for r in transport.requests)


async def test_a_late_booking_answer_is_outcome_unknown_and_never_resent() -> None:
    app = sandbox_app()
    state = sandbox_state(app)
    with served(app) as base_url:
        quick = httpx.Timeout(connect=3.0, read=0.1, write=3.0, pool=3.0)
        async with HubSpotClient(
            base_url=base_url, access_token=SANDBOX_TOKEN, timeouts=quick
        ) as client:
            slot = await _first_slot(client, "demo", 30, "UTC")
            state.inject(Fault(operation="book", kind="timeout", delay_seconds=0.4))
            with pytest.raises(BookingOutcomeUnknownError):
                await client.book(_guest_booking("demo", slot))
            assert state.book_calls == 1
            # HubSpot did book it; the answer was only late. Asking again shows the slot taken.
            assert len(state.bookings) == 1
            after = await client.get_availability("demo", timezone="UTC")
            assert not after.is_free(slot.start, 30)
            await asyncio.sleep(0.4)
    assert state.book_calls == 1


async def test_a_slow_sandbox_read_times_out_into_retries_then_transport_error() -> None:
    app = sandbox_app(latency_seconds=0.25)
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    with served(app) as base_url:
        quick = httpx.Timeout(connect=3.0, read=0.05, write=3.0, pool=3.0)
        async with HubSpotClient(
            base_url=base_url,
            access_token=SANDBOX_TOKEN,
            timeouts=quick,
            retry=RetryPolicy(max_attempts=2),
            sleep=no_wait,
        ) as client:
            with pytest.raises(TransportError):
                await client.get_booking_info("demo", timezone="UTC")
            with pytest.raises(BookingOutcomeUnknownError):
                await client.book(
                    _guest_booking("demo", TimeSlot(PINNED_NOW, PINNED_NOW), duration_minutes=30)
                )
    assert len(sleeps) == 1  # one retry for the read, none for the booking
    assert sandbox_state(app).book_calls == 1


async def test_an_unreachable_hubspot_is_a_transport_error_even_for_book() -> None:
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    async with HubSpotClient(
        base_url=f"http://127.0.0.1:{closed_port()}", access_token=SANDBOX_TOKEN, sleep=no_wait
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.list_meeting_links()
        assert "could not reach" in caught.value.user_message.lower()
        # Nothing left the machine, so retrying the booking is safe: still a plain TransportError.
        with pytest.raises(TransportError) as booking:
            await client.book(
                _guest_booking("demo", TimeSlot(PINNED_NOW, PINNED_NOW), duration_minutes=30)
            )
        assert not isinstance(booking.value, BookingOutcomeUnknownError)
    assert len(sleeps) == 6  # three retries each


async def test_from_settings_uses_the_token_the_base_url_and_a_limiter() -> None:
    settings = Settings(
        HUBSPOT_ACCESS_TOKEN=SecretStr(SANDBOX_TOKEN), HUBSPOT_BASE_URL="https://hs.test/"
    )
    app = sandbox_app()
    transport = SpecCheckingTransport(httpx.ASGITransport(app=app))
    async with HubSpotClient.from_settings(settings, transport=transport) as client:
        links = await client.list_meeting_links()
    assert links
    [request] = transport.requests
    assert request.url.host == "hs.test"
    assert request.headers["Authorization"] == f"Bearer {SANDBOX_TOKEN}"


async def test_from_settings_without_a_token_sends_no_authorization() -> None:
    settings = Settings(HUBSPOT_ACCESS_TOKEN=None)
    transport = SpecCheckingTransport(httpx.ASGITransport(app=sandbox_app(access_token=None)))
    async with HubSpotClient.from_settings(settings, transport=transport) as client:
        await client.get_booking_info("demo", timezone="UTC")
    assert "Authorization" not in transport.requests[0].headers
