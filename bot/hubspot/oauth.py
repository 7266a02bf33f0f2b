"""HubSpot's OAuth 2 endpoints from Booker's side: the authorize URL, code exchange, refresh.

HubSpot's date-versioned OAuth API (2026-03; the v1 API is switched off on 2027-02-16):
`POST {HUBSPOT_BASE_URL}/oauth/2026-03/token` (code exchange and refresh),
`/oauth/2026-03/token/introspect` (which portal and scopes a token is for) and
`/oauth/2026-03/token/revoke`, every parameter in the form body (never in the URL, so no token
sits in a request line). Errors come back as 400 with RFC 6749's `error`/`error_description`
beside HubSpot's `status`/`message` (`{"error": "invalid_grant", "status": "BAD_REFRESH_TOKEN",
...}`) and are raised as classes of bot.hubspot.errors (RefreshTokenRevoked for a refresh token
that no longer works). Tokens issued through v1 keep working here: only the paths changed.
Tokens never reach the logs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self, TypeVar
from urllib.parse import quote, urlencode

import httpx
import pydantic
from pydantic import BaseModel, ConfigDict, Field

from bot.hubspot.client import DEFAULT_TIMEOUTS, USER_AGENT
from bot.hubspot.errors import (
    AuthenticationError,
    BadAuthCodeError,
    HubSpotError,
    MalformedResponseError,
    OAuthClientError,
    OAuthError,
    RefreshTokenRevoked,
    ServerError,
    TransportError,
    from_response,
)

TOKEN_PATH = "/oauth/2026-03/token"
INTROSPECT_PATH = "/oauth/2026-03/token/introspect"
REVOKE_PATH = "/oauth/2026-03/token/revoke"
DEFAULT_AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize"

log = logging.getLogger("bot.hubspot.oauth")
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

_CODE_ERRORS = frozenset({"BAD_AUTH_CODE", "EXPIRED_AUTH_CODE", "BAD_REDIRECT_URI"})
_CLIENT_ERRORS = frozenset({"BAD_CLIENT_ID", "BAD_CLIENT_SECRET", "INVALID_CLIENT"})
_REFRESH_ERRORS = frozenset({"BAD_REFRESH_TOKEN", "EXPIRED_REFRESH_TOKEN", "INVALID_GRANT"})
# RFC 6749 `error` codes, read when HubSpot's `status` is absent or one Booker does not know.
_RFC_CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client"})


class TokenResponse(BaseModel):
    """HubSpot's answer to both grant types of POST /oauth/2026-03/token."""

    model_config = ConfigDict(extra="ignore")

    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    expires_in: int = Field(ge=0)
    token_type: str = "bearer"

    def expires_at(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.expires_in)


class AccessTokenInfo(BaseModel):
    """POST /oauth/2026-03/token/introspect of an active token: its portal (hub) and scopes."""

    model_config = ConfigDict(extra="ignore")

    active: bool = True
    token_use: str | None = None
    hub_id: int
    hub_domain: str | None = None
    scopes: list[str] = Field(default_factory=list)
    expires_in: int | None = None
    user: str | None = Field(default=None, repr=False)
    app_id: int | None = None


class OAuthErrorBody(BaseModel):
    """An OAuth refusal: RFC 6749 `error`/`error_description` and/or HubSpot's `status`."""

    model_config = ConfigDict(extra="ignore")

    error: str | None = None
    error_description: str | None = None
    status: str | None = None
    message: str = ""
    correlation_id: str | None = Field(default=None, alias="correlationId")

    @property
    def code(self) -> str | None:
        return self.status if self.status not in (None, "error") else self.error

    @property
    def text(self) -> str:
        return self.message or self.error_description or ""


def authorize_url(
    base: str, *, client_id: str, redirect_uri: str, scopes: Iterable[str], state: str
) -> str:
    """Where to send a person to approve Booker in their HubSpot account."""
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
        },
        quote_via=quote,
    )
    return f"{base}{'&' if '?' in base else '?'}{query}"


def _oauth_error(response: httpx.Response, grant_type: str | None = None) -> HubSpotError:
    """The class for an OAuth refusal; `grant_type` tells what an RFC `invalid_grant` refers to."""
    try:
        body = OAuthErrorBody.model_validate(json.loads(response.content))
    except (ValueError, pydantic.ValidationError, TypeError):
        body = None
    if body is None or body.code is None or response.status_code >= 500:
        return from_response(response)
    message = f"HubSpot's token endpoint answered {body.code}: {body.text}"
    error_class: type[OAuthError] = OAuthError
    if body.status in _REFRESH_ERRORS:
        error_class = RefreshTokenRevoked
    elif body.status in _CODE_ERRORS:
        error_class = BadAuthCodeError
    elif body.status in _CLIENT_ERRORS or body.error in _RFC_CLIENT_ERRORS:
        error_class = OAuthClientError
    elif body.error == "invalid_grant" and grant_type == "refresh_token":
        error_class = RefreshTokenRevoked
    elif body.error == "invalid_grant" and grant_type == "authorization_code":
        error_class = BadAuthCodeError
    return error_class(
        message,
        oauth_status=body.code,
        status=response.status_code,
        correlation_id=body.correlation_id,
    )


class HubSpotOAuth:
    """Booker's OAuth app at HubSpot: `async with HubSpotOAuth(...) as oauth:`."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeouts: httpx.Timeout = DEFAULT_TIMEOUTS,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
            timeout=timeouts,
            follow_redirects=False,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def exchange_code(self, code: str, *, redirect_uri: str) -> TokenResponse:
        """Trade the code HubSpot sent to the callback for tokens (a code works once)."""
        return await self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )

    async def refresh(self, refresh_token: str) -> TokenResponse:
        """A new access token; raises RefreshTokenRevoked when the refresh token is dead."""
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def access_token_info(self, access_token: str) -> AccessTokenInfo:
        """Introspect an access token; AuthenticationError when HubSpot says it is not active."""
        response = await self._send(
            "POST",
            INTROSPECT_PATH,
            data=self._client_form(token=access_token, token_type_hint="access_token"),
        )
        if not response.is_success:
            raise _oauth_error(response)
        try:
            active = json.loads(response.content).get("active")
        except (ValueError, AttributeError):
            active = None
        if active is False:
            raise AuthenticationError(
                "HubSpot says this access token is not active", status=response.status_code
            )
        return _parse(response, AccessTokenInfo)

    async def revoke(self, refresh_token: str) -> None:
        """Disconnect: HubSpot forgets the refresh token and its access tokens (RFC 7009: an
        unknown token is fine; a 404 from an older answer means it already had)."""
        response = await self._send(
            "POST",
            REVOKE_PATH,
            data=self._client_form(token=refresh_token, token_type_hint="refresh_token"),
        )
        if not response.is_success and response.status_code != 404:
            raise _oauth_error(response)

    def _client_form(self, **form: str) -> dict[str, str]:
        return {**form, "client_id": self.client_id, "client_secret": self._client_secret}

    async def _token(self, form: dict[str, str]) -> TokenResponse:
        """One retry when the request surely never left (a code or grant is used at most once)."""
        body = self._client_form(**form)
        attempts = 2
        for attempt in range(1, attempts + 1):
            try:
                response = await self._send("POST", TOKEN_PATH, data=body)
            except TransportError:
                if attempt == attempts:
                    raise
                continue
            if response.is_success:
                return _parse(response, TokenResponse)
            error = _oauth_error(response, form["grant_type"])
            log.warning(
                "hubspot oauth %s refused: %s",
                form["grant_type"],
                getattr(error, "oauth_status", None) or error.status,
            )
            raise error
        raise AssertionError("unreachable")

    async def _send(
        self, method: str, path: str, *, data: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            return await self._http.request(method, path, data=data)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransportError(f"Could not reach HubSpot ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise ServerError(f"HubSpot did not answer ({type(exc).__name__})") from exc


def _parse(response: httpx.Response, model: type[ModelT]) -> ModelT:
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        # Field locations only: the values are tokens.
        problems = "; ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise MalformedResponseError(
            "HubSpot's answer from its OAuth endpoint "
            f"is not a valid {model.__name__}: {problems[:300]}",
            status=response.status_code,
        ) from exc
