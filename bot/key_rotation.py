"""`bookbot keys rotate`: re-encrypt every stored token with the newest BOOKBOT_ENCRYPTION_KEY.

Rotating a key: put a new key first in BOOKBOT_ENCRYPTION_KEY (keep the old ones after it),
restart Booker, run `bookbot keys rotate`, then drop the old keys. Until the rotation, stored rows
were rewritten with the new key only when a token was refreshed or a workspace reinstalled.

Every encrypted column of ``slack_installations`` and ``hubspot_connections`` is decrypted with
any configured key and encrypted again with the first, all in one write transaction: if any value
cannot be decrypted with any configured key, nothing is written. Rows are locked while they are
rewritten (``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so a token a running Booker
refreshes at the same moment is never overwritten with the older value. Tokens are never printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

import sqlalchemy as sa

from bot.crypto import EncryptionKeyError, TokenCipher, UndecryptableError
from bot.store import Store, StoreError, hubspot_connections, slack_installations

if TYPE_CHECKING:
    from bot.config import Settings

# How many unreadable rows the error line names before it says "and N more".
_NAMED_FAILURES = 5


@dataclass(frozen=True)
class EncryptedTable:
    """A table holding tokens: its name as printed and its encrypted (nullable) columns."""

    table: sa.Table
    label: str
    row_label: str
    columns: tuple[str, ...]


ENCRYPTED_TABLES: tuple[EncryptedTable, ...] = (
    EncryptedTable(
        slack_installations,
        "slack installations",
        "slack installation",
        ("bot_token", "bot_refresh_token"),
    ),
    EncryptedTable(
        hubspot_connections,
        "hubspot connections",
        "hubspot connection",
        ("access_token", "refresh_token"),
    ),
)


class UnreadableTokens(ValueError):
    """Stored values no configured key decrypts; nothing was rewritten."""

    def __init__(self, rows: list[str]) -> None:
        named = ", ".join(rows[:_NAMED_FAILURES])
        more = f" and {len(rows) - _NAMED_FAILURES} more" if len(rows) > _NAMED_FAILURES else ""
        super().__init__(
            f"cannot rotate: {len(rows)} stored row(s) cannot be decrypted with any key in "
            f"BOOKBOT_ENCRYPTION_KEY ({named}{more}); nothing was rewritten. Put the key they "
            "were written with back in the list (after the new one), or have those workspaces "
            "reinstall / reconnect"
        )
        self.rows = rows


@dataclass(frozen=True)
class RotationResult:
    """Rows rewritten per table, in ENCRYPTED_TABLES order."""

    rewritten: dict[str, int]

    def summary(self) -> str:
        return "; ".join(f"{label}: {count} rewritten" for label, count in self.rewritten.items())


def _workspace(values: sa.RowMapping) -> str:
    enterprise_id, team_id = values["enterprise_id"], values["team_id"]
    if enterprise_id and team_id:
        return f"{enterprise_id}/{team_id}"
    return str(team_id or enterprise_id or "?")


def _rotated(cipher: TokenCipher, stored: str | None) -> str | None:
    return None if stored is None else cipher.rotate(stored)


async def rotate_stored_tokens(store: Store, cipher: TokenCipher) -> RotationResult:
    """Re-encrypt every stored token with the cipher's first key (one transaction, all or none).

    Raises UnreadableTokens (and writes nothing) when some value no configured key decrypts.
    """
    rewritten: dict[str, int] = {}
    failures: list[str] = []
    async with store.translating_errors(), store.writer.begin() as connection:
        updates: list[tuple[EncryptedTable, list[dict[str, Any]]]] = []
        for spec in ENCRYPTED_TABLES:
            table = spec.table
            statement = (
                sa.select(
                    table.c.enterprise_id, table.c.team_id, *(table.c[c] for c in spec.columns)
                )
                .order_by(table.c.enterprise_id, table.c.team_id)
                .with_for_update()  # rendered on PostgreSQL; SQLite already holds the write lock
            )
            rows = (await connection.execute(statement)).all()
            parameters: list[dict[str, Any]] = []
            for row in rows:
                values = row._mapping
                try:
                    new = {f"new_{c}": _rotated(cipher, values[c]) for c in spec.columns}
                except (UndecryptableError, UnicodeError):
                    failures.append(f"{spec.row_label} {_workspace(values)}")
                    continue
                parameters.append(
                    {"key_enterprise_id": values["enterprise_id"], "key_team_id": values["team_id"]}
                    | new
                )
            updates.append((spec, parameters))
            rewritten[spec.label] = len(parameters)
        if failures:
            raise UnreadableTokens(failures)  # leaving the block rolls the transaction back
        for spec, parameters in updates:
            if not parameters:
                continue
            table = spec.table
            update = (
                table.update()
                .where(
                    table.c.enterprise_id == sa.bindparam("key_enterprise_id"),
                    table.c.team_id == sa.bindparam("key_team_id"),
                )
                .values({c: sa.bindparam(f"new_{c}") for c in spec.columns})
            )
            await connection.execute(update, parameters)
    return RotationResult(rewritten)


async def run_keys_rotate(settings: Settings, stdout: TextIO, stderr: TextIO) -> int:
    """`bookbot keys rotate`: 0 with the counts, or 1 with one clear line (no token, no key)."""
    from bot.oauth_settings import cipher_from_settings
    from bot.store import resolve_database_url

    try:
        cipher = cipher_from_settings(settings)
    except EncryptionKeyError as error:
        print(f"bookbot: {error}", file=stderr)
        return 1
    try:
        where = resolve_database_url(settings.database_url).display
        store = await Store.open(settings.database_url, migrate=False)
    except StoreError as error:
        print(f"bookbot: {error}", file=stderr)
        return 1
    try:
        result = await rotate_stored_tokens(store, cipher)
    except (UnreadableTokens, StoreError) as error:
        print(f"bookbot: {error}", file=stderr)
        return 1
    finally:
        await store.close()
    print(result.summary(), file=stdout)
    print(
        f"Every token stored in {where} is now encrypted with the first key of "
        "BOOKBOT_ENCRYPTION_KEY; once every Booker process runs with that key first, the "
        "other keys can be removed.",
        file=stdout,
    )
    return 0


__all__ = [
    "ENCRYPTED_TABLES",
    "EncryptedTable",
    "RotationResult",
    "UnreadableTokens",
    "rotate_stored_tokens",
    "run_keys_rotate",
]
