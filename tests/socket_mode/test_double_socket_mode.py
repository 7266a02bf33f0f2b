"""The Slack double's Socket Mode side, driven by slack_sdk's own Socket Mode client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.devtools.slack_double import DEFAULT_APP_TOKEN, DEFAULT_TOKEN, SlackDouble


@pytest.fixture
async def double() -> AsyncIterator[SlackDouble]:
    async with SlackDouble() as running:
        yield running


async def client_for(double: SlackDouble, name: str, seen: list[str]) -> SocketModeClient:
    """A Socket Mode client that acks every envelope with {"from": name}."""
    client = SocketModeClient(
        app_token=DEFAULT_APP_TOKEN,
        web_client=AsyncWebClient(base_url=double.base_url),
        auto_reconnect_enabled=False,
    )

    async def answer(client: SocketModeClient, request: SocketModeRequest) -> None:
        seen.append(f"{name}:{request.type}")
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload={"from": name})
        )

    client.socket_mode_request_listeners.append(answer)
    await client.connect()
    return client


async def test_only_an_app_token_opens_a_connection(double: SlackDouble) -> None:
    bot = AsyncWebClient(token=DEFAULT_TOKEN, base_url=double.base_url)
    with pytest.raises(SlackApiError) as raised:
        await bot.apps_connections_open(app_token=DEFAULT_TOKEN)
    assert raised.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as raised:
        await bot.apps_connections_open(app_token="xapp-1-unknown")
    assert raised.value.response["error"] == "invalid_auth"
    opened = await bot.apps_connections_open(app_token=DEFAULT_APP_TOKEN)
    assert opened["url"].startswith("ws://127.0.0.1:")


async def test_envelopes_go_round_robin_and_acks_carry_their_payload(double: SlackDouble) -> None:
    seen: list[str] = []
    clients = [await client_for(double, name, seen) for name in ("a", "b")]
    try:
        await double.socket.wait_for_connections(2, timeout=10)
        envelopes = [
            await double.socket.push("slash_commands", double.slash_command_payload("x"))
            for _ in range(4)
        ]
        acks = [await double.socket.ack(envelope) for envelope in envelopes]
        assert [ack["payload"]["from"] for ack in acks] == ["a", "b", "a", "b"]
        assert [double.socket.acked_on[e] for e in envelopes] == [0, 1, 0, 1]
        assert sorted(seen) == ["a:slash_commands"] * 2 + ["b:slash_commands"] * 2

        both = await double.socket.push_to_each("interactive", {"type": "view_submission"})
        answered = [(await double.socket.ack(e))["payload"]["from"] for e in both]
        assert sorted(answered) == ["a", "b"]
    finally:
        for client in clients:
            await client.close()
