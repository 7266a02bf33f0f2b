"""Properties a load test and a long-running sandbox rely on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from tests.sandbox.conftest import (
    API,
    PINNED_NOW,
    ClientFactory,
    booking_payload,
    free_starts,
    state_of,
)


async def test_concurrent_bookings_of_one_slot_book_it_once(make_client: ClientFactory) -> None:
    client = make_client(latency_seconds=0.01)
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    answers = await asyncio.gather(
        *(
            client.post(
                f"{API}/book",
                json=booking_payload("demo", start_ms, 1_800_000, email=f"guest{n}@example.com"),
            )
            for n in range(20)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200] + [400] * 19
    assert state_of(client).book_calls == 20 and len(state_of(client).bookings) == 1


async def test_a_long_running_sandbox_keeps_organizers_busy(make_client: ClientFactory) -> None:
    moments = [PINNED_NOW]
    client = make_client(clock=lambda: moments[-1])
    moments.append(PINNED_NOW + timedelta(days=30))
    info = (await client.get(f"{API}/book/demo", params={"timezone": "UTC"})).json()
    busy = info["allUsersBusyTimes"][0]["busyTimes"]
    later_ms = int(moments[-1].timestamp() * 1000)
    assert any(interval["start"] > later_ms + 20 * 86_400_000 for interval in busy)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    now=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    slug_and_duration=st.sampled_from(
        [
            ("demo", 900_000),
            ("demo", 3_600_000),
            ("sales-intro", 1_800_000),
            ("onsite-visit", 3_600_000),
        ]
    ),
    pick=st.integers(min_value=0, max_value=10_000),
)
def test_every_offered_slot_can_be_booked_exactly_once(
    now: datetime, slug_and_duration: tuple[str, int], pick: int
) -> None:
    slug, duration_ms = slug_and_duration
    form = [{"name": "company_size", "value": "201+"}] if slug == "sales-intro" else []
    consent = [{"communicationTypeId": "31476113", "consented": True}] if form else []

    async def scenario() -> None:
        app = create_sandbox_app(SandboxConfig(clock=lambda: now, rate_limit=1_000))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
            # Late on a month's last working day the rest of the month may be fully booked.
            starts = await free_starts(client, slug, duration_ms) or await free_starts(
                client, slug, duration_ms, month_offset=1
            )
            assert starts
            start_ms = starts[pick % len(starts)]
            payload = booking_payload(
                slug, start_ms, duration_ms, formFields=form, legalConsentResponses=consent
            )
            first = await client.post(f"{API}/book", json=payload)
            assert first.status_code == 200, first.text
            second = await client.post(f"{API}/book", json=payload)
            assert second.status_code == 400
            for month_offset in (0, 1):
                assert start_ms not in await free_starts(client, slug, duration_ms, month_offset)

    asyncio.run(scenario())
