"""Fixtures: the real sandbox, in-process (ASGITransport) or over a socket (uvicorn thread)."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from bot.devtools.sandbox import SandboxConfig, SandboxState, create_sandbox_app
from bot.hubspot.client import HubSpotClient, RetryPolicy
from bot.hubspot.limiter import RateLimiter
from tests.contract_helpers import SpecCheckingTransport

# Monday 2026-11-30, 12:00 UTC (07:00 in New York): the whole business week is ahead.
PINNED_NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SANDBOX_TOKEN = "pat-sandbox-token-0123456789"


class FakeMonotonic:
    """Elapsed time for the sandbox's rate window that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def sandbox_config(**fields: Any) -> SandboxConfig:
    fields.setdefault("clock", lambda: PINNED_NOW)
    fields.setdefault("access_token", SANDBOX_TOKEN)
    return SandboxConfig(**fields)


def sandbox_app(**fields: Any) -> Starlette:
    return create_sandbox_app(sandbox_config(**fields))


def sandbox_state(app: Starlette) -> SandboxState:
    state: SandboxState = app.state.sandbox
    return state


@pytest.fixture
def time_machine() -> FakeMonotonic:
    return FakeMonotonic()


SandboxClientFactory = Callable[..., tuple[HubSpotClient, Starlette, SpecCheckingTransport]]


@pytest.fixture
async def sandbox_client(
    time_machine: FakeMonotonic,
) -> AsyncIterator[SandboxClientFactory]:
    """Build (client, sandbox app, spec-checking transport) from SandboxConfig fields.

    Every request the client sends is checked against the spec; so is every answer unless
    `check_responses=False` (faults deliberately answer off-spec).
    """
    clients: list[HubSpotClient] = []

    def build(
        *,
        token: str | None = SANDBOX_TOKEN,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        check_requests: bool = True,
        check_responses: bool = True,
        **config_fields: Any,
    ) -> tuple[HubSpotClient, Starlette, SpecCheckingTransport]:
        config_fields.setdefault("monotonic", time_machine)
        app = create_sandbox_app(sandbox_config(**config_fields))
        inner = httpx.ASGITransport(app=app)
        transport = SpecCheckingTransport(
            inner, check_requests=check_requests, check_responses=check_responses
        )
        client = HubSpotClient(
            base_url="https://api.hubapi.com",
            access_token=token,
            transport=transport,
            retry=retry or RetryPolicy(),
            sleep=time_machine.sleep,
            rng=random.Random(1),
            limiter=limiter,
        )
        clients.append(client)
        return client, app, transport

    yield build
    for client in clients:
        await client.aclose()


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    """Serve `app` with uvicorn on an ephemeral local port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
