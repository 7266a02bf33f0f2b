"""Bearer tokens, scopes and the ten-secondly rolling rate limit, per token."""

from __future__ import annotations

import pytest

from bot.devtools.sandbox.config import READ_SCOPE
from tests.sandbox.conftest import API, ClientFactory, booking_payload, free_starts, state_of

TOKEN = "pat-na1-sandbox-token"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("token", [None, "pat-na1-wrong"])
async def test_missing_or_wrong_token_is_unauthorized(
    make_client: ClientFactory, token: str | None
) -> None:
    client = make_client(token=token, access_token=TOKEN)
    response = await client.get(API)
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "INVALID_AUTHENTICATION"
    assert body["status"] == "error" and body["correlationId"]


async def test_right_token_is_served(make_client: ClientFactory) -> None:
    client = make_client(token=TOKEN, access_token=TOKEN)
    assert (await client.get(API)).status_code == 200


async def test_a_refused_token_still_counts_as_a_book_call(make_client: ClientFactory) -> None:
    client = make_client(token="pat-na1-wrong", access_token=TOKEN)
    response = await client.post(f"{API}/book", json=booking_payload("demo", 0, 1_800_000))
    assert response.status_code == 401
    assert state_of(client).book_calls == 1 and state_of(client).bookings == []


async def test_missing_read_scope_is_forbidden(make_client: ClientFactory) -> None:
    client = make_client(scopes=frozenset({"meetings-write"}))
    response = await client.get(f"{API}/book/demo", params={"timezone": "UTC"})
    assert response.status_code == 403
    body = response.json()
    assert body["category"] == "MISSING_SCOPES"
    assert body["errors"][0]["context"]["requiredGranularScopes"] == [READ_SCOPE]


async def test_booking_needs_a_write_scope(make_client: ClientFactory) -> None:
    client = make_client(scopes=frozenset({READ_SCOPE}))
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    response = await client.post(f"{API}/book", json=booking_payload("demo", start_ms, 1_800_000))
    assert response.status_code == 403
    assert "meetings-write" in response.json()["errors"][0]["context"]["requiredGranularScopes"]
    assert state_of(client).bookings == []


async def test_every_answer_carries_the_rate_limit_headers(make_client: ClientFactory) -> None:
    client = make_client(rate_limit=5)
    for expected_remaining in (4, 3):
        response = await client.get(f"{API}/book/nope", params={"timezone": "UTC"})
        assert response.headers["X-HubSpot-RateLimit-Max"] == "5"
        assert response.headers["X-HubSpot-RateLimit-Remaining"] == str(expected_remaining)
        assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"


async def test_beyond_the_limit_is_429_until_the_window_frees_a_slot(
    make_client: ClientFactory,
) -> None:
    clock = FakeMonotonic()
    client = make_client(rate_limit=3, rate_window_seconds=10.0, monotonic=clock)
    for _ in range(2):
        assert (await client.get(API)).status_code == 200
    clock.now += 4.0
    assert (await client.get(API)).status_code == 200

    refused = await client.get(API)
    assert refused.status_code == 429
    body = refused.json()
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["errorType"] == "RATE_LIMIT" and body["policyName"] == "TEN_SECONDLY_ROLLING"
    # HubSpot's real 429 (not the spec's Error schema): no `category`, a request id.
    assert "category" not in body
    assert body["status"] == "error" and body["correlationId"] and body["requestId"]
    assert refused.headers["Retry-After"] == "6"
    assert refused.headers["X-HubSpot-RateLimit-Remaining"] == "0"

    clock.now += 6.0  # the first two requests leave the window
    assert (await client.get(API)).status_code == 200
    assert (await client.get(API)).status_code == 200
    assert (await client.get(API)).status_code == 429


async def test_each_token_has_its_own_window(make_client: ClientFactory) -> None:
    client = make_client(token="pat-a", rate_limit=1, monotonic=FakeMonotonic())
    assert (await client.get(API)).status_code == 200
    assert (await client.get(API)).status_code == 429
    other = await client.get(API, headers={"Authorization": "Bearer pat-b"})
    assert other.status_code == 200
