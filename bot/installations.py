"""Slack installs per workspace (OAuth mode): installation and OAuth state stores on our database.

Both implement slack_sdk's async store interfaces, so Bolt's OAuth flow, its authorize step and its
token rotation use them directly. One row per workspace (or per enterprise org for an org-wide
install) in ``slack_installations``; a reinstall replaces it. Bot tokens and refresh tokens are
Fernet-encrypted with BOOKBOT_ENCRYPTION_KEY (bot/crypto.py) before they reach the database.

Booker asks for bot scopes only, so no user tokens are kept: the installer's user id is recorded,
and the user-token parts of the interface find or delete nothing.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, TimestampSigner
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bot.crypto import TokenCipher, UndecryptableError
from bot.oauth_settings import cipher_from_settings, oauth_problems
from bot.store import (
    Store,
    StoreError,
    StoreUnavailable,
    hubspot_connections,
    oauth_states,
    slack_installations,
)

log = logging.getLogger("bot.installations")

# Slack's own default: an install link is good for ten minutes.
STATE_EXPIRATION_SECONDS = 600


def utc_now() -> datetime:
    return datetime.now(UTC)


def workspace_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> tuple[str, str]:
    """The row key: an org-wide install is found by its enterprise id alone."""
    return (enterprise_id or "", "" if is_enterprise_install else (team_id or ""))


def _aware(epoch: float | int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(float(epoch), tz=UTC)


def _scopes_text(scopes: Any) -> str:
    if isinstance(scopes, str):
        return scopes
    return ",".join(str(scope) for scope in scopes or ())


@dataclass(frozen=True)
class WorkspaceSummary:
    """What `bookbot check` shows per installed workspace (no tokens)."""

    enterprise_id: str | None
    team_id: str | None
    team_name: str | None
    is_enterprise_install: bool
    installer_user_id: str
    installed_at: datetime
    bot_token_expires_at: datetime | None
    token_readable: bool

    @property
    def label(self) -> str:
        if self.is_enterprise_install:
            return f"org {self.enterprise_id}"
        name = f" ({self.team_name})" if self.team_name else ""
        return f"{self.team_id}{name}"


class InstallationStore(AsyncInstallationStore):
    """slack_sdk's AsyncInstallationStore on the ledger's database, tokens encrypted."""

    def __init__(
        self,
        store: Store,
        cipher: TokenCipher,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._cipher = cipher
        self._clock = clock
        self._logger = log

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # ---- writing

    async def async_save(self, installation: Installation) -> None:
        enterprise_id, team_id = workspace_key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        now = self._clock()
        values: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "is_enterprise_install": bool(installation.is_enterprise_install),
            "app_id": installation.app_id,
            "enterprise_name": installation.enterprise_name,
            "enterprise_url": installation.enterprise_url,
            "team_name": installation.team_name,
            "bot_token": self._encrypt(installation.bot_token),
            "bot_refresh_token": self._encrypt(installation.bot_refresh_token),
            "bot_token_expires_at": _aware(installation.bot_token_expires_at),
            "bot_id": installation.bot_id,
            "bot_user_id": installation.bot_user_id,
            "bot_scopes": _scopes_text(installation.bot_scopes),
            "installer_user_id": installation.user_id or "",
            "token_type": installation.token_type,
            "installed_at": _aware(installation.installed_at) or now,
            "updated_at": now,
        }
        await self._upsert(values)

    async def async_save_bot(self, bot: Bot) -> None:
        """A rotated bot token (Bolt's find_bot path): keep the row, replace the bot fields."""
        enterprise_id, team_id = workspace_key(
            bot.enterprise_id, bot.team_id, bot.is_enterprise_install
        )
        now = self._clock()
        values: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "is_enterprise_install": bool(bot.is_enterprise_install),
            "app_id": bot.app_id,
            "enterprise_name": bot.enterprise_name,
            "team_name": bot.team_name,
            "bot_token": self._encrypt(bot.bot_token),
            "bot_refresh_token": self._encrypt(bot.bot_refresh_token),
            "bot_token_expires_at": _aware(bot.bot_token_expires_at),
            "bot_id": bot.bot_id,
            "bot_user_id": bot.bot_user_id,
            "bot_scopes": _scopes_text(bot.bot_scopes),
            "installer_user_id": "",
            "installed_at": _aware(bot.installed_at) or now,
            "updated_at": now,
        }
        # The installer recorded at install time stays.
        await self._upsert(values, keep=("installer_user_id",))

    async def _upsert(self, values: dict[str, Any], keep: tuple[str, ...] = ()) -> None:
        insert = sqlite_dialect.insert if self._store.is_sqlite else pg_dialect.insert
        statement = insert(slack_installations).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[slack_installations.c.enterprise_id, slack_installations.c.team_id],
            set_={
                name: statement.excluded[name]
                for name in values
                if name not in ("enterprise_id", "team_id", *keep)
            },
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            await connection.execute(statement)

    # ---- reading

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        row = await self._row(enterprise_id, team_id, is_enterprise_install)
        if row is None:
            return None
        if user_id is not None and user_id != row["installer_user_id"]:
            return None  # no user tokens are kept: nothing belongs to another person
        bot_token, refresh_token = self._tokens_of(row)
        if bot_token is None:
            return None
        return Installation(
            app_id=row["app_id"],
            enterprise_id=row["enterprise_id"] or None,
            enterprise_name=row["enterprise_name"],
            enterprise_url=row["enterprise_url"],
            team_id=row["team_id"] or None,
            team_name=row["team_name"],
            bot_token=bot_token,
            bot_id=row["bot_id"],
            bot_user_id=row["bot_user_id"],
            bot_scopes=row["bot_scopes"] or "",
            bot_refresh_token=refresh_token,
            bot_token_expires_at=_epoch(row["bot_token_expires_at"]),
            user_id=row["installer_user_id"],
            is_enterprise_install=row["is_enterprise_install"],
            token_type=row["token_type"],
            installed_at=row["installed_at"].timestamp(),
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return installation.to_bot() if installation is not None else None

    async def _row(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None,
    ) -> sa.RowMapping | None:
        key = workspace_key(enterprise_id, team_id, is_enterprise_install)
        statement = slack_installations.select().where(
            slack_installations.c.enterprise_id == key[0],
            slack_installations.c.team_id == key[1],
        )
        async with self._store.translating_errors(), self._store.engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        return None if row is None else row._mapping

    def _tokens_of(self, row: sa.RowMapping) -> tuple[str | None, str | None]:
        try:
            return self._decrypt(row["bot_token"]), self._decrypt(row["bot_refresh_token"])
        except UndecryptableError:
            # The workspace must reinstall (or the old key go back into BOOKBOT_ENCRYPTION_KEY).
            log.error(
                "the stored Slack token of workspace %s cannot be decrypted with "
                "BOOKBOT_ENCRYPTION_KEY; put the old key back (after the new one) or reinstall",
                row["team_id"] or row["enterprise_id"],
            )
            return None, None

    # ---- deleting (uninstall, revoked tokens)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id)

    async def async_delete_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> None:
        if user_id is not None:
            return  # a person's user token: none is kept, and the bot stays installed
        await self._delete(enterprise_id, team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id)

    async def forget_workspace(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was uninstalled: delete the workspace's Slack tokens and its HubSpot
        connection's tokens too (they were granted for Booker in that workspace)."""
        key = workspace_key(enterprise_id, team_id, is_enterprise_install=False)
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            for table in (slack_installations, hubspot_connections):
                await connection.execute(
                    table.delete().where(table.c.enterprise_id == key[0], table.c.team_id == key[1])
                )
        log.info(
            "Booker was uninstalled from workspace %s; its tokens are deleted", key[1] or key[0]
        )

    async def _delete(self, enterprise_id: str | None, team_id: str | None) -> None:
        # Slack names an org-wide install by its enterprise id with no team.
        key = workspace_key(enterprise_id, team_id, is_enterprise_install=False)
        statement = slack_installations.delete().where(
            slack_installations.c.enterprise_id == key[0],
            slack_installations.c.team_id == key[1],
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            result = await connection.execute(statement)
        if result.rowcount:
            log.info("removed the Slack tokens of workspace %s", key[1] or key[0])

    # ---- for `bookbot check`

    async def workspaces(self) -> list[WorkspaceSummary]:
        statement = slack_installations.select().order_by(
            slack_installations.c.enterprise_id, slack_installations.c.team_id
        )
        async with self._store.translating_errors(), self._store.engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        summaries = []
        for row in rows:
            values = row._mapping
            readable = self._tokens_of(values)[0] is not None
            summaries.append(
                WorkspaceSummary(
                    enterprise_id=values["enterprise_id"] or None,
                    team_id=values["team_id"] or None,
                    team_name=values["team_name"],
                    is_enterprise_install=values["is_enterprise_install"],
                    installer_user_id=values["installer_user_id"],
                    installed_at=values["installed_at"],
                    bot_token_expires_at=values["bot_token_expires_at"],
                    token_readable=readable,
                )
            )
        return summaries

    # ---- encryption

    def _encrypt(self, token: str | None) -> str | None:
        return None if token is None else self._cipher.encrypt(token)

    def _decrypt(self, stored: str | None) -> str | None:
        return None if stored is None else self._cipher.decrypt(stored)


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


class OAuthStateStore(AsyncOAuthStateStore):
    """Install-link states: random, expiring (10 minutes), good for one use only."""

    def __init__(
        self,
        store: Store,
        *,
        expiration_seconds: int = STATE_EXPIRATION_SECONDS,
        clock: Callable[[], datetime] = utc_now,
        signing_key: bytes | None = None,
    ) -> None:
        self._store = store
        self._expiration = timedelta(seconds=expiration_seconds)
        self._clock = clock
        # With a key, issuing writes nothing: the state is signed (with its time), and only a
        # state that comes back signed and unexpired is recorded, as used. So an anonymous
        # GET /slack/install, however often, adds no row.
        self._signer: TimestampSigner | None = None
        if signing_key is not None:
            self._signer = _ClockedSigner(signing_key, salt="bookbot.slack-install-state")
            self._signer.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        if self._signer is not None:
            return self._signer.sign(secrets.token_urlsafe(24)).decode("ascii")
        state = secrets.token_urlsafe(32)
        now = self._clock()
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            # Old states are of no use to anyone; keep the table small.
            await connection.execute(
                oauth_states.delete().where(oauth_states.c.expires_at < now - timedelta(days=1))
            )
            await connection.execute(
                oauth_states.insert().values(
                    state=state, expires_at=now + self._expiration, consumed=False, created_at=now
                )
            )
        return state

    async def async_consume(self, state: str) -> bool:
        """True exactly once for a state this store issued that has not expired."""
        if not state or len(state) > 128:
            return False
        if self._signer is not None:
            return await self._consume_signed(state)
        statement = (
            oauth_states.update()
            .where(
                oauth_states.c.state == state,
                oauth_states.c.consumed.is_(False),
                oauth_states.c.expires_at > self._clock(),
            )
            .values(consumed=True)
        )
        async with self._store.translating_errors(), self._store.writer.begin() as connection:
            result = await connection.execute(statement)
        return bool(result.rowcount == 1)

    async def _consume_signed(self, state: str) -> bool:
        assert self._signer is not None
        try:
            self._signer.unsign(state, max_age=int(self._expiration.total_seconds()))
        except BadSignature:
            return False
        return await self.async_use_once(state, keep_for=self._expiration)

    async def async_use_once(self, token: str, *, keep_for: timedelta) -> bool:
        """True the first time `token` (<= 128 characters) is used, False ever after (for
        `keep_for`: it must outlive whatever makes `token` valid)."""
        now = self._clock()
        try:
            async with self._store.translating_errors(), self._store.writer.begin() as connection:
                await connection.execute(
                    oauth_states.delete().where(oauth_states.c.expires_at < now)
                )
                # The primary key makes a second use of the same token fail here.
                await connection.execute(
                    oauth_states.insert().values(
                        state=token, expires_at=now + keep_for, consumed=True, created_at=now
                    )
                )
        except StoreUnavailable:
            raise
        except StoreError:  # already there: this state was used before
            return False
        return True


class _ClockedSigner(TimestampSigner):
    """itsdangerous' timestamped signer on the store's clock (tests move it)."""

    clock: Callable[[], datetime] = utc_now

    def get_timestamp(self) -> int:
        return int(self.clock().timestamp())


__all__ = [
    "STATE_EXPIRATION_SECONDS",
    "InstallationStore",
    "OAuthStateStore",
    "WorkspaceSummary",
    "cipher_from_settings",
    "oauth_problems",
    "workspace_key",
]
