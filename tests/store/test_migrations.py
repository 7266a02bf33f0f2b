"""The hand-written migrations build the schema the code expects, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bot.store import (
    SchemaOutOfDate,
    Store,
    alembic_config,
    head_revision,
    metadata,
    resolve_database_url,
)
from tests.store.conftest import DraftFactory


@asynccontextmanager
async def raw_connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    target = resolve_database_url(database_url)
    engine = create_async_engine(target.url, connect_args=target.connect_args, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            yield connection
    finally:
        await engine.dispose()


def alembic_script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def test_open_migrates_an_empty_database_to_head(database_url: str) -> None:
    async with raw_connection(database_url) as connection:
        assert await connection.run_sync(table_names) == set()

    store = await Store.open(database_url)
    await store.close()

    async with raw_connection(database_url) as connection:
        assert await connection.run_sync(table_names) == {
            "alembic_version",
            "bookings",
            "preferences",
            "slack_installations",
            "oauth_states",
            "hubspot_connections",
            "booking_steps",
        }
        assert await connection.run_sync(current_revision) == head_revision()


async def test_migrated_schema_matches_what_the_code_expects(database_url: str) -> None:
    await (await Store.open(database_url)).close()

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with raw_connection(database_url) as connection:
        assert await connection.run_sync(differences) == []


async def test_reopening_keeps_the_ledger(database_url: str, make_draft: DraftFactory) -> None:
    store = await Store.open(database_url)
    await store.claim("V1:keep", make_draft())
    await store.close()

    reopened = await Store.open(database_url)
    try:
        record = await reopened.get("V1:keep")
    finally:
        await reopened.close()

    assert record is not None and record.guest_first_name == "Ana"


async def test_without_migrate_an_unmigrated_database_is_refused_clearly(
    database_url: str,
) -> None:
    with pytest.raises(SchemaOutOfDate, match="bookbot db upgrade"):
        await Store.open(database_url, migrate=False)

    await (await Store.open(database_url)).close()
    store = await Store.open(database_url, migrate=False)
    await store.ping()
    await store.close()


async def test_every_revision_upgrades_from_its_predecessor_and_back(database_url: str) -> None:
    """The stairway: each revision goes up from the previous one, down, and up again."""
    revisions = [script.revision for script in reversed(list(alembic_script().walk_revisions()))]

    def step(connection: Connection, direction: str, revision: str) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)

    async with raw_connection(database_url) as connection:
        for previous, revision in zip(["base", *revisions], revisions, strict=False):
            await connection.run_sync(step, "upgrade", revision)
            assert await connection.run_sync(current_revision) == revision
            await connection.run_sync(step, "downgrade", previous)
            assert await connection.run_sync(current_revision) == (
                None if previous == "base" else previous
            )
            await connection.run_sync(step, "upgrade", revision)
        await connection.run_sync(step, "downgrade", "base")
        assert await connection.run_sync(table_names) == {"alembic_version"}

    store = await Store.open(database_url)
    await store.close()
    async with raw_connection(database_url) as connection:
        assert {"bookings", "preferences"} <= await connection.run_sync(table_names)


async def test_workers_starting_together_on_postgres_migrate_once(
    fresh_postgres_url: str,
) -> None:
    stores = await asyncio.gather(*(Store.open(fresh_postgres_url) for _ in range(3)))
    try:
        upcoming = await stores[0].upcoming_for_user(
            "T1", "U1", now=datetime(2031, 1, 1, tzinfo=UTC)
        )
        assert upcoming == []
    finally:
        for store in stores:
            await store.close()
