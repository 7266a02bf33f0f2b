"""Alembic environment: reuses the caller's connection, or connects from DATABASE_URL (CLI)."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.store import metadata, resolve_database_url

config = context.config


def _run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    return (
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("DATABASE_URL")
        or "sqlite:///bookbot.db"
    )


def _run_offline() -> None:
    target = resolve_database_url(_database_url())
    context.configure(
        url=target.url, target_metadata=metadata, literal_binds=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    target = resolve_database_url(_database_url())
    engine = create_async_engine(target.url, connect_args=target.connect_args, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_on)
    finally:
        await engine.dispose()


_shared_connection = config.attributes.get("connection")
if _shared_connection is not None:
    _run_on(_shared_connection)
elif context.is_offline_mode():
    _run_offline()
else:
    asyncio.run(_run_online())
