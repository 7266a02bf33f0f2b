"""The "Connect HubSpot" browser flow: a signed link per person, HubSpot's consent, the callback.

    App Home / modal button -> GET /hubspot/connect?t=<signed link: workspace + person, 1 day>
      -> 302 to HubSpot's authorize page with a signed `state` (workspace + person, 10 minutes)
    HubSpot -> GET /hubspot/oauth/callback?code&state (or error=access_denied&state)
      -> state checked (signature, expiry, not used before) -> code exchanged at
         POST /oauth/2026-03/token -> tokens stored encrypted -> "HubSpot connected" page

Links and states are HMAC-SHA256 signed with a key derived from BOOKBOT_ENCRYPTION_KEY (its first
key). Nothing from the URL is echoed unescaped: pages come from bot.web.render_page.

Once the connection is stored, the person's App Home is republished (`on_connected`, wired by
bot/server.py to home_republisher) so it stops offering "Connect HubSpot"; best effort, bounded
in time: the page says "connected" whatever Slack answers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import httpx
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.config import Settings
from bot.crypto import EncryptionKeyError, TokenCipher, UndecryptableError
from bot.hubspot.connections import ConnectionStore, HubSpotAccounts, Workspace
from bot.hubspot.errors import HubSpotError, OAuthError
from bot.hubspot.limiter import RateLimiter
from bot.hubspot.oauth import DEFAULT_AUTHORIZE_URL, HubSpotOAuth, authorize_url
from bot.installations import InstallationStore, OAuthStateStore
from bot.store import Store, StoreError

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.blocks import HubSpotPrompt
    from bot.flow import RequestMeta
    from bot.services import Services

log = logging.getLogger("bot.hubspot.connect")

CONNECT_PATH = "/hubspot/connect"
CALLBACK_PATH = "/hubspot/oauth/callback"
LINK_LIFETIME = timedelta(days=1)
STATE_LIFETIME = timedelta(minutes=10)
# Set by GET /hubspot/connect, checked at the callback: the consent must finish in the browser
# that opened the link, so a callback URL (a state and someone's code) sent to another browser
# connects nothing.
CONNECT_COOKIE = "bookbot_hubspot_connect"
# Republishing App Home after a connection holds the "connected" page at most this long.
REPUBLISH_SECONDS = 5.0
# users.info for the person's locale and time zone, within REPUBLISH_SECONDS.
PROFILE_SECONDS = 1.2

Purpose = Literal["link", "state"]


class BadSignedValue(Exception):
    """A link or state that is not ours, was altered, or has expired (`reason`)."""

    def __init__(self, reason: Literal["invalid", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ConnectRequest:
    """Who asked to connect HubSpot, for which workspace; carried by the link and the state."""

    workspace: Workspace
    user_id: str
    nonce: str
    expires_at: datetime


class Signer:
    """Signed, expiring tokens (itsdangerous, URL-safe; one salt per purpose, so a link is never
    a valid state). The expiry rides in the signed payload, checked against `clock`."""

    def __init__(self, secret: str, *, clock: Callable[[], datetime]) -> None:
        self._serializers = {
            purpose: URLSafeSerializer(secret, salt=f"booker/hubspot-connect/{purpose}")
            for purpose in ("link", "state")
        }
        self._clock = clock

    def sign(
        self,
        purpose: Purpose,
        workspace: Workspace,
        user_id: str,
        lifetime: timedelta,
        *,
        nonce: str | None = None,
    ) -> str:
        expires = int((self._clock() + lifetime).timestamp())
        body = {
            "e": workspace.enterprise_id,
            "t": workspace.team_id,
            "u": user_id,
            "x": expires,
            "n": nonce or secrets.token_urlsafe(12),
        }
        return str(self._serializers[purpose].dumps(body))

    def verify(self, purpose: Purpose, token: str | None) -> ConnectRequest:
        if not token:
            raise BadSignedValue("invalid")
        try:
            body = self._serializers[purpose].loads(token)
            request = ConnectRequest(
                workspace=Workspace(str(body["e"]), str(body["t"])),
                user_id=str(body["u"]),
                nonce=str(body["n"]),
                expires_at=datetime.fromtimestamp(int(body["x"]), tz=UTC),
            )
        except (BadSignature, ValueError, KeyError, TypeError, OverflowError):
            raise BadSignedValue("invalid") from None
        if self._clock() >= request.expires_at:
            raise BadSignedValue("expired")
        return request


@dataclass
class HubSpotConnect:
    """Links, redirects and the callback of Connect HubSpot (OAuth mode only)."""

    accounts: HubSpotAccounts
    signer: Signer
    public_url: str
    authorize_base: str
    client_id: str
    scopes: tuple[str, ...]
    clock: Callable[[], datetime]
    # Single use of each state, across workers: the `oauth_states` table (bot/installations.py).
    states: OAuthStateStore
    # `--sandbox`: the in-process sandbox, whose pages are served under SANDBOX_MOUNT.
    sandbox_app: Any = None
    # Called with (workspace, Slack user id) once that person's connection is stored: bot/server.py
    # sets it to republish their App Home (home_republisher). Failures are logged, never shown.
    on_connected: Callable[[Workspace, str], Awaitable[None]] | None = None

    @property
    def redirect_uri(self) -> str:
        return self.public_url + CALLBACK_PATH

    def link(self, team_id: str | None, enterprise_id: str | None, user_id: str) -> str:
        """The person's "Connect HubSpot" address (for a Slack url button)."""
        token = self.signer.sign(
            "link", Workspace.of(team_id, enterprise_id), user_id, LINK_LIFETIME
        )
        return f"{self.public_url}{CONNECT_PATH}?t={token}"

    # routes

    async def start(self, request: Request) -> Response:
        language = _language(request)
        try:
            asked = self.signer.verify("link", request.query_params.get("t"))
        except BadSignedValue as bad:
            return _page("hubspot_error", language, 400, reason=bad.reason)
        try:
            # Each link works once: a link that reached someone else is no use after that.
            first = await self.states.async_use_once(f"link:{asked.nonce}", keep_for=LINK_LIFETIME)
            nonce = await self.states.async_issue() if first else ""
        except StoreError as error:
            log.error("could not record a HubSpot connect state: %s", error)
            return _page("hubspot_error", language, 503, reason="storage")
        if not first:
            return _page("hubspot_error", language, 400, reason="expired")
        state = self.signer.sign(
            "state", asked.workspace, asked.user_id, STATE_LIFETIME, nonce=nonce
        )
        target = authorize_url(
            self.authorize_base,
            client_id=self.client_id,
            redirect_uri=self.redirect_uri,
            scopes=self.scopes,
            state=state,
        )
        response = RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
        response.set_cookie(
            CONNECT_COOKIE,
            nonce,
            max_age=int(STATE_LIFETIME.total_seconds()),
            path="/hubspot",
            secure=self.public_url.startswith("https://"),
            httponly=True,
            samesite="lax",
        )
        return response

    async def callback(self, request: Request) -> Response:
        language = _language(request)
        query = request.query_params
        try:
            asked = self.signer.verify("state", query.get("state"))
        except BadSignedValue as bad:
            log.info("hubspot connect callback with a %s state", bad.reason)
            return _page("hubspot_error", language, 400, reason=bad.reason)
        if not hmac.compare_digest(request.cookies.get(CONNECT_COOKIE, ""), asked.nonce):
            log.warning("hubspot connect callback in a browser that did not start it")
            return _page("hubspot_error", language, 400, reason="browser")
        try:
            fresh = await self.states.async_consume(asked.nonce)
        except StoreError as error:
            log.error("could not check a HubSpot connect state: %s", error)
            return _page("hubspot_error", language, 503, reason="storage")
        if not fresh:
            return _page("hubspot_error", language, 400, reason="expired")
        again = self.link(asked.workspace.team_id, asked.workspace.enterprise_id, asked.user_id)
        if query.get("error"):
            log.info("hubspot connect declined for workspace %s", asked.workspace)
            return _page("hubspot_cancelled", language, 200, link_url=again)
        code = query.get("code")
        if not code:
            return _page("hubspot_error", language, 400, reason="code", link_url=again)
        return await self._connect(asked, code, language, again)

    async def _connect(
        self, asked: ConnectRequest, code: str, language: str, again: str
    ) -> Response:
        oauth = self.accounts.oauth
        try:
            tokens = await oauth.exchange_code(code, redirect_uri=self.redirect_uri)
        except OAuthError as error:
            log.warning("hubspot refused the connect code: %s", error.oauth_status)
            return _page("hubspot_error", language, 400, reason="code", link_url=again)
        except HubSpotError as error:
            log.warning("hubspot token exchange failed: %s", type(error).__name__)
            return _page("hubspot_error", language, 502, reason="generic", link_url=again)
        hub_id: str | None = None
        hub_domain: str | None = None
        scopes: tuple[str, ...] = self.scopes
        try:
            info = await oauth.access_token_info(tokens.access_token)
            hub_id, hub_domain, scopes = str(info.hub_id), info.hub_domain, tuple(info.scopes)
        except HubSpotError as error:
            # The tokens work without it; the portal's name is only shown to people.
            log.warning("could not read the new HubSpot token's portal: %s", type(error).__name__)
        try:
            await self.accounts.connections.save(
                asked.workspace,
                tokens,
                hub_id=hub_id,
                hub_domain=hub_domain,
                scopes=scopes,
                connected_by=asked.user_id,
            )
        except StoreError as error:
            log.error(
                "could not store workspace %s's HubSpot connection: %s", asked.workspace, error
            )
            return _page("hubspot_error", language, 503, reason="storage", link_url=again)
        self.accounts.forget(asked.workspace)
        log.info("workspace %s connected HubSpot portal %s", asked.workspace, hub_id)
        await self._tell_connected(asked)
        return _page("hubspot_connected", language, 200, hub_domain=hub_domain or hub_id or "")

    async def _tell_connected(self, asked: ConnectRequest) -> None:
        """Best effort: the connection is stored whatever happens here."""
        if self.on_connected is None:
            return
        try:
            await asyncio.wait_for(
                self.on_connected(asked.workspace, asked.user_id), REPUBLISH_SECONDS
            )
        except Exception as error:  # nothing here may break the result page
            log.warning(
                "could not refresh App Home in workspace %s after Connect HubSpot: %s",
                asked.workspace,
                _slack_reason(error),
            )


async def disconnect(
    connect: HubSpotConnect, team_id: str | None, enterprise_id: str | None
) -> bool:
    """The workspace removed Booker: its refresh token is revoked at HubSpot (best effort) and
    its connection deleted. False when it had none."""
    workspace = Workspace.of(team_id, enterprise_id)
    accounts = connect.accounts
    try:
        found = await accounts.connections.tokens(workspace)
    except UndecryptableError:
        found = None
    if found is not None:
        key, tokens = found
        if key != workspace:
            return False  # the org's connection serves other workspaces too
        try:
            await accounts.oauth.revoke(tokens.refresh_token)
        except HubSpotError as error:
            log.warning("could not revoke workspace %s's HubSpot token: %s", workspace, error)
    deleted = await accounts.connections.delete(workspace)
    accounts.forget(workspace)
    if deleted:
        log.info("workspace %s removed Booker: its HubSpot connection is deleted", workspace)
    return deleted


def _language(request: Request) -> str:
    from bot.web import language_from_accept_language

    return language_from_accept_language(request.headers.get("accept-language"))


def _page(kind: str, language: str, status: int, **params: Any) -> Response:
    from bot.web import PAGE_HEADERS, render_page

    return HTMLResponse(
        render_page(kind, language, **params), status_code=status, headers=dict(PAGE_HEADERS)
    )


# --- wiring (bot/services.py, bot/server.py) -------------------------------------------------


def home_republisher(
    settings: Settings, services: Services, client: AsyncWebClient
) -> Callable[[Workspace, str], Awaitable[None]]:
    """For HubSpotConnect.on_connected: publish the person's App Home again, built as opening it
    builds it (BookingFlow.home_view), with the workspace's bot token: SLACK_BOT_TOKEN in
    single-token mode, the workspace's installation's in Slack OAuth mode."""
    from bot.oauth_settings import cipher_from_settings

    installations = (
        InstallationStore(services.store, cipher_from_settings(settings), clock=services.clock)
        if settings.oauth_mode
        else None
    )

    async def bot_token(workspace: Workspace) -> str | None:
        if installations is None:
            token = settings.slack_bot_token
            return token.get_secret_value() if token is not None else None
        enterprise_id, team_id = workspace.enterprise_id or None, workspace.team_id or None
        bot = await installations.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id is not None:  # an org-wide install
            bot = await installations.async_find_bot(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return bot.bot_token if bot is not None else None

    async def republish(workspace: Workspace, user_id: str) -> None:
        from bot.flow import RequestMeta

        token = await bot_token(workspace)
        if token is None:
            log.info("no Slack token for workspace %s: App Home refreshes when opened", workspace)
            return
        tz, locale = await _profile(client, token, user_id)
        meta = RequestMeta(
            team_id=workspace.team_id,
            user_id=user_id,
            channel_id=None,
            thread_ts=None,
            tz=tz,
            locale=locale,
        )
        flow = services.for_workspace(workspace.team_id, workspace.enterprise_id).flow
        view = await flow.home_view(meta)
        await client.views_publish(token=token, user_id=user_id, view=view)

    return republish


async def _profile(
    client: AsyncWebClient, token: str, user_id: str
) -> tuple[str | None, str | None]:
    """(time zone, locale) from users.info, or (None, None): App Home then uses the defaults."""
    from slack_sdk.errors import SlackApiError

    try:
        answer = await asyncio.wait_for(
            client.users_info(token=token, user=user_id, include_locale=True), PROFILE_SECONDS
        )
    except (TimeoutError, SlackApiError) as error:
        log.info("users.info unavailable (%s); App Home in default language", _slack_reason(error))
        return None, None
    user = answer.get("user") or {}
    return user.get("tz"), user.get("locale")


def _slack_reason(error: BaseException) -> str:
    """What went wrong, without the request (tokens) or the answer's body."""
    from slack_sdk.errors import SlackApiError

    code = error.response.get("error") if isinstance(error, SlackApiError) else None
    return f"{type(error).__name__} ({code})" if isinstance(code, str) else type(error).__name__


def prompt_source(
    connect: HubSpotConnect, workspace: Workspace
) -> Callable[[RequestMeta], Awaitable[HubSpotPrompt | None]]:
    """For BookingFlow.hubspot_prompt: the connect button while `workspace` cannot book."""
    from bot.blocks import HubSpotPrompt

    async def prompt(meta: RequestMeta) -> HubSpotPrompt | None:
        connection = await connect.accounts.connections.get(workspace)
        if connection is not None and not connection.broken:
            return None
        url = connect.link(workspace.team_id, workspace.enterprise_id, meta.user_id)
        return HubSpotPrompt(url=url, broken=connection is not None)

    return prompt


def hubspot_oauth_problems(settings: Settings) -> list[str]:
    """What keeps Connect HubSpot (HUBSPOT_CLIENT_ID/_SECRET set) from starting, one line each."""
    if not (settings.hubspot_client_id or settings.hubspot_client_secret):
        return []
    problems = []
    if not settings.hubspot_oauth_mode:
        problems.append(
            "HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET go together: set both (your HubSpot "
            "app's Auth tab) or neither"
        )
        return problems
    if settings.socket_mode:
        problems.append(
            "Connect HubSpot (HUBSPOT_CLIENT_ID) needs HTTP mode: its pages are served at "
            "BOOKBOT_PUBLIC_URL, which Socket Mode (SLACK_APP_TOKEN) does not listen on"
        )
    if settings.public_url is None:
        problems.append(
            "BOOKBOT_PUBLIC_URL is not set: Connect HubSpot needs the address browsers reach "
            "Booker at, for the redirect URL /hubspot/oauth/callback"
        )
    if settings.encryption_key is None:
        problems.append(
            "BOOKBOT_ENCRYPTION_KEY is not set: Connect HubSpot keeps each workspace's HubSpot "
            "tokens encrypted with it"
        )
    else:
        try:
            TokenCipher.from_setting(settings.encryption_key.get_secret_value())
        except EncryptionKeyError as error:
            problems.append(str(error))
    return problems


def build_hubspot_oauth(
    settings: Settings,
    store: Store,
    *,
    base_url: str,
    transport: httpx.AsyncBaseTransport | None,
    limiter: RateLimiter | None,
    clock: Callable[[], datetime],
) -> tuple[HubSpotAccounts, HubSpotConnect]:
    """Per-workspace HubSpot accounts and the connect flow, from settings in OAuth mode."""
    problems = hubspot_oauth_problems(settings)
    if problems:
        raise EncryptionKeyError("; ".join(problems))
    assert settings.hubspot_client_id and settings.hubspot_client_secret is not None
    assert settings.encryption_key is not None and settings.public_url is not None
    key_setting = settings.encryption_key.get_secret_value()
    cipher = TokenCipher.from_setting(key_setting)
    oauth = HubSpotOAuth(
        base_url=base_url,
        client_id=settings.hubspot_client_id,
        client_secret=settings.hubspot_client_secret.get_secret_value(),
        transport=transport,
    )
    accounts = HubSpotAccounts(
        connections=ConnectionStore(store, cipher, clock=clock),
        oauth=oauth,
        base_url=base_url,
        transport=transport,
        limiter=limiter,
        clock=clock,
    )
    first_key = next(part.strip() for part in key_setting.split(",") if part.strip())
    authorize_base = settings.hubspot_authorize_url or DEFAULT_AUTHORIZE_URL
    sandbox_app = None
    if settings.hubspot_authorize_url is None and isinstance(transport, httpx.ASGITransport):
        # The built-in sandbox stands in for HubSpot: its consent page is served by Booker.
        sandbox_app = transport.app
        authorize_base = f"{settings.public_url}{SANDBOX_MOUNT}/oauth/authorize"
    connect = HubSpotConnect(
        accounts=accounts,
        signer=Signer(first_key, clock=clock),
        public_url=settings.public_url,
        authorize_base=authorize_base,
        client_id=settings.hubspot_client_id,
        scopes=settings.hubspot_oauth_scopes,
        clock=clock,
        states=OAuthStateStore(
            store, expiration_seconds=int(STATE_LIFETIME.total_seconds()), clock=clock
        ),
        sandbox_app=sandbox_app,
    )
    return accounts, connect


async def connection_report(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[list[str], list[str]]:
    """`bookbot check` in Connect HubSpot mode: (lines to print, problems).

    One line per workspace: its portal and a live listing of its meeting pages (refreshing its
    token if due), or that it is broken and must be reconnected from App Home.
    """
    problems = hubspot_oauth_problems(settings)
    header = "HubSpot               Connect HubSpot per workspace"
    if problems:
        return [f"{header}: settings incomplete"], problems
    try:
        store = await Store.open(settings.database_url, migrate=False)
    except StoreError as error:
        return [f"{header}: FAILED"], [f"HubSpot connections: {error}"]
    accounts, _ = build_hubspot_oauth(
        settings,
        store,
        base_url=settings.hubspot_base_url,
        transport=transport,
        limiter=None,
        clock=lambda: datetime.now(UTC),
    )
    try:
        connections = await accounts.connections.all()
        lines = [f"{header}, {len(connections)} workspace(s) connected"]
        for connection in connections:
            workspace = connection.workspace
            portal = f"portal {connection.hub_domain or '?'} ({connection.hub_id or '?'})"
            if connection.broken:
                lines.append(
                    f"  {workspace}  BROKEN, {portal}: {connection.broken_reason or 'revoked'}; "
                    "someone in that workspace must press Reconnect HubSpot in App Home"
                )
                continue
            try:
                client = await accounts.client_for(workspace.team_id, workspace.enterprise_id)
                pages = await client.list_meeting_links()
            except HubSpotError as error:
                lines.append(f"  {workspace}  FAILED, {portal}")
                problems.append(f"HubSpot ({workspace}): {error.user_message}")
                continue
            lines.append(f"  {workspace}  ok, {portal}, {len(pages)} meeting pages")
    finally:
        await accounts.aclose()
        await store.close()
    return lines, problems


# --- offline: the in-process sandbox's consent page at Booker's own address ---------------------

SANDBOX_MOUNT = "/_hubspot_sandbox"


def sandbox_pages(services: Callable[[], Any]) -> ASGIApp:
    """Mounted at SANDBOX_MOUNT: with `--sandbox` and Connect HubSpot, a browser reaches the
    built-in sandbox's authorize page here (the sandbox has no address of its own). 404
    otherwise."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        current = services()
        connect = getattr(current, "hubspot_connect", None)
        target = getattr(connect, "sandbox_app", None)
        if target is None or not _public_consent_request(scope, connect):
            # Only the consent page is public: the sandbox's API, its control endpoints
            # (/_sandbox/...: reset, faults, stats) and any other redirect stay off this port.
            response = HTMLResponse("Not Found", status_code=404)
            await response(scope, receive, send)
            return
        await target(scope, receive, send)

    return app


def _public_consent_request(scope: Scope, connect: Any) -> bool:
    """A GET of the sandbox's consent page that sends the browser back to Booker's own callback
    (the one registered redirect URI), never anywhere else."""
    from urllib.parse import parse_qs

    from bot.devtools.sandbox.oauth import AUTHORIZE_PATH

    path = str(scope.get("path", ""))
    path = path[len(SANDBOX_MOUNT) :] if path.startswith(SANDBOX_MOUNT) else path
    if scope.get("method") != "GET" or path != AUTHORIZE_PATH:
        return False
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    return query.get("redirect_uri") == [connect.redirect_uri]
