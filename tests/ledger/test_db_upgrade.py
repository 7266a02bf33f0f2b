"""`bookbot db upgrade` as an operator runs it: empty and previous-revision databases reach head,
an unreachable database is one clear line and exit 1."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.cli import main
from bot.store import alembic_config, head_revision, resolve_database_url

BOOKBOT = [sys.executable, "-m", "bot"]


def db_upgrade(database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "DATABASE_URL"))
    }
    return subprocess.run(
        [*BOOKBOT, "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean | {"DATABASE_URL": database_url},
        cwd=cwd,
    )


def db_upgrade_here(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """The same command in this process (quicker than a new interpreter): (code, out, err)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    code = main(["db", "upgrade"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


async def revision_and_tables(
    database_url: str, migrate_to: str | None = None
) -> tuple[str | None, set[str]]:
    target = resolve_database_url(database_url)
    engine = create_async_engine(target.url, connect_args=target.connect_args, poolclass=NullPool)

    def look(connection: Connection) -> tuple[str | None, set[str]]:
        if migrate_to is not None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, migrate_to)
        revision = MigrationContext.configure(connection).get_current_revision()
        return revision, set(sa.inspect(connection).get_table_names())

    try:
        async with engine.begin() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


def test_an_empty_database_is_migrated_to_head(
    empty_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = db_upgrade_here(empty_database, monkeypatch, capsys)
    assert code == 0, err
    head = head_revision()
    assert f"revision {head} (head)" in out
    revision, tables = asyncio.run(revision_and_tables(empty_database))
    assert revision == head
    assert {"bookings", "preferences"} <= tables

    code, out, _ = db_upgrade_here(empty_database, monkeypatch, capsys)
    assert code == 0 and f"revision {head} (head)" in out


def test_a_database_of_the_first_revision_is_brought_to_head(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    revision, _ = asyncio.run(revision_and_tables(empty_database, migrate_to="0001"))
    assert revision == "0001" != head_revision()
    code, _, err = db_upgrade_here(empty_database, monkeypatch, capsys)
    assert code == 0, err
    assert asyncio.run(revision_and_tables(empty_database))[0] == head_revision()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://booker:s3cret-pw@127.0.0.1:1/test",
        "sqlite:////nonexistent-folder/for/booker/ledger.db",
    ],
)
def test_an_unreachable_database_is_one_clear_line_and_exit_1(url: str, tmp_path: Path) -> None:
    done = db_upgrade(url, tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("bookbot: ") and "unavailable" in lines[0]
    assert "Traceback" not in done.stderr
    assert "s3cret-pw" not in done.stderr


def test_a_database_newer_than_this_booker_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert db_upgrade_here(url, monkeypatch, capsys)[0] == 0
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    code, out, err = db_upgrade_here(url, monkeypatch, capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "9999" in err
