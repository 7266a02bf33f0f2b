"""Booker's OAuth client against HubSpot's published 2026-03 shapes (the docs' own examples):
where each call goes, that every parameter is in the form body, and how the answers and the
RFC 6749 error bodies are read. The sandbox's side of the contract: tests/sandbox/test_oauth.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from bot.hubspot.errors import (
    AuthenticationError,
    BadAuthCodeError,
    OAuthClientError,
    RefreshTokenRevoked,
)
from bot.hubspot.oauth import HubSpotOAuth

BASE = "https://api.hubapi.test"

# developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect
INTROSPECT_EXAMPLE: dict[str, Any] = {
    "token_use": "access_token",
    "active": True,
    "token": "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQ",
    "hub_id": 62515,
    "user_id": 123,
    "client_id": "5fb4b5c7-5f5a-4c8f-8a5e-7a1d0b6a1a1a",
    "app_id": 456,
    "scopes": ["oauth", "scheduler.meetings.meeting-link.read", "meetings-write"],
    "signed_access_token": {"appId": 456, "expiresAt": 1, "hubId": 62515, "scopes": "x"},
    "expires_in": 1754,
    "is_private_distribution": False,
    "token_type": "bearer",
    "user": "admin@example.com",
    "hub_domain": "example.com",
}
# developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses
REFRESH_REFUSED = {
    "error": "invalid_grant",
    "error_description": "refresh token is invalid, expired or revoked",
    "status": "BAD_REFRESH_TOKEN",
    "message": "refresh token is invalid, expired or revoked",
}
TOKENS = {
    "token_type": "bearer",
    "refresh_token": "rt-1",
    "access_token": "at-1",
    "expires_in": 1800,
}


class Recorder:
    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._answer(request)

    def form(self, index: int = -1) -> dict[str, str]:
        request = self.requests[index]
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        return {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}


def oauth_with(recorder: Recorder) -> HubSpotOAuth:
    return HubSpotOAuth(
        base_url=BASE,
        client_id="client-1",
        client_secret="secret-1",
        transport=httpx.MockTransport(recorder),
    )


def answer(status: int, body: Any = None) -> Callable[[httpx.Request], httpx.Response]:
    def reply(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status)
        return httpx.Response(status, json=body)

    return reply


async def test_code_exchange_and_refresh_post_the_form_to_the_2026_03_token_endpoint() -> None:
    recorder = Recorder(answer(200, TOKENS))
    async with oauth_with(recorder) as oauth:
        tokens = await oauth.exchange_code("code-1", redirect_uri="https://b.example/cb")
        await oauth.refresh("rt-1")
    assert tokens.access_token == "at-1" and tokens.expires_in == 1800
    for request in recorder.requests:
        assert request.method == "POST"
        assert request.url.path == "/oauth/2026-03/token"
        assert request.url.query == b""  # nothing secret in the URL
    assert recorder.form(0) == {
        "grant_type": "authorization_code",
        "code": "code-1",
        "redirect_uri": "https://b.example/cb",
        "client_id": "client-1",
        "client_secret": "secret-1",
    }
    assert recorder.form(1) == {
        "grant_type": "refresh_token",
        "refresh_token": "rt-1",
        "client_id": "client-1",
        "client_secret": "secret-1",
    }


async def test_introspection_reads_hubspots_documented_answer() -> None:
    recorder = Recorder(answer(200, INTROSPECT_EXAMPLE))
    async with oauth_with(recorder) as oauth:
        info = await oauth.access_token_info("CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQ")
    assert (info.hub_id, info.hub_domain) == (62515, "example.com")
    assert "meetings-write" in info.scopes
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/oauth/2026-03/token/introspect")
    assert "CJSP5" not in str(request.url)
    assert recorder.form() == {
        "token": "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQ",
        "token_type_hint": "access_token",
        "client_id": "client-1",
        "client_secret": "secret-1",
    }


async def test_an_inactive_token_is_an_authentication_error() -> None:
    async with oauth_with(Recorder(answer(200, {"active": False}))) as oauth:
        with pytest.raises(AuthenticationError):
            await oauth.access_token_info("gone")


@pytest.mark.parametrize("status", [200, 204, 404])
async def test_revoke_posts_the_refresh_token_in_the_body(status: int) -> None:
    recorder = Recorder(answer(status))
    async with oauth_with(recorder) as oauth:
        await oauth.revoke("rt-9")
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/oauth/2026-03/token/revoke")
    assert recorder.form() == {
        "token": "rt-9",
        "token_type_hint": "refresh_token",
        "client_id": "client-1",
        "client_secret": "secret-1",
    }


@pytest.mark.parametrize(
    ("grant", "body", "expected"),
    [
        ("refresh_token", REFRESH_REFUSED, RefreshTokenRevoked),
        # RFC 6749 fields alone are enough to tell what happened.
        (
            "refresh_token",
            {"error": "invalid_grant", "error_description": "x"},
            RefreshTokenRevoked,
        ),
        (
            "authorization_code",
            {"error": "invalid_grant", "error_description": "x"},
            BadAuthCodeError,
        ),
        ("refresh_token", {"error": "invalid_client", "error_description": "x"}, OAuthClientError),
        (
            "authorization_code",
            {"error": "invalid_grant", "error_description": "x", "status": "EXPIRED_AUTH_CODE"},
            BadAuthCodeError,
        ),
    ],
)
async def test_rfc_6749_error_bodies_become_the_right_classes(
    grant: str, body: dict[str, str], expected: type[Exception]
) -> None:
    async with oauth_with(Recorder(answer(400, {**body, "correlationId": "c-1"}))) as oauth:
        with pytest.raises(expected) as raised:
            if grant == "refresh_token":
                await oauth.refresh("rt-secret")
            else:
                await oauth.exchange_code("code-secret", redirect_uri="https://b.example/cb")
    error: Any = raised.value
    assert error.correlation_id == "c-1"
    assert error.oauth_status == body.get("status", body["error"])
    assert "rt-secret" not in str(error) and "code-secret" not in str(error)
    assert body["error_description"] in str(error)
