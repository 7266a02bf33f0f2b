"""Injected faults, the control endpoints and configuration from the environment."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.devtools.sandbox import Fault, SandboxConfig, parse_faults
from tests.sandbox.conftest import API, ClientFactory, booking_payload, free_starts, state_of


async def test_status_fault_answers_the_next_matching_requests_only(
    make_client: ClientFactory,
) -> None:
    client = make_client()
    state_of(client).inject(Fault(operation="info", kind="status", status=503, times=2))
    assert (await client.get(API)).status_code == 200, "list does not match an info fault"
    for _ in range(2):
        response = await client.get(f"{API}/book/demo", params={"timezone": "UTC"})
        assert response.status_code == 503
        assert response.json()["category"] == "SERVICE_UNAVAILABLE"
    assert (await client.get(f"{API}/book/demo", params={"timezone": "UTC"})).status_code == 200


async def test_book_status_fault_books_nothing(make_client: ClientFactory) -> None:
    client = make_client()
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    state_of(client).inject(Fault(operation="book", status=500))
    response = await client.post(f"{API}/book", json=booking_payload("demo", start_ms, 1_800_000))
    assert response.status_code == 500
    assert state_of(client).book_calls == 1 and state_of(client).bookings == []


async def test_rate_limit_fault_says_how_long_to_wait(make_client: ClientFactory) -> None:
    client = make_client()
    state_of(client).inject(Fault(operation="any", status=429, retry_after_seconds=3))
    response = await client.get(API)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"


async def test_book_timeout_records_the_booking_though_the_client_gave_up(
    make_client: ClientFactory,
) -> None:
    client = make_client()
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    state_of(client).inject(Fault(operation="book", kind="timeout", delay_seconds=0.3))
    payload = booking_payload("demo", start_ms, 1_800_000)
    # In-process there is no socket to time out; giving up is cancelling the call.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(client.post(f"{API}/book", json=payload), timeout=0.05)
    state = state_of(client)
    assert len(state.bookings) == 1, "HubSpot booked it; only the answer was late"
    assert state.bookings[0]["slug"] == "demo"
    retry = await client.post(f"{API}/book", json=payload)
    assert retry.status_code == 400, "a blind retry finds the slot taken"


async def test_timeout_fault_answers_after_the_delay(make_client: ClientFactory) -> None:
    client = make_client()
    state_of(client).inject(Fault(operation="list", kind="timeout", delay_seconds=0.05))
    response = await client.get(API)
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.05


async def test_malformed_fault_is_a_200_that_is_not_json(make_client: ClientFactory) -> None:
    client = make_client()
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    state_of(client).inject(Fault(operation="book", kind="malformed"))
    transport = httpx.ASGITransport(app=client.app)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as raw:
        response = await raw.post(f"{API}/book", json=booking_payload("demo", start_ms, 1_800_000))
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert len(state_of(client).bookings) == 1


async def test_drop_fault_answers_bad_gateway(make_client: ClientFactory) -> None:
    client = make_client()
    state_of(client).inject(Fault(operation="availability", kind="drop"))
    response = await client.get(f"{API}/book/availability-page/demo", params={"timezone": "UTC"})
    assert response.status_code == 502
    assert (await client.get(API)).status_code == 200


async def test_control_endpoints_inject_report_and_reset(make_client: ClientFactory) -> None:
    client = make_client()
    injected = await client.post(
        "/_sandbox/faults", json={"operation": "book", "kind": "status", "status": 503}
    )
    assert injected.status_code == 201
    assert (await client.post("/_sandbox/faults", json={"operation": "bok"})).status_code == 400
    start_ms = (await free_starts(client, "demo", 1_800_000))[0]
    payload = booking_payload("demo", start_ms, 1_800_000)
    assert (await client.post(f"{API}/book", json=payload)).status_code == 503
    assert (await client.post(f"{API}/book", json=payload)).status_code == 200
    stats = (await client.get("/_sandbox/stats")).json()
    assert stats["book_calls"] == 2
    assert [booking["slug"] for booking in stats["bookings"]] == ["demo"]
    assert (await client.post("/_sandbox/reset")).json() == {"reset": True}
    assert (await client.get("/_sandbox/stats")).json()["book_calls"] == 0


async def test_faults_from_the_environment_are_armed(make_client: ClientFactory) -> None:
    config = SandboxConfig.from_env({"BOOKBOT_SANDBOX_FAULTS": "list:503x2"})
    client = make_client(faults=config.faults)
    assert [(await client.get(API)).status_code for _ in range(3)] == [503, 503, 200]


async def test_latency_is_added_to_every_request(make_client: ClientFactory) -> None:
    client = make_client(latency_seconds=0.05)
    response = await client.get(API)
    assert response.elapsed.total_seconds() >= 0.05


def test_fault_list_syntax() -> None:
    faults = parse_faults(
        "book:503x2, list:429@3x1,availability:timeout@1.5,book:malformed,any:drop"
    )
    assert faults == [
        Fault(operation="book", kind="status", status=503, times=2),
        Fault(operation="list", kind="status", status=429, times=1, retry_after_seconds=3.0),
        Fault(operation="availability", kind="timeout", delay_seconds=1.5),
        Fault(operation="book", kind="malformed"),
        Fault(operation="any", kind="drop"),
    ]


@pytest.mark.parametrize("text", ["book", "book:teapot", "cancel:503", "book:503x0", "book:99"])
def test_bad_fault_text_is_refused_clearly(text: str) -> None:
    with pytest.raises(ValueError):
        parse_faults(text)


def test_config_from_environment() -> None:
    config = SandboxConfig.from_env(
        {
            "BOOKBOT_SANDBOX_TOKEN": "pat-na1-xyz",
            "BOOKBOT_SANDBOX_LATENCY_MS": "250",
            "BOOKBOT_SANDBOX_RATE_LIMIT": "7",
            "BOOKBOT_SANDBOX_FAULTS": "book:timeout",
        }
    )
    assert config.access_token == "pat-na1-xyz"
    assert config.latency_seconds == 0.25
    assert config.rate_limit == 7
    assert config.faults == [Fault(operation="book", kind="timeout")]
    assert SandboxConfig.from_env({}) == SandboxConfig(
        clock=config.clock, monotonic=config.monotonic
    )


@pytest.mark.parametrize(
    "environ",
    [
        {"BOOKBOT_SANDBOX_LATENCY_MS": "fast"},
        {"BOOKBOT_SANDBOX_RATE_LIMIT": "0"},
        {"BOOKBOT_SANDBOX_RATE_LIMIT": "-3"},
    ],
)
def test_bad_environment_values_are_refused(environ: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        SandboxConfig.from_env(environ)
