"""Shared fixtures: a sandbox on a pinned clock, reached in-process, every answer spec-checked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.devtools.sandbox import SandboxConfig, SandboxState, create_sandbox_app
from tests.contract_helpers import validate_response

# Monday 08:00 in New York (13:00 UTC), the week before US daylight saving starts.
PINNED_NOW = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
API = "/scheduler/v3/meetings/meeting-links"


def pinned_clock() -> datetime:
    return PINNED_NOW


async def _check_against_spec(response: httpx.Response) -> None:
    if response.request.url.path.startswith("/scheduler/"):
        await response.aread()
        validate_response(response.request, response)


ClientFactory = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def make_client() -> AsyncIterator[ClientFactory]:
    """Build a sandbox from SandboxConfig keyword arguments and an httpx client talking to it."""
    clients: list[httpx.AsyncClient] = []

    def build(token: str | None = None, **config_fields: Any) -> httpx.AsyncClient:
        config_fields.setdefault("clock", pinned_clock)
        app = create_sandbox_app(SandboxConfig(**config_fields))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sandbox.test",
            headers=headers,
            event_hooks={"response": [_check_against_spec]},
        )
        client.app = app  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory) -> httpx.AsyncClient:
    return make_client()


def state_of(client: httpx.AsyncClient) -> SandboxState:
    app: Starlette = client.app  # type: ignore[attr-defined]
    return app.state.sandbox


async def free_starts(
    client: httpx.AsyncClient, slug: str, duration_ms: int, month_offset: int = 0
) -> list[int]:
    response = await client.get(
        f"{API}/book/availability-page/{slug}",
        params={"timezone": "UTC", "monthOffset": month_offset},
    )
    assert response.status_code == 200, response.text
    by_duration = response.json()["linkAvailability"]["linkAvailabilityByDuration"]
    return [slot["startMillisUtc"] for slot in by_duration[str(duration_ms)]["availabilities"]]


def iso_utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def booking_payload(slug: str, start_ms: int, duration_ms: int, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "slug": slug,
        "startTime": iso_utc(start_ms),
        "duration": duration_ms,
        "email": "ana.lima@example.com",
        "firstName": "Ana",
        "lastName": "Lima",
        "formFields": [],
        "legalConsentResponses": [],
        "likelyAvailableUserIds": [],
        "timezone": "America/Sao_Paulo",
        "locale": "pt-br",
    }
    payload.update(overrides)
    return payload
