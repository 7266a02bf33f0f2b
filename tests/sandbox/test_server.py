"""The sandbox served by uvicorn on a real socket, as `bookbot sandbox --port P` runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.contract_helpers import validate_response
from tests.sandbox.conftest import API, booking_payload

TOKEN = "pat-na1-socket-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served_sandbox() -> Iterator[str]:
    port = _free_port()
    environ = {
        **os.environ,
        "BOOKBOT_SANDBOX_TOKEN": TOKEN,
        "BOOKBOT_SANDBOX_FAULTS": "book:timeout@1",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", f"from bot.devtools.sandbox.server import serve; serve({port})"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"{base_url}/_sandbox/stats", timeout=0.5)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    _, errors = process.communicate(timeout=5)
                    pytest.fail(f"sandbox did not start: {errors.decode()[-2000:]}")
                time.sleep(0.05)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_served_sandbox_answers_like_hubspot_and_times_out_a_booking(served_sandbox: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=served_sandbox, headers=headers) as client:
        assert client.get(API, headers={"Authorization": "Bearer wrong"}).status_code == 401

        listing = client.get(API, params={"limit": 5})
        validate_response(listing.request, listing)
        assert listing.headers["X-HubSpot-RateLimit-Max"] == "100"

        availability = client.get(f"{API}/book/availability-page/demo", params={"timezone": "UTC"})
        validate_response(availability.request, availability)
        slots = availability.json()["linkAvailability"]["linkAvailabilityByDuration"]["900000"]
        start_ms = slots["availabilities"][0]["startMillisUtc"]

        payload = booking_payload("demo", start_ms, 900_000)
        with pytest.raises(httpx.ReadTimeout):
            client.post(f"{API}/book", json=payload, timeout=httpx.Timeout(5.0, read=0.2))
        stats = client.get("/_sandbox/stats").json()
        assert stats["book_calls"] == 1 and len(stats["bookings"]) == 1

        retry = client.post(f"{API}/book", json=payload)
        validate_response(retry.request, retry)
        assert retry.status_code == 400, "the late booking holds the slot"
