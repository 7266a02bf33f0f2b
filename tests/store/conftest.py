"""Fixtures: every behaviour runs on a SQLite file and on the real PostgreSQL.

Each PostgreSQL test gets its own fresh schema (``t_<random>``) reached through
``options=-csearch_path=…`` in the URL, dropped afterwards. PostgreSQL tests are skipped, with
one line saying how to start it, only when the server does not answer (tests/services.py; they
fail instead under BOOKBOT_TEST_REQUIRE_SERVICES=1, as in CI).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import asyncpg
import pytest

from bot.store import BookingDraft, Store
from tests.services import POSTGRES_URL, _asyncpg_dsn, need_postgres

__all__ = ["POSTGRES_URL", "_asyncpg_dsn"]

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return need_postgres()


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
async def fresh_postgres_url(postgres_url: str) -> AsyncIterator[str]:
    """A URL whose tables land in a schema of their own, empty at the start."""
    schema = f"t_{secrets.token_hex(6)}"
    connection = await asyncpg.connect(_asyncpg_dsn(postgres_url))
    try:
        await connection.execute(f'CREATE SCHEMA "{schema}"')
        yield with_search_path(postgres_url, schema)
    finally:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await connection.close()


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    fixture = "fresh_sqlite_url" if request.param == "sqlite" else "fresh_postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(database_url)
    try:
        yield opened
    finally:
        await opened.close()


DraftFactory = Callable[..., BookingDraft]


@pytest.fixture
def make_draft() -> DraftFactory:
    def build(**overrides: object) -> BookingDraft:
        values: dict[str, object] = {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "page_slug": "demo",
            "page_name": "Product demo",
            "start": datetime(2031, 3, 4, 15, 30, tzinfo=UTC),
            "duration_minutes": 30,
            "timezone": "America/Sao_Paulo",
            "guest_email": "ana@acme.example",
            "guest_first_name": "Ana",
            "guest_last_name": "Souza",
            "thread_ts": None,
        }
        values.update(overrides)
        return BookingDraft(**values)  # type: ignore[arg-type]

    return build
