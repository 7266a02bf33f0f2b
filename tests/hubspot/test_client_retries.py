"""Retry timing and the never-book-twice rule, over scripted HTTP answers.

httpx.MockTransport plays HubSpot here so each answer (and each network failure) is exact;
the same behaviours are checked against the real sandbox in test_client_sandbox.py.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.hubspot.client import SCHEDULER_PREFIX, USER_AGENT, HubSpotClient, RetryPolicy
from bot.hubspot.errors import (
    BookingOutcomeUnknownError,
    MalformedResponseError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from bot.hubspot.models import BookingRequest
from tests.contract_helpers import SpecCheckingTransport
from tests.hubspot import payloads

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
Answer = httpx.Response | Exception
Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """Answers requests in order: a Response, or an httpx exception to raise."""

    def __init__(self, *answers: Answer) -> None:
        self._answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            if isinstance(answer, httpx.RequestError):
                answer.request = request
            raise answer
        return answer


class SleepRecorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class RecordingLimiter:
    def __init__(self) -> None:
        self.keys: list[str] = []

    async def acquire(self, key: str) -> float:
        self.keys.append(key)
        return 0.0


def _client(
    script: Script,
    sleep: SleepRecorder,
    *,
    retry: RetryPolicy | None = None,
    token: str | None = TOKEN,
    limiter: RecordingLimiter | None = None,
) -> HubSpotClient:
    return HubSpotClient(
        base_url="https://api.hubapi.com",
        access_token=token,
        transport=SpecCheckingTransport(httpx.MockTransport(script), check_responses=False),
        retry=retry or RetryPolicy(),
        sleep=sleep,
        rng=random.Random(7),
        limiter=limiter,
    )


def _ok(body: dict[str, object]) -> httpx.Response:
    return httpx.Response(200, json=body)


def _error(status: int, category: str = "ERROR", **headers: str) -> httpx.Response:
    return httpx.Response(status, json=payloads.error_body(category), headers=headers)


def _booking() -> BookingRequest:
    return BookingRequest.create(
        slug="demo",
        start=datetime(2026, 12, 1, 14, tzinfo=UTC),
        duration_minutes=30,
        email="ana@acme.com",
        first_name="Ana",
        last_name="Lima",
    )


async def test_reads_retry_5xx_with_bounded_jittered_backoff() -> None:
    script = Script(_error(503), _error(502), _ok(payloads.availability()))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        availability = await client.get_availability("demo", timezone="UTC")
    assert len(availability.slots(30)) == 2
    assert len(script.requests) == 3
    assert len(sleep.waits) == 2
    assert 0 <= sleep.waits[0] <= 0.25
    assert 0 <= sleep.waits[1] <= 0.5


async def test_without_jitter_the_backoff_doubles() -> None:
    script = Script(_error(500), _error(500), _error(500), _error(500))
    sleep = SleepRecorder()
    async with _client(script, sleep, retry=RetryPolicy(jitter="none")) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_booking_info("demo", timezone="UTC")
    assert caught.value.status == 500
    assert len(script.requests) == 4  # max_attempts
    assert sleep.waits == [0.25, 0.5, 1.0]


@given(attempt=st.integers(min_value=1, max_value=40), seed=st.integers(0, 2**32))
def test_full_jitter_stays_within_the_capped_exponential(attempt: int, seed: int) -> None:
    policy = RetryPolicy()
    wait = policy.backoff(attempt, random.Random(seed))
    assert 0.0 <= wait <= min(8.0, 0.25 * 2 ** (attempt - 1))


async def test_a_429_waits_exactly_what_retry_after_says() -> None:
    script = Script(
        _error(429, "RATE_LIMITS", **{"Retry-After": "2"}), _ok(payloads.links_page(["demo"]))
    )
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        links = await client.list_meeting_links()
    assert [link.slug for link in links] == ["demo"]
    assert sleep.waits == [2.0]


async def test_a_429_without_retry_after_waits_the_rate_limit_interval() -> None:
    headers = {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    script = Script(_error(429, "RATE_LIMITS", **headers), _ok(payloads.links_page(["demo"])))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        await client.list_meeting_links()
    assert sleep.waits == [10.0]


async def test_a_429_asking_for_too_long_is_raised_at_once() -> None:
    script = Script(_error(429, "RATE_LIMITS", **{"Retry-After": "120"}))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.list_meeting_links()
    assert caught.value.retry_after == 120.0
    assert sleep.waits == []


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")],
)
async def test_reads_retry_network_failures(failure: Exception) -> None:
    script = Script(failure, _ok(payloads.booking_info()))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        info = await client.get_booking_info("sales-intro", timezone="Europe/Lisbon")
    assert info.durations_minutes == [30, 60]
    assert len(script.requests) == 2


async def test_reads_give_up_with_transport_error_when_hubspot_stays_unreachable() -> None:
    script = Script(*(httpx.ConnectError("refused") for _ in range(4)))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        with pytest.raises(TransportError):
            await client.get_availability("demo", timezone="UTC")
    assert len(script.requests) == 4


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof"), httpx.ReadError("x")]
)
async def test_book_is_never_resent_after_it_may_have_arrived(failure: Exception) -> None:
    script = Script(failure, _ok(payloads.booking_response()))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        with pytest.raises(BookingOutcomeUnknownError) as caught:
            await client.book(_booking())
    assert len(script.requests) == 1
    assert "check the calendar" in caught.value.user_message


async def test_book_is_not_retried_on_5xx() -> None:
    script = Script(_error(503), _ok(payloads.booking_response()))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        with pytest.raises(ServerError):
            await client.book(_booking())
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
)
async def test_book_is_retried_when_it_surely_never_left(failure: Exception) -> None:
    script = Script(failure, _ok(payloads.booking_response()))
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        booked = await client.book(_booking())
    assert booked.web_conference_url
    assert len(script.requests) == 2


async def test_book_waits_out_a_429_and_retries() -> None:
    script = Script(
        _error(429, "RATE_LIMITS", **{"Retry-After": "1.5"}), _ok(payloads.booking_response())
    )
    sleep = SleepRecorder()
    async with _client(script, sleep) as client:
        booked = await client.book(_booking())
    assert booked.calendar_event_id == "evt-1"
    assert sleep.waits == [1.5]
    assert script.requests[0].content == script.requests[1].content


async def test_the_limiter_is_asked_before_every_attempt_by_token_fingerprint() -> None:
    script = Script(_error(503), _error(503), _ok(payloads.availability()))
    limiter = RecordingLimiter()
    async with _client(script, SleepRecorder(), limiter=limiter) as client:
        await client.get_availability("demo", timezone="UTC")
    assert len(limiter.keys) == 3
    assert len(set(limiter.keys)) == 1
    assert TOKEN not in limiter.keys[0]


async def test_headers_carry_the_token_only_when_set() -> None:
    script = Script(_ok(payloads.links_page([])), _ok(payloads.links_page([])))
    async with _client(script, SleepRecorder()) as client:
        await client.list_meeting_links()
    async with _client(script, SleepRecorder(), token=None) as client:
        await client.list_meeting_links()
    with_token, without = script.requests
    assert with_token.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in without.headers
    assert with_token.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("bookbot/")


async def test_paging_is_followed_to_the_end() -> None:
    script = Script(
        _ok(payloads.links_page(["a", "b"], after="cursor-2", total=5)),
        _ok(payloads.links_page(["c", "d"], after="cursor-4", total=5)),
        _ok(payloads.links_page(["e"], total=5)),
    )
    async with _client(script, SleepRecorder()) as client:
        links = await client.list_meeting_links(name="team", page_size=2)
    assert [link.slug for link in links] == ["a", "b", "c", "d", "e"]
    queries = [dict(r.url.params) for r in script.requests]
    assert queries == [
        {"limit": "2", "name": "team"},
        {"limit": "2", "name": "team", "after": "cursor-2"},
        {"limit": "2", "name": "team", "after": "cursor-4"},
    ]


async def test_a_repeated_paging_cursor_stops_instead_of_looping() -> None:
    script = Script(
        _ok(payloads.links_page(["a"], after="same")), _ok(payloads.links_page(["b"], after="same"))
    )
    async with _client(script, SleepRecorder()) as client:
        with pytest.raises(MalformedResponseError):
            await client.list_meeting_links()


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"}),
        httpx.Response(200, json={"results": "nope"}),
    ],
)
async def test_unreadable_answers_are_malformed_and_not_retried(response: httpx.Response) -> None:
    script = Script(response)
    async with _client(script, SleepRecorder()) as client:
        with pytest.raises(MalformedResponseError):
            await client.list_meeting_links()
    assert len(script.requests) == 1


async def test_slugs_stay_one_path_segment() -> None:
    script = Script(_ok(payloads.booking_info()))
    async with _client(script, SleepRecorder()) as client:
        await client.get_booking_info("a/b?c", timezone="UTC")
    assert script.requests[0].url.raw_path.decode() == (
        f"{SCHEDULER_PREFIX}/meeting-links/book/a%2Fb%3Fc?timezone=UTC"
    )


async def test_logs_never_hold_the_token_or_the_guest_email(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = Script(_error(503), _ok(payloads.availability()), _error(503))
    caplog.set_level(logging.DEBUG, logger="bot.hubspot")
    async with _client(script, SleepRecorder()) as client:
        await client.get_availability("demo", timezone="UTC")
        with pytest.raises(ServerError):
            await client.book(_booking())
    text = caplog.text
    assert "a***@acme.com" in text
    assert "ana@acme.com" not in text
    assert TOKEN not in text
    assert "status=503" in text
    assert "retry in" in text
