"""The sandbox's HubSpot OAuth 2: consent, code exchange, refresh, expiry, revocation, portals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.devtools.sandbox.oauth import MAIN_HUB_ID
from bot.hubspot.errors import AuthenticationError, from_response
from tests.sandbox.conftest import (
    API,
    PINNED_NOW,
    ClientFactory,
    booking_payload,
    free_starts,
    state_of,
)

REDIRECT = "https://booker.example/hubspot/oauth/callback"
SCOPES = "oauth scheduler.meetings.meeting-link.read meetings-write"


class Clock:
    def __init__(self) -> None:
        self.now = PINNED_NOW

    def __call__(self) -> datetime:
        return self.now


def query_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return {k: v[-1] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


async def authorize(
    client: httpx.AsyncClient, *, decision: str = "allow", scope: str = SCOPES, **extra: str
) -> httpx.Response:
    params = {
        "client_id": "booker-app",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "s-123",
        "decision": decision,
        **extra,
    }
    return await client.get("/oauth/authorize", params=params)


async def token(client: httpx.AsyncClient, **form: str) -> httpx.Response:
    form.setdefault("client_id", "booker-app")
    form.setdefault("client_secret", "booker-secret")
    return await client.post("/oauth/2026-03/token", data=form)


async def introspect(client: httpx.AsyncClient, token_value: str, **form: str) -> dict[str, Any]:
    form.setdefault("client_id", "booker-app")
    form.setdefault("client_secret", "booker-secret")
    response = await client.post(
        "/oauth/2026-03/token/introspect", data={"token": token_value, **form}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def connect(client: httpx.AsyncClient, **extra: str) -> dict[str, Any]:
    code = query_of(await authorize(client, **extra))["code"]
    response = await token(
        client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def oauth_client(make_client: ClientFactory, clock: Clock) -> httpx.AsyncClient:
    # Requests without their own Authorization header use the private-app token.
    return make_client(
        token="private-app-token",
        clock=clock,
        access_token="private-app-token",
        oauth_client_id="booker-app",
        oauth_client_secret="booker-secret",
        oauth_access_token_seconds=60,
    )


async def test_consent_page_offers_allow_and_deny_and_escapes_what_it_repeats(
    oauth_client: httpx.AsyncClient,
) -> None:
    response = await oauth_client.get(
        "/oauth/authorize",
        params={
            "client_id": "booker-app",
            "redirect_uri": REDIRECT,
            "scope": "meetings-write <script>alert(1)</script>",
            "state": '"><img src=x>',
        },
    )
    assert response.status_code == 200
    page = response.text
    assert "Deny" in page and "Allow for" in page and "a new account" in page
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


async def test_allow_redirects_with_code_and_state_and_the_code_buys_tokens(
    oauth_client: httpx.AsyncClient,
) -> None:
    params = query_of(await authorize(oauth_client))
    assert params["state"] == "s-123" and params["code"]
    response = await token(
        oauth_client, grant_type="authorization_code", code=params["code"], redirect_uri=REDIRECT
    )
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 60
    assert tokens["access_token"] != tokens["refresh_token"]

    listing = await oauth_client.get(API, headers=bearer(tokens["access_token"]))
    assert listing.status_code == 200 and listing.json()["total"] > 0
    info = await introspect(oauth_client, tokens["access_token"])
    assert info["active"] is True and info["token_use"] == "access_token"
    assert info["hub_id"] == MAIN_HUB_ID
    assert set(info["scopes"]) == set(SCOPES.split())


async def test_denied_consent_redirects_with_access_denied(
    oauth_client: httpx.AsyncClient,
) -> None:
    params = query_of(await authorize(oauth_client, decision="deny"))
    assert params["error"] == "access_denied"
    assert params["state"] == "s-123"
    assert "code" not in params


async def test_authorize_refuses_an_unknown_client_without_redirecting(
    oauth_client: httpx.AsyncClient,
) -> None:
    response = await oauth_client.get(
        "/oauth/authorize",
        params={"client_id": "someone-else", "redirect_uri": REDIRECT, "decision": "allow"},
    )
    assert response.status_code == 400
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"code": "sbx-code-made-up"}, "BAD_AUTH_CODE", "invalid_grant"),
        ({"redirect_uri": "https://evil.example/cb"}, "BAD_REDIRECT_URI", "invalid_grant"),
        ({"client_secret": "wrong"}, "BAD_CLIENT_SECRET", "invalid_client"),
        ({"client_id": "someone-else"}, "BAD_CLIENT_ID", "invalid_client"),
        ({"grant_type": "password"}, "BAD_GRANT_TYPE", "unsupported_grant_type"),
    ],
)
async def test_code_exchange_errors_are_hubspot_shaped(
    oauth_client: httpx.AsyncClient, form: dict[str, str], status: str, error: str
) -> None:
    code = query_of(await authorize(oauth_client))["code"]
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **form}
    response = await token(oauth_client, **fields)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == status
    assert body["message"]
    # RFC 6749 section 5.2 beside HubSpot's own fields (the 2026-03 API).
    assert body["error"] == error
    assert body["error_description"] == body["message"]


async def test_a_code_works_once_and_not_after_it_expired(
    oauth_client: httpx.AsyncClient, clock: Clock
) -> None:
    code = query_of(await authorize(oauth_client))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    assert (await token(oauth_client, **form)).status_code == 200
    again = await token(oauth_client, **form)
    assert again.json()["status"] == "BAD_AUTH_CODE"

    late = query_of(await authorize(oauth_client))["code"]
    clock.now += timedelta(minutes=11)
    expired = await token(oauth_client, **{**form, "code": late})
    assert expired.json()["status"] == "EXPIRED_AUTH_CODE"


async def test_an_expired_access_token_gets_hubspots_401_and_a_refresh_fixes_it(
    oauth_client: httpx.AsyncClient, clock: Clock
) -> None:
    tokens = await connect(oauth_client)
    clock.now += timedelta(seconds=61)
    response = await oauth_client.get(API, headers=bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert response.json()["category"] == "EXPIRED_AUTHENTICATION"
    assert isinstance(from_response(response), AuthenticationError)

    refreshed = await token(
        oauth_client, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["refresh_token"] == tokens["refresh_token"]
    assert new["access_token"] != tokens["access_token"]
    assert (await oauth_client.get(API, headers=bearer(new["access_token"]))).status_code == 200
    # The private-app token keeps working beside OAuth tokens.
    private = await oauth_client.get(API, headers=bearer("private-app-token"))
    assert private.status_code == 200


async def test_a_revoked_refresh_token_no_longer_refreshes_and_its_access_tokens_stop(
    oauth_client: httpx.AsyncClient,
) -> None:
    tokens = await connect(oauth_client)
    revoked = await oauth_client.post(
        "/oauth/2026-03/token/revoke",
        data={
            "token": tokens["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": "booker-app",
            "client_secret": "booker-secret",
        },
    )
    assert revoked.status_code == 200
    refresh = await token(
        oauth_client, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refresh.status_code == 400
    assert refresh.json()["status"] == "BAD_REFRESH_TOKEN"
    api = await oauth_client.get(API, headers=bearer(tokens["access_token"]))
    assert api.status_code == 401
    assert await introspect(oauth_client, tokens["refresh_token"]) == {"active": False}
    assert await introspect(oauth_client, tokens["access_token"]) == {"active": False}


async def test_a_token_without_the_booking_scope_cannot_book(
    oauth_client: httpx.AsyncClient,
) -> None:
    tokens = await connect(oauth_client, scope="scheduler.meetings.meeting-link.read")
    start = (await free_starts(oauth_client, "demo", 1_800_000))[0]
    response = await oauth_client.post(
        f"{API}/book",
        json=booking_payload("demo", start, 1_800_000),
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 403


async def test_two_portals_book_the_same_slot_without_seeing_each_other(
    oauth_client: httpx.AsyncClient,
) -> None:
    first = await connect(oauth_client, hub_id="new")
    second = await connect(oauth_client, hub_id="new")
    hub_ids = [
        (await introspect(oauth_client, t["access_token"]))["hub_id"] for t in (first, second)
    ]
    assert len(set(hub_ids)) == 2 and MAIN_HUB_ID not in hub_ids

    start = (await free_starts(oauth_client, "demo", 1_800_000))[3]
    for tokens, email in ((first, "ana@one.example"), (second, "bo@two.example")):
        response = await oauth_client.post(
            f"{API}/book",
            json=booking_payload("demo", start, 1_800_000, email=email),
            headers=bearer(tokens["access_token"]),
        )
        assert response.status_code == 200, response.text

    stats = (await oauth_client.get("/_sandbox/oauth")).json()
    by_hub = {portal["hub_id"]: portal for portal in stats["portals"]}
    assert [b["guestEmails"] for b in by_hub[hub_ids[0]]["bookings"]] == [["ana@one.example"]]
    assert [b["guestEmails"] for b in by_hub[hub_ids[1]]["bookings"]] == [["bo@two.example"]]
    assert state_of(oauth_client).bookings == []
    # The first portal's calendar shows its own booking, not the other's guest.
    assert start not in await _free_with(oauth_client, first["access_token"])
    assert start in await free_starts(oauth_client, "demo", 1_800_000)


async def _free_with(client: httpx.AsyncClient, access_token: str) -> list[int]:
    response = await client.get(
        f"{API}/book/availability-page/demo",
        params={"timezone": "UTC"},
        headers=bearer(access_token),
    )
    by_duration = response.json()["linkAvailability"]["linkAvailabilityByDuration"]
    return [slot["startMillisUtc"] for slot in by_duration["1800000"]["availabilities"]]


async def test_control_endpoints_expire_tokens_and_uninstall_a_portal(
    oauth_client: httpx.AsyncClient,
) -> None:
    tokens = await connect(oauth_client, hub_id="new")
    hub_id = (await introspect(oauth_client, tokens["access_token"]))["hub_id"]
    expired = await oauth_client.post("/_sandbox/oauth/expire", json={"hub_id": hub_id})
    assert expired.json() == {"expired": 1}
    assert (await oauth_client.get(API, headers=bearer(tokens["access_token"]))).status_code == 401
    uninstall = await oauth_client.post("/_sandbox/oauth/uninstall", json={"hub_id": hub_id})
    assert uninstall.json() == {"revoked": 1}
    refresh = await token(
        oauth_client, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refresh.json()["status"] == "BAD_REFRESH_TOKEN"
    stats = (await oauth_client.get("/_sandbox/oauth")).json()
    assert stats["token_requests"] == {"authorization_code": 1, "refresh_token": 1}


def test_oauth_settings_come_from_the_environment() -> None:
    from bot.devtools.sandbox import SandboxConfig

    config = SandboxConfig.from_env(
        {
            "BOOKBOT_SANDBOX_OAUTH_CLIENT_ID": "app-1",
            "BOOKBOT_SANDBOX_OAUTH_CLIENT_SECRET": "s3cret",
            "BOOKBOT_SANDBOX_OAUTH_TOKEN_SECONDS": "90",
        }
    )
    assert (config.oauth_client_id, config.oauth_client_secret) == ("app-1", "s3cret")
    assert config.oauth_access_token_seconds == 90
    assert SandboxConfig.from_env({}).oauth_client_id is None
    with pytest.raises(ValueError, match="BOOKBOT_SANDBOX_OAUTH_TOKEN_SECONDS"):
        SandboxConfig.from_env({"BOOKBOT_SANDBOX_OAUTH_TOKEN_SECONDS": "soon"})


async def test_introspect_describes_refresh_tokens_and_refuses_a_wrong_client(
    oauth_client: httpx.AsyncClient, clock: Clock
) -> None:
    tokens = await connect(oauth_client)
    info = await introspect(oauth_client, tokens["refresh_token"], token_type_hint="refresh_token")
    assert info["active"] is True and info["token_use"] == "refresh_token"
    assert info["hub_id"] == MAIN_HUB_ID and info["client_id"] == "booker-app"
    clock.now += timedelta(seconds=61)  # the access token expired: inactive, not an error
    assert await introspect(oauth_client, tokens["access_token"]) == {"active": False}
    wrong = await oauth_client.post(
        "/oauth/2026-03/token/introspect",
        data={"token": tokens["refresh_token"], "client_id": "booker-app", "client_secret": "no"},
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_client"


async def test_the_2026_03_endpoints_take_parameters_from_the_body_only(
    oauth_client: httpx.AsyncClient,
) -> None:
    tokens = await connect(oauth_client)
    in_url = await oauth_client.post(
        "/oauth/2026-03/token",
        params={"refresh_token": tokens["refresh_token"], "client_secret": "booker-secret"},
        data={"grant_type": "refresh_token", "client_id": "booker-app"},
    )
    assert in_url.status_code == 400
    assert in_url.json()["error"] == "invalid_request"
    as_json = await oauth_client.post(
        "/oauth/2026-03/token/revoke",
        json={"token": tokens["refresh_token"], "client_id": "booker-app"},
    )
    assert as_json.status_code == 400
    # Nothing was revoked by the refused calls.
    assert (await introspect(oauth_client, tokens["refresh_token"]))["active"] is True


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/oauth/v1/token"),
        ("GET", "/oauth/v1/access-tokens/{access}"),
        ("GET", "/oauth/v1/refresh-tokens/{refresh}"),
        ("DELETE", "/oauth/v1/refresh-tokens/{refresh}"),
    ],
)
async def test_the_v1_oauth_api_answers_as_after_hubspots_sunset(
    oauth_client: httpx.AsyncClient, method: str, path: str
) -> None:
    tokens = await connect(oauth_client)
    url = path.format(access=tokens["access_token"], refresh=tokens["refresh_token"])
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": "booker-app",
        "client_secret": "booker-secret",
    }
    response = await oauth_client.request(method, url, data=form if method == "POST" else None)
    assert response.status_code == 404
    body = response.json()
    assert "2026-03" in body["message"] and body["correlationId"]
    # Counted (without the token), and nothing happened: the refresh token still works.
    stats = (await oauth_client.get("/_sandbox/oauth")).json()
    assert sum(stats["v1_requests"].values()) == 1
    assert tokens["refresh_token"] not in str(stats["v1_requests"])
    assert (await introspect(oauth_client, tokens["refresh_token"]))["active"] is True


async def test_the_default_connect_scopes_can_list_and_book(
    oauth_client: httpx.AsyncClient,
) -> None:
    from bot.config import DEFAULT_HUBSPOT_OAUTH_SCOPES

    tokens = await connect(oauth_client, scope=" ".join(DEFAULT_HUBSPOT_OAUTH_SCOPES))
    listing = await oauth_client.get(API, headers=bearer(tokens["access_token"]))
    assert listing.status_code == 200
    start = (await free_starts(oauth_client, "demo", 1_800_000))[0]
    booked = await oauth_client.post(
        f"{API}/book",
        json=booking_payload("demo", start, 1_800_000),
        headers=bearer(tokens["access_token"]),
    )
    assert booked.status_code == 200, booked.text
