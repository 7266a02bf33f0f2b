"""Revision 0002 and the OAuth stores, on a SQLite file and on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from slack_sdk.oauth.installation_store import Bot, Installation
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.crypto import TokenCipher
from bot.installations import InstallationStore, OAuthStateStore
from bot.store import Store, alembic_config, bookings, resolve_database_url
from tests.oauth.conftest import Clock
from tests.store.conftest import DraftFactory

KEY = TokenCipher.generate_key()


def _migrate(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _tables(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


async def test_upgrading_a_0001_ledger_keeps_its_bookings(
    database_url: str, make_draft: DraftFactory
) -> None:
    target = resolve_database_url(database_url)
    engine = create_async_engine(target.url, connect_args=target.connect_args, poolclass=NullPool)
    draft = make_draft()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate, "0001")
            assert "slack_installations" not in await connection.run_sync(_tables)
            await connection.execute(
                bookings.insert().values(
                    key="V1:before-0002",
                    status="booked",
                    team_id=draft.team_id,
                    channel_id=draft.channel_id,
                    user_id=draft.user_id,
                    page_slug=draft.page_slug,
                    page_name=draft.page_name,
                    start_at=draft.start,
                    end_at=draft.end,
                    duration_minutes=draft.duration_minutes,
                    timezone=draft.timezone,
                    guest_email=draft.guest_email,
                    guest_first_name=draft.guest_first_name,
                    guest_last_name=draft.guest_last_name,
                    calendar_event_id="evt-1",
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        await engine.dispose()

    store = await Store.open(database_url)  # upgrades to head
    try:
        record = await store.get("V1:before-0002")
        installations = InstallationStore(store, TokenCipher.from_setting(KEY))
        assert await installations.workspaces() == []
    finally:
        await store.close()

    assert record is not None
    assert record.calendar_event_id == "evt-1" and record.guest_first_name == "Ana"
    engine = create_async_engine(target.url, connect_args=target.connect_args, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(_tables)
    finally:
        await engine.dispose()
    assert {"slack_installations", "oauth_states", "hubspot_connections"} <= tables


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(database_url)
    try:
        yield opened
    finally:
        await opened.close()


def installation(team_id: str | None = "T1", **overrides: object) -> Installation:
    values: dict[str, object] = {
        "app_id": "A1",
        "enterprise_id": None,
        "team_id": team_id,
        "team_name": "Acme",
        "bot_token": f"xoxb-{team_id}-secret",
        "bot_id": "B1",
        "bot_user_id": "UBOT",
        "bot_scopes": "commands,chat:write",
        "user_id": "U0INSTALLER",
        "installed_at": time.time(),
    }
    values.update(overrides)
    return Installation(**values)  # type: ignore[arg-type]


async def test_installations_per_workspace_and_per_enterprise_org(store: Store) -> None:
    installations = InstallationStore(store, TokenCipher.from_setting(KEY))
    await installations.async_save(installation("T1"))
    await installations.async_save(installation("T2", bot_token="xoxb-T2-other"))
    await installations.async_save(
        installation(
            None,
            enterprise_id="E1",
            enterprise_name="Initech",
            is_enterprise_install=True,
            bot_token="xoxb-E1-org",
        )
    )
    # A workspace in an org that installed Booker by itself.
    await installations.async_save(installation("T3", enterprise_id="E1", bot_token="xoxb-E1-T3"))

    t1 = await installations.async_find_installation(enterprise_id=None, team_id="T1")
    t2 = await installations.async_find_bot(enterprise_id=None, team_id="T2")
    # Bolt asks for an org install with the org's id and the team of the request.
    org = await installations.async_find_installation(
        enterprise_id="E1", team_id="T9", is_enterprise_install=True
    )
    t3 = await installations.async_find_bot(enterprise_id="E1", team_id="T3")

    assert t1 is not None and t1.bot_token == "xoxb-T1-secret" and t1.user_id == "U0INSTALLER"
    assert t1.bot_scopes == ["commands", "chat:write"]
    assert t2 is not None and t2.bot_token == "xoxb-T2-other"
    assert org is not None and org.bot_token == "xoxb-E1-org" and org.is_enterprise_install
    assert t3 is not None and t3.bot_token == "xoxb-E1-T3"
    assert await installations.async_find_bot(enterprise_id=None, team_id="T404") is None
    # No user tokens are kept: asking for another person's installation finds nothing.
    assert (
        await installations.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")
        is None
    )

    await installations.async_delete_all(enterprise_id="E1", team_id=None)
    assert (
        await installations.async_find_bot(
            enterprise_id="E1", team_id=None, is_enterprise_install=True
        )
        is None
    )
    assert await installations.async_find_bot(enterprise_id="E1", team_id="T3") is not None
    assert [summary.label for summary in await installations.workspaces()] == [
        "T1 (Acme)",
        "T2 (Acme)",
        "T3 (Acme)",
    ]


async def test_rotated_tokens_replace_the_old_ones_and_keep_the_installer(store: Store) -> None:
    installations = InstallationStore(store, TokenCipher.from_setting(KEY))
    expires = int(time.time()) + 600
    await installations.async_save(
        installation(
            "T1",
            bot_token="xoxe.xoxb-old",
            bot_refresh_token="xoxe-1-old",
            bot_token_expires_at=expires,
        )
    )
    found = await installations.async_find_bot(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token_expires_at == expires

    rotated = Bot(**found.to_dict_for_copying())
    rotated.bot_token, rotated.bot_refresh_token = "xoxe.xoxb-new", "xoxe-1-new"
    rotated.bot_token_expires_at = expires + 43200
    await installations.async_save_bot(rotated)

    after = await installations.async_find_installation(enterprise_id=None, team_id="T1")
    assert after is not None
    assert (after.bot_token, after.bot_refresh_token) == ("xoxe.xoxb-new", "xoxe-1-new")
    assert after.bot_token_expires_at == expires + 43200
    assert after.user_id == "U0INSTALLER"


async def test_states_expire_and_work_once_even_when_raced(store: Store) -> None:
    clock = Clock(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    states = OAuthStateStore(store, expiration_seconds=600, clock=clock)
    fresh = await states.async_issue()
    stale = await states.async_issue()
    assert fresh != stale and len(fresh) >= 40

    clock.advance(minutes=9)
    results = await asyncio.gather(*(states.async_consume(fresh) for _ in range(5)))
    clock.advance(minutes=2)

    assert sorted(results) == [False, False, False, False, True]
    assert await states.async_consume(stale) is False  # 11 minutes old
    assert await states.async_consume("never-issued") is False
    assert await states.async_consume("") is False
    # States over a day old are cleared out when new ones are issued.
    clock.advance(days=2)
    await states.async_issue()
    async with store.engine.connect() as connection:
        count = (await connection.execute(sa.text("SELECT count(*) FROM oauth_states"))).scalar()
    assert count == 1


async def test_a_new_key_first_reads_old_tokens_and_writes_with_the_new_one(store: Store) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    before = InstallationStore(store, TokenCipher.from_setting(old))
    await before.async_save(installation("T1", bot_token="xoxb-T1-first"))

    # The operator puts the new key first: what was written with the old one still reads.
    rotated = InstallationStore(store, TokenCipher.from_setting(f"{new},{old}"))
    found = await rotated.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-T1-first"
    # Anything written from now on (a token refresh, a reinstall) uses the new key only.
    found.bot_token = "xoxb-T1-refreshed"
    await rotated.async_save(found)

    only_new = InstallationStore(store, TokenCipher.from_setting(new))
    after = await only_new.async_find_installation(enterprise_id=None, team_id="T1")
    assert after is not None and after.bot_token == "xoxb-T1-refreshed"
    assert await before.async_find_installation(enterprise_id=None, team_id="T1") is None
