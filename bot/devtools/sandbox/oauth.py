"""HubSpot's OAuth 2 endpoints in the sandbox, and one portal (account) per connection.

HubSpot routes (the authorize page lives on app.hubspot.com; the sandbox serves it itself):
    GET    /oauth/authorize?client_id&redirect_uri&scope&state   consent page (Allow / Deny links);
           with `decision=allow|deny` it answers at once: a redirect to redirect_uri with
           `code` and `state`, or `error=access_denied`. `hub_id=<id>|new` picks the portal
           the person connects (default: the sandbox's main portal; `new` makes another one).
    POST   /oauth/2026-03/token             grant_type authorization_code | refresh_token
    POST   /oauth/2026-03/token/introspect  `token` (+ client id/secret): active, hub id, scopes
    POST   /oauth/2026-03/token/revoke      `token`: a refresh token is revoked with its access
                                            tokens (200 even for an unknown token, RFC 7009)
    Every parameter goes in the form body (application/x-www-form-urlencoded); one in the query
    string is refused. Errors carry RFC 6749's `error`/`error_description` beside HubSpot's
    `status`/`message`, e.g. 400 {"error": "invalid_grant", "status": "BAD_REFRESH_TOKEN", ...}.
    /oauth/v1/...                           HubSpot's OAuth v1 API, sunset on 2027-02-16: every
                                            v1 path answers 404 (counted in `v1_requests`)

Every issued access token belongs to a portal: a SandboxState of its own (same seeded pages and
calendars, its own bookings, rate windows and faults), so two connected workspaces never see
each other's bookings. The main portal is `app.state.sandbox`; the private-app token (or none)
keeps using it exactly as before.

Not HubSpot, for tests:
    GET  /_sandbox/oauth                  token requests per grant type, portals and their bookings
    POST /_sandbox/oauth/expire           {"hub_id": n?} access tokens expire now (HubSpot-side)
    POST /_sandbox/oauth/uninstall        {"hub_id": n} revoke that portal's refresh tokens, as
                                          when a HubSpot admin uninstalls the app
"""

from __future__ import annotations

import json
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.devtools.sandbox.errors import AUTH_MESSAGE, error_body, new_correlation_id
from bot.devtools.sandbox.state import SandboxState

AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/2026-03/token"
INTROSPECT_PATH = "/oauth/2026-03/token/introspect"
REVOKE_PATH = "/oauth/2026-03/token/revoke"
V1_PREFIX = "/oauth/v1"
V1_SUNSET_MESSAGE = (
    "The OAuth v1 API was sunset on February 16, 2027. Use the 2026-03 OAuth API: "
    "POST /oauth/2026-03/token, /oauth/2026-03/token/introspect, /oauth/2026-03/token/revoke."
)
# RFC 6749 section 5.2 `error` for each of HubSpot's `status` codes.
RFC6749_ERROR: dict[str, str] = {
    "BAD_GRANT_TYPE": "unsupported_grant_type",
    "BAD_CLIENT_ID": "invalid_client",
    "BAD_CLIENT_SECRET": "invalid_client",
    "BAD_AUTH_CODE": "invalid_grant",
    "EXPIRED_AUTH_CODE": "invalid_grant",
    "BAD_REDIRECT_URI": "invalid_grant",
    "BAD_REFRESH_TOKEN": "invalid_grant",
    "BAD_REQUEST": "invalid_request",
}
# Parameters HubSpot's 2026-03 endpoints take from the body only.
BODY_ONLY = frozenset(
    {"client_id", "client_secret", "code", "refresh_token", "token", "redirect_uri", "grant_type"}
)
CONTROL_PATH = "/_sandbox/oauth"

MAIN_HUB_ID = 4_200_001
SANDBOX_APP_ID = 777_001
CODE_SECONDS = 600.0
ACCESS_PREFIX = "sbx-at-"
REFRESH_PREFIX = "sbx-rt-"
CODE_PREFIX = "sbx-code-"


def hub_domain(hub_id: int) -> str:
    return f"portal-{hub_id}.sandbox.booker.invalid"


@dataclass
class Portal:
    hub_id: int
    state: SandboxState

    @property
    def domain(self) -> str:
        return hub_domain(self.hub_id)


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    hub_id: int
    expires_at: datetime


@dataclass
class _RefreshGrant:
    client_id: str
    hub_id: int
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class _AccessGrant:
    hub_id: int
    scopes: tuple[str, ...]
    expires_at: datetime
    refresh_token: str


@dataclass(frozen=True)
class ApiAccess:
    """What an API request's bearer token means: its portal, scopes, or why it is refused."""

    state: SandboxState
    scopes: frozenset[str]
    refusal: dict[str, Any] | None = None


@dataclass
class SandboxOAuth:
    """Codes, tokens and portals of one sandbox app (`app.state.oauth`)."""

    main: SandboxState
    portals: dict[int, Portal] = field(default_factory=dict)
    token_requests: Counter[str] = field(default_factory=Counter)
    v1_requests: Counter[str] = field(default_factory=Counter)
    _codes: dict[str, _Code] = field(default_factory=dict)
    _refresh: dict[str, _RefreshGrant] = field(default_factory=dict)
    _access: dict[str, _AccessGrant] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.portals[MAIN_HUB_ID] = Portal(MAIN_HUB_ID, self.main)

    def now(self) -> datetime:
        return self.main.now()

    @property
    def access_seconds(self) -> float:
        return self.main.config.oauth_access_token_seconds

    # portals

    def new_portal(self) -> Portal:
        hub_id = max(self.portals) + 1
        state = SandboxState(self.main.config)
        # Same pages and calendars as the main portal, but ids of its own.
        state._rng = random.Random(f"{self.main.config.seed}:{hub_id}")
        portal = Portal(hub_id, state)
        self.portals[hub_id] = portal
        return portal

    # the authorization code grant

    def issue_code(
        self, *, client_id: str, redirect_uri: str, scopes: tuple[str, ...], hub_id: int
    ) -> str:
        code = CODE_PREFIX + secrets.token_urlsafe(18)
        expires_at = self.now() + timedelta(seconds=CODE_SECONDS)
        self._codes[code] = _Code(client_id, redirect_uri, scopes, hub_id, expires_at)
        return code

    def _issue_tokens(self, refresh_token: str, grant: _RefreshGrant) -> dict[str, Any]:
        access_token = ACCESS_PREFIX + secrets.token_urlsafe(24)
        expires_at = self.now() + timedelta(seconds=self.access_seconds)
        self._access[access_token] = _AccessGrant(
            grant.hub_id, grant.scopes, expires_at, refresh_token
        )
        return {
            "token_type": "bearer",
            "refresh_token": refresh_token,
            "access_token": access_token,
            "expires_in": int(self.access_seconds),
        }

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST /oauth/2026-03/token, answered as HubSpot does (400 with `error` and `status`)."""
        grant_type = form.get("grant_type", "")
        self.token_requests[grant_type or "missing"] += 1
        client_id = form.get("client_id", "")
        client_problem = self._client_problem(client_id, form.get("client_secret", ""))
        if grant_type not in ("authorization_code", "refresh_token"):
            return _token_error(
                "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"
            )
        if client_problem is not None:
            return client_problem
        if grant_type == "authorization_code":
            return self._exchange_code(form, client_id)
        return self._refresh_tokens(form, client_id)

    def _client_problem(self, client_id: str, secret: str) -> tuple[int, dict[str, Any]] | None:
        config = self.main.config
        if not client_id or (
            config.oauth_client_id is not None and client_id != config.oauth_client_id
        ):
            return _token_error("BAD_CLIENT_ID", "missing or unknown client id")
        if not secret or (
            config.oauth_client_secret is not None
            and not secrets.compare_digest(secret, config.oauth_client_secret)
        ):
            return _token_error("BAD_CLIENT_SECRET", "missing or invalid client secret")
        return None

    def _exchange_code(self, form: dict[str, str], client_id: str) -> tuple[int, dict[str, Any]]:
        code = self._codes.get(form.get("code", ""))
        if code is None or code.client_id != client_id:
            return _token_error("BAD_AUTH_CODE", "missing or unknown auth code")
        if code.redirect_uri != form.get("redirect_uri", ""):
            return _token_error(
                "BAD_REDIRECT_URI", "redirect_uri does not match the one the code was issued for"
            )
        # Single use, expired or not.
        del self._codes[form["code"]]
        if self.now() >= code.expires_at:
            return _token_error("EXPIRED_AUTH_CODE", "auth code is expired")
        refresh_token = REFRESH_PREFIX + secrets.token_urlsafe(24)
        grant = _RefreshGrant(client_id, code.hub_id, code.scopes)
        self._refresh[refresh_token] = grant
        return 200, self._issue_tokens(refresh_token, grant)

    def _refresh_tokens(self, form: dict[str, str], client_id: str) -> tuple[int, dict[str, Any]]:
        refresh_token = form.get("refresh_token", "")
        grant = self._refresh.get(refresh_token)
        if grant is None or grant.revoked or grant.client_id != client_id:
            return _token_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token")
        # HubSpot keeps the refresh token; only the access token is new.
        return 200, self._issue_tokens(refresh_token, grant)

    # revocation and introspection

    def revoke(self, refresh_token: str) -> bool:
        """Revoke a refresh token and its access tokens (or one access token); False: unknown."""
        if refresh_token in self._access:
            del self._access[refresh_token]
            return True
        grant = self._refresh.get(refresh_token)
        if grant is None or grant.revoked:
            return False
        grant.revoked = True
        for token in [t for t, a in self._access.items() if a.refresh_token == refresh_token]:
            del self._access[token]
        return True

    def uninstall(self, hub_id: int) -> int:
        tokens = [t for t, g in self._refresh.items() if g.hub_id == hub_id and not g.revoked]
        for token in tokens:
            self.revoke(token)
        return len(tokens)

    def expire_access_tokens(self, hub_id: int | None = None) -> int:
        moment = self.now() - timedelta(seconds=1)
        count = 0
        for grant in self._access.values():
            if hub_id is None or grant.hub_id == hub_id:
                grant.expires_at = min(grant.expires_at, moment)
                count += 1
        return count

    def introspect(self, token: str) -> dict[str, Any]:
        """POST /oauth/2026-03/token/introspect: RFC 7662 `active` plus HubSpot's metadata."""
        access = self._access.get(token)
        if access is not None and self.now() < access.expires_at:
            refresh = self._refresh[access.refresh_token]
            expires_in = int((access.expires_at - self.now()).total_seconds())
            return {
                **self._token_metadata(token, access.hub_id, access.scopes, refresh.client_id),
                "token_use": "access_token",
                "expires_in": expires_in,
                "token_type": "bearer",
                "signed_access_token": {
                    "appId": SANDBOX_APP_ID,
                    "expiresAt": int(access.expires_at.timestamp() * 1000),
                    "hubId": access.hub_id,
                    "installingUserId": 1,
                    "isPrivateDistribution": False,
                    "isServiceAccount": False,
                    "isUserLevel": False,
                    "scopes": ",".join(access.scopes),
                    "userId": 1,
                },
            }
        refresh_grant = self._refresh.get(token)
        if refresh_grant is not None and not refresh_grant.revoked:
            return {
                **self._token_metadata(
                    token, refresh_grant.hub_id, refresh_grant.scopes, refresh_grant.client_id
                ),
                "token_use": "refresh_token",
                "token_type": "refresh",
            }
        return {"active": False}

    def _token_metadata(
        self, token: str, hub_id: int, scopes: tuple[str, ...], client_id: str
    ) -> dict[str, Any]:
        return {
            "active": True,
            "token": token,
            "hub_id": hub_id,
            "user_id": 1,
            "client_id": client_id,
            "app_id": SANDBOX_APP_ID,
            "scopes": list(scopes),
            "is_private_distribution": False,
            "user": f"admin@{hub_domain(hub_id)}",
            "hub_domain": hub_domain(hub_id),
        }

    def client_problem(self, form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        return self._client_problem(form.get("client_id", ""), form.get("client_secret", ""))

    # the API side

    def access_for(self, token: str | None) -> ApiAccess | None:
        """None when `token` is not an OAuth token (private-app rules apply), else its access."""
        if token is None or not token.startswith(ACCESS_PREFIX):
            return None
        grant = self._access.get(token)
        if grant is None:
            return ApiAccess(
                self.main,
                frozenset(),
                error_body(401, AUTH_MESSAGE, category="INVALID_AUTHENTICATION"),
            )
        portal = self.portals[grant.hub_id]
        now = self.now()
        if now >= grant.expires_at:
            minutes = int((now - grant.expires_at).total_seconds() // 60)
            return ApiAccess(
                portal.state,
                frozenset(grant.scopes),
                error_body(
                    401,
                    f"The OAuth token used to make this call expired {minutes} minute(s) ago.",
                    category="EXPIRED_AUTHENTICATION",
                    context={"expire time": [grant.expires_at.isoformat()]},
                ),
            )
        return ApiAccess(portal.state, frozenset(grant.scopes))


def _token_error(status: str, message: str) -> tuple[int, dict[str, Any]]:
    """HubSpot's 2026-03 OAuth error: RFC 6749 fields beside HubSpot's own."""
    return 400, {
        "error": RFC6749_ERROR.get(status, "invalid_request"),
        "error_description": message,
        "status": status,
        "message": message,
        "correlationId": new_correlation_id(),
        "requestId": secrets.token_hex(16),
    }


def _oauth(request: Request) -> SandboxOAuth:
    oauth: SandboxOAuth = request.app.state.oauth
    return oauth


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


# The consent and error pages; autoescaped, so nothing from the query string becomes markup.
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.devtools.sandbox", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _page(title: str, message: str, status: int = 200) -> HTMLResponse:
    text = _TEMPLATES.get_template("oauth_page.html").render(title=title, message=message)
    return HTMLResponse(text, status_code=status)


def _redirect_uri_problem(redirect_uri: str) -> str | None:
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "redirect_uri must be an absolute http(s) URL"
    return None


async def _authorize(request: Request) -> Response:
    oauth = _oauth(request)
    query = request.query_params
    client_id = query.get("client_id", "").strip()
    redirect_uri = query.get("redirect_uri", "").strip()
    configured = oauth.main.config.oauth_client_id
    if not client_id or (configured is not None and client_id != configured):
        return _page("Authorization failed", "Unknown or missing client_id.", 400)
    problem = _redirect_uri_problem(redirect_uri)
    if problem is not None:
        return _page("Authorization failed", problem, 400)
    scopes = tuple(
        dict.fromkeys((query.get("scope", "") + " " + query.get("optional_scope", "")).split())
    )
    state = query.get("state")
    decision = query.get("decision")
    if decision is None:
        return _consent_page(request, scopes)
    if decision != "allow":
        params = {"error": "access_denied", "error_description": "The user denied access"}
        if state is not None:
            params["state"] = state
        return RedirectResponse(_with_query(redirect_uri, params), status_code=302)
    wanted = query.get("hub_id", str(MAIN_HUB_ID))
    if wanted == "new":
        hub_id = oauth.new_portal().hub_id
    elif wanted.isdigit() and int(wanted) in oauth.portals:
        hub_id = int(wanted)
    else:
        return _page("Authorization failed", "Unknown HubSpot account.", 400)
    code = oauth.issue_code(
        client_id=client_id, redirect_uri=redirect_uri, scopes=scopes, hub_id=hub_id
    )
    params = {"code": code}
    if state is not None:
        params["state"] = state
    return RedirectResponse(_with_query(redirect_uri, params), status_code=302)


def _consent_page(request: Request, scopes: tuple[str, ...]) -> Response:
    oauth = _oauth(request)
    base = [
        (k, v) for k, v in request.query_params.multi_items() if k not in ("decision", "hub_id")
    ]

    def link(**extra: str) -> str:
        return f"{request.url.path}?{urlencode([*base, *extra.items()])}"

    choices = [
        (link(decision="allow", hub_id=str(hub_id)), f"{portal.domain} ({hub_id})")
        for hub_id, portal in sorted(oauth.portals.items())
    ]
    choices.append((link(decision="allow", hub_id="new"), "a new account"))
    text = _TEMPLATES.get_template("consent.html").render(
        title="Connect an app to HubSpot (sandbox)",
        scopes=scopes,
        choices=choices,
        deny_url=link(decision="deny"),
    )
    return HTMLResponse(text)


async def _form(request: Request) -> dict[str, str]:
    raw = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}


async def _body_form(request: Request) -> dict[str, str] | Response:
    """The form body of a 2026-03 OAuth call, or the refusal HubSpot gives to anything else."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        status, body = _token_error(
            "BAD_REQUEST", "send the parameters as application/x-www-form-urlencoded"
        )
        return JSONResponse(body, status_code=status)
    in_query = sorted(BODY_ONLY & set(request.query_params))
    if in_query:
        status, body = _token_error(
            "BAD_REQUEST", f"parameters must be in the request body, not the URL: {in_query}"
        )
        return JSONResponse(body, status_code=status)
    return await _form(request)


async def _token(request: Request) -> Response:
    form = await _body_form(request)
    if isinstance(form, Response):
        return form
    status, body = _oauth(request).token(form)
    return JSONResponse(body, status_code=status)


async def _introspect(request: Request) -> Response:
    form = await _body_form(request)
    if isinstance(form, Response):
        return form
    oauth = _oauth(request)
    problem = oauth.client_problem(form)
    if problem is None and not form.get("token"):
        problem = _token_error("BAD_REQUEST", "token is required")
    if problem is not None:
        return JSONResponse(problem[1], status_code=problem[0])
    return JSONResponse(oauth.introspect(form["token"]))


async def _revoke(request: Request) -> Response:
    form = await _body_form(request)
    if isinstance(form, Response):
        return form
    oauth = _oauth(request)
    problem = oauth.client_problem(form)
    if problem is None and not form.get("token"):
        problem = _token_error("BAD_REQUEST", "token is required")
    if problem is not None:
        return JSONResponse(problem[1], status_code=problem[0])
    oauth.revoke(form["token"])
    return Response(status_code=200)


async def _v1_sunset(request: Request) -> Response:
    """Any /oauth/v1/... path: HubSpot switched the v1 OAuth API off on 2027-02-16."""
    oauth = _oauth(request)
    endpoint = request.path_params["rest"].split("/")[0]  # never the token in the path
    oauth.v1_requests[f"{request.method} {V1_PREFIX}/{endpoint}"] += 1
    return JSONResponse(
        error_body(404, V1_SUNSET_MESSAGE, category="OBJECT_NOT_FOUND"), status_code=404
    )


# control endpoints


async def _control_stats(request: Request) -> Response:
    oauth = _oauth(request)
    return JSONResponse(
        {
            "token_requests": dict(oauth.token_requests),
            "v1_requests": dict(oauth.v1_requests),
            "portals": [
                {
                    "hub_id": hub_id,
                    "hub_domain": portal.domain,
                    "book_calls": portal.state.book_calls,
                    "bookings": portal.state.bookings,
                }
                for hub_id, portal in sorted(oauth.portals.items())
            ],
        }
    )


async def _control_hub_id(request: Request) -> int | None:
    raw = await request.body()
    payload = json.loads(raw) if raw.strip() else {}
    value = payload.get("hub_id") if isinstance(payload, dict) else None
    return int(value) if value is not None else None


async def _control_expire(request: Request) -> Response:
    expired = _oauth(request).expire_access_tokens(await _control_hub_id(request))
    return JSONResponse({"expired": expired})


async def _control_uninstall(request: Request) -> Response:
    hub_id = await _control_hub_id(request)
    if hub_id is None:
        return JSONResponse({"error": "hub_id is required"}, status_code=400)
    return JSONResponse({"revoked": _oauth(request).uninstall(hub_id)})


def oauth_routes() -> list[Route]:
    return [
        Route(AUTHORIZE_PATH, _authorize, methods=["GET"]),
        Route(TOKEN_PATH, _token, methods=["POST"]),
        Route(INTROSPECT_PATH, _introspect, methods=["POST"]),
        Route(REVOKE_PATH, _revoke, methods=["POST"]),
        Route(
            f"{V1_PREFIX}/{{rest:path}}",
            _v1_sunset,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        ),
        Route(CONTROL_PATH, _control_stats, methods=["GET"]),
        Route(f"{CONTROL_PATH}/expire", _control_expire, methods=["POST"]),
        Route(f"{CONTROL_PATH}/uninstall", _control_uninstall, methods=["POST"]),
    ]
