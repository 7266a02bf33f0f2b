"""Per-workspace HubSpot connections ("Connect HubSpot"): records, token refresh, clients.

Table ``hubspot_connections`` (created by bot/migrations/versions/0002_oauth.py, owned by H5).
One row per Slack workspace (or enterprise org install); tokens are Fernet-encrypted with
bot.crypto.TokenCipher (BOOKBOT_ENCRYPTION_KEY), never stored in clear:

    enterprise_id      String(64)  NOT NULL, "" when the workspace is not in an enterprise org
    team_id            String(64)  NOT NULL, "" for an org-wide install
                       PRIMARY KEY (enterprise_id, team_id)
    hub_id             String(32)  NULL      HubSpot portal (account) id the tokens belong to
    hub_domain         Text        NULL      the portal's domain, for App Home and `bookbot check`
    scopes             Text        NOT NULL  granted scopes, space-separated
    access_token       Text        NOT NULL  encrypted
    refresh_token      Text        NOT NULL  encrypted
    expires_at         DateTime(timezone=True) NOT NULL  when the access token expires (UTC)
    status             String(16)  NOT NULL  'connected' | 'broken'
                       CHECK (status IN ('connected', 'broken'))
    broken_reason      Text        NULL      why (e.g. the refresh token was revoked)
    connected_by       String(64)  NULL      Slack user id of the person who connected it
    created_at         DateTime(timezone=True) NOT NULL
    updated_at         DateTime(timezone=True) NOT NULL
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bot.crypto import TokenCipher, UndecryptableError
from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import NotConnectedError, RefreshTokenRevoked
from bot.hubspot.limiter import RateLimiter
from bot.hubspot.oauth import HubSpotOAuth, TokenResponse
from bot.store import Store, hubspot_connections

log = logging.getLogger("bot.hubspot.connections")

# Refresh this long before HubSpot's expiry, so a token never dies between check and use.
REFRESH_MARGIN = timedelta(minutes=5)

ConnectionStatus = Literal["connected", "broken"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace, keyed as the tables key it: "" for an absent enterprise or team id."""

    enterprise_id: str
    team_id: str

    @classmethod
    def of(cls, team_id: str | None, enterprise_id: str | None = None) -> Workspace:
        return cls(enterprise_id or "", team_id or "")

    def __str__(self) -> str:
        return f"{self.enterprise_id}/{self.team_id}" if self.enterprise_id else self.team_id


@dataclass(frozen=True)
class HubSpotConnection:
    """One workspace's HubSpot connection as stored (tokens stay encrypted, out of repr)."""

    workspace: Workspace
    hub_id: str | None
    hub_domain: str | None
    scopes: tuple[str, ...]
    expires_at: datetime
    status: ConnectionStatus
    broken_reason: str | None
    connected_by: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def broken(self) -> bool:
        return self.status == "broken"


@dataclass(frozen=True)
class _Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime
    status: ConnectionStatus
    hub_id: str | None = None


def _connection_from_row(row: sa.Row[Any]) -> HubSpotConnection:
    values = row._mapping
    return HubSpotConnection(
        workspace=Workspace(values["enterprise_id"], values["team_id"]),
        hub_id=values["hub_id"],
        hub_domain=values["hub_domain"],
        scopes=tuple(values["scopes"].split()),
        expires_at=values["expires_at"],
        status=values["status"],
        broken_reason=values["broken_reason"],
        connected_by=values["connected_by"],
        created_at=values["created_at"],
        updated_at=values["updated_at"],
    )


class ConnectionStore:
    """`hubspot_connections` rows on the ledger's database, tokens encrypted with `cipher`."""

    def __init__(
        self, store: Store, cipher: TokenCipher, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._store = store
        self._cipher = cipher
        self._clock = clock

    def _where(self, workspace: Workspace) -> sa.ColumnElement[bool]:
        return sa.and_(
            hubspot_connections.c.enterprise_id == workspace.enterprise_id,
            hubspot_connections.c.team_id == workspace.team_id,
        )

    async def _row(self, workspace: Workspace) -> sa.Row[Any] | None:
        """The workspace's row, else its enterprise org's (an org-wide connection)."""
        candidates = [workspace]
        if workspace.enterprise_id and workspace.team_id:
            candidates.append(Workspace(workspace.enterprise_id, ""))
        async with self._store.translating_errors(), self._store.engine.connect() as connection:
            for candidate in candidates:
                row = (
                    await connection.execute(
                        hubspot_connections.select().where(self._where(candidate))
                    )
                ).first()
                if row is not None:
                    return row
        return None

    async def get(self, workspace: Workspace) -> HubSpotConnection | None:
        row = await self._row(workspace)
        return None if row is None else _connection_from_row(row)

    async def all(self) -> list[HubSpotConnection]:
        statement = hubspot_connections.select().order_by(
            hubspot_connections.c.enterprise_id, hubspot_connections.c.team_id
        )
        async with self._store.translating_errors(), self._store.engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return [_connection_from_row(row) for row in rows]

    async def tokens(self, workspace: Workspace) -> tuple[Workspace, _Tokens] | None:
        """The decrypted tokens and the key of the row they came from."""
        row = await self._row(workspace)
        if row is None:
            return None
        values = row._mapping
        key = Workspace(values["enterprise_id"], values["team_id"])
        return key, _Tokens(
            access_token=self._cipher.decrypt(values["access_token"]),
            refresh_token=self._cipher.decrypt(values["refresh_token"]),
            expires_at=values["expires_at"],
            status=values["status"],
            hub_id=values["hub_id"],
        )

    async def save(
        self,
        workspace: Workspace,
        tokens: TokenResponse,
        *,
        hub_id: str | None,
        hub_domain: str | None,
        scopes: tuple[str, ...],
        connected_by: str | None,
    ) -> HubSpotConnection:
        """Insert or replace the workspace's connection (a reconnect mends a broken one)."""
        now = self._clock()
        values = {
            "enterprise_id": workspace.enterprise_id,
            "team_id": workspace.team_id,
            "hub_id": hub_id,
            "hub_domain": hub_domain,
            "scopes": " ".join(scopes),
            "access_token": self._cipher.encrypt(tokens.access_token),
            "refresh_token": self._cipher.encrypt(tokens.refresh_token),
            "expires_at": tokens.expires_at(now),
            "status": "connected",
            "broken_reason": None,
            "connected_by": connected_by,
            "created_at": now,
            "updated_at": now,
        }
        insert = sqlite_dialect.insert if self._store.is_sqlite else pg_dialect.insert
        statement = insert(hubspot_connections).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[hubspot_connections.c.enterprise_id, hubspot_connections.c.team_id],
            set_={
                name: statement.excluded[name]
                for name in values
                if name not in ("enterprise_id", "team_id", "created_at")
            },
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            await connection.execute(statement)
        saved = await self.get(workspace)
        assert saved is not None
        return saved

    async def update_access_token(
        self, workspace: Workspace, access_token: str, expires_at: datetime
    ) -> None:
        statement = (
            hubspot_connections.update()
            .where(self._where(workspace), hubspot_connections.c.status == "connected")
            .values(
                access_token=self._cipher.encrypt(access_token),
                expires_at=expires_at,
                updated_at=self._clock(),
            )
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            await connection.execute(statement)

    async def mark_broken(self, workspace: Workspace, reason: str) -> None:
        statement = (
            hubspot_connections.update()
            .where(self._where(workspace))
            .values(status="broken", broken_reason=reason, updated_at=self._clock())
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            await connection.execute(statement)

    async def delete(self, workspace: Workspace) -> bool:
        statement = hubspot_connections.delete().where(self._where(workspace))
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            result = await connection.execute(statement)
        return result.rowcount > 0


class _Session:
    """One workspace's live connection: its HubSpotClient and the access token it sends.

    The token is refreshed REFRESH_MARGIN before it expires and once after HubSpot refuses it;
    one refresh at a time per workspace (in this process; HubSpot keeps the refresh token the
    same, so two workers refreshing at once both succeed). A refresh token HubSpot no longer
    accepts marks the connection broken.
    """

    def __init__(self, accounts: HubSpotAccounts, workspace: Workspace) -> None:
        self._accounts = accounts
        self.workspace = workspace
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self.client = HubSpotClient(
            base_url=accounts.base_url,
            access_token=None,
            transport=accounts.transport,
            limiter=accounts.limiter,
            limiter_key=f"workspace:{workspace}",
            token_provider=self.access_token,
            on_unauthorized=self.refused,
        )

    def _fresh(self) -> bool:
        return (
            self._token is not None
            and self._expires_at is not None
            and self._accounts.clock() < self._expires_at - self._accounts.refresh_margin
        )

    async def access_token(self) -> str:
        if self._fresh():
            assert self._token is not None
            return self._token
        async with self._lock:
            if not self._fresh():
                await self._load_or_refresh(refused=None)
            assert self._token is not None
            return self._token

    async def refused(self, token: str) -> None:
        """HubSpot answered 401 to `token`: refresh, unless someone already replaced it."""
        async with self._lock:
            if self._token is not None and self._token != token and self._fresh():
                return
            await self._load_or_refresh(refused=token)

    async def _load_or_refresh(self, *, refused: str | None) -> None:
        accounts = self._accounts
        self._token = self._expires_at = None
        try:
            found = await accounts.connections.tokens(self.workspace)
        except UndecryptableError as error:
            raise NotConnectedError(
                "the stored HubSpot tokens cannot be decrypted with BOOKBOT_ENCRYPTION_KEY"
            ) from error
        if found is None:
            raise NotConnectedError(f"workspace {self.workspace} has not connected HubSpot")
        row_key, tokens = found
        if tokens.hub_id:
            # HubSpot limits an OAuth app per portal: workspaces sharing one share its budget.
            self.client.limiter_key = f"hub:{tokens.hub_id}"
        if tokens.status == "broken":
            raise RefreshTokenRevoked(f"workspace {self.workspace}'s HubSpot connection is broken")
        # Another worker may have refreshed already: its token is in the database.
        if tokens.access_token != refused and accounts.clock() < (
            tokens.expires_at - accounts.refresh_margin
        ):
            self._token, self._expires_at = tokens.access_token, tokens.expires_at
            return
        try:
            fresh = await accounts.oauth.refresh(tokens.refresh_token)
        except RefreshTokenRevoked as error:
            log.warning("HubSpot refused workspace %s's refresh token: connection broken", row_key)
            await accounts.connections.mark_broken(row_key, "refresh token revoked")
            raise error
        expires_at = fresh.expires_at(accounts.clock())
        await accounts.connections.update_access_token(row_key, fresh.access_token, expires_at)
        accounts.refreshes += 1
        log.info("refreshed workspace %s's HubSpot access token", row_key)
        self._token, self._expires_at = fresh.access_token, expires_at


class HubSpotAccounts:
    """Which HubSpotClient serves a workspace.

    Single-token mode (`HubSpotAccounts.single(client)`): the one configured client, always.
    OAuth mode: a client per workspace whose access token is that workspace's connection.
    """

    def __init__(
        self,
        *,
        shared: HubSpotClient | None = None,
        connections: ConnectionStore | None = None,
        oauth: HubSpotOAuth | None = None,
        base_url: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        clock: Callable[[], datetime] = utc_now,
        refresh_margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        if shared is None and (connections is None or oauth is None):
            raise ValueError("HubSpotAccounts needs a shared client or connections and oauth")
        self._shared = shared
        self._connections = connections
        self._oauth = oauth
        self.base_url = base_url
        self.transport = transport
        self.limiter = limiter
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.refreshes = 0
        self._sessions: dict[Workspace, _Session] = {}

    @classmethod
    def single(cls, client: HubSpotClient) -> HubSpotAccounts:
        return cls(shared=client)

    @property
    def per_workspace(self) -> bool:
        return self._shared is None

    @property
    def connections(self) -> ConnectionStore:
        assert self._connections is not None, "single-token mode has no connections"
        return self._connections

    @property
    def oauth(self) -> HubSpotOAuth:
        assert self._oauth is not None, "single-token mode has no OAuth app"
        return self._oauth

    def client(self, team_id: str | None, enterprise_id: str | None = None) -> HubSpotClient:
        """The workspace's client at once (no I/O): its token is looked up on first use."""
        if self._shared is not None:
            return self._shared
        workspace = Workspace.of(team_id, enterprise_id)
        session = self._sessions.get(workspace)
        if session is None:
            session = self._sessions[workspace] = _Session(self, workspace)
        return session.client

    async def client_for(
        self, team_id: str | None, enterprise_id: str | None = None
    ) -> HubSpotClient:
        """The workspace's client, its access token valid (refreshed if due).

        Raises NotConnectedError when the workspace has no connection, RefreshTokenRevoked
        when it is broken.
        """
        client = self.client(team_id, enterprise_id)
        if self._shared is None:
            await self._sessions[Workspace.of(team_id, enterprise_id)].access_token()
        return client

    async def connection(
        self, team_id: str | None, enterprise_id: str | None = None
    ) -> HubSpotConnection | None:
        if self._shared is not None:
            return None
        return await self.connections.get(Workspace.of(team_id, enterprise_id))

    def forget(self, workspace: Workspace) -> None:
        """Drop the cached token after the stored connection changed (connected anew)."""
        session = self._sessions.get(workspace)
        if session is not None:
            session._token = session._expires_at = None

    async def aclose(self) -> None:
        for session in self._sessions.values():
            await session.client.aclose()
        self._sessions.clear()
        if self._oauth is not None:
            await self._oauth.aclose()
