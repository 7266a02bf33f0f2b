"""`bookbot keys rotate` and `bookbot keys new` as an operator runs them, on a SQLite file and on
the real PostgreSQL (a fresh schema per test): after rotating, every stored token reads with the
new key alone and is unchanged; a row no configured key reads is exit 1 with nothing rewritten."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation

from bot.cli import main
from bot.crypto import TokenCipher
from bot.hubspot.connections import ConnectionStore, Workspace
from bot.hubspot.oauth import TokenResponse
from bot.installations import InstallationStore
from bot.store import Store, hubspot_connections, slack_installations

SLACK_TOKENS = {
    # team id -> (bot token, refresh token or None)
    "T1": ("xoxb-T1-secret", "xoxe-T1-refresh"),
    "T2": ("xoxb-T2-secret", None),
}
ORG = ("E1", "xoxb-E1-org-secret", "xoxe-E1-refresh")
HUBSPOT_TOKENS = {
    "T1": ("hs-access-T1", "hs-refresh-T1"),
    "T2": ("hs-access-T2", "hs-refresh-T2"),
}
ALL_TOKENS = [
    *(t for pair in SLACK_TOKENS.values() for t in pair if t),
    *ORG[1:],
    *(t for pair in HUBSPOT_TOKENS.values() for t in pair),
]


def _installation(team_id: str | None, bot_token: str, refresh: str | None, **extra: Any) -> Any:
    return Installation(
        app_id="A1",
        team_id=team_id,
        team_name=f"Team {team_id}",
        bot_token=bot_token,
        bot_refresh_token=refresh,
        bot_token_expires_in=43200 if refresh else None,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id="U0INSTALLER",
        installed_at=time.time(),
        **extra,
    )


async def _seed(url: str, key: str, *, lost_key_team: str | None = None) -> None:
    """Three Slack installs (one org-wide) and two HubSpot connections, encrypted with `key`;
    `lost_key_team` gets one more HubSpot connection written with a key nobody has any more."""
    store = await Store.open(url)
    try:
        cipher = TokenCipher.from_setting(key)
        installs = InstallationStore(store, cipher)
        for team_id, (bot_token, refresh) in SLACK_TOKENS.items():
            await installs.async_save(_installation(team_id, bot_token, refresh))
        await installs.async_save(
            _installation(None, ORG[1], ORG[2], enterprise_id=ORG[0], is_enterprise_install=True)
        )
        connections = ConnectionStore(store, cipher)
        for team_id, (access, refresh) in HUBSPOT_TOKENS.items():
            await connections.save(
                Workspace.of(team_id),
                TokenResponse(access_token=access, refresh_token=refresh, expires_in=1800),
                hub_id="42",
                hub_domain="acme.example",
                scopes=("scheduler.meetings.meeting-link.read",),
                connected_by="U0INSTALLER",
            )
        if lost_key_team is not None:
            lost = ConnectionStore(store, TokenCipher.from_setting(TokenCipher.generate_key()))
            await lost.save(
                Workspace.of(lost_key_team),
                TokenResponse(
                    access_token="hs-access-lost", refresh_token="hs-lost", expires_in=60
                ),
                hub_id="43",
                hub_domain=None,
                scopes=(),
                connected_by=None,
            )
    finally:
        await store.close()


async def _raw_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Both tables exactly as stored (ciphertexts and every other column)."""
    store = await Store.open(url, migrate=False)
    try:
        async with store.engine.connect() as connection:
            return {
                table.name: [
                    dict(row._mapping)
                    for row in await connection.execute(
                        sa.select(table).order_by(table.c.enterprise_id, table.c.team_id)
                    )
                ]
                for table in (slack_installations, hubspot_connections)
            }
    finally:
        await store.close()


async def _tokens_read_with(url: str, key: str) -> dict[str, Any]:
    """Every token as Booker reads it with `key` (None where it cannot)."""
    store = await Store.open(url, migrate=False)
    try:
        cipher = TokenCipher.from_setting(key)
        installs = InstallationStore(store, cipher)
        connections = ConnectionStore(store, cipher)
        found: dict[str, Any] = {}
        for team_id in SLACK_TOKENS:
            bot = await installs.async_find_bot(enterprise_id=None, team_id=team_id)
            found[f"slack {team_id}"] = bot and (bot.bot_token, bot.bot_refresh_token)
        org = await installs.async_find_bot(
            enterprise_id=ORG[0], team_id=None, is_enterprise_install=True
        )
        found[f"slack {ORG[0]}"] = org and (org.bot_token, org.bot_refresh_token)
        for team_id in HUBSPOT_TOKENS:
            try:
                tokens = await connections.tokens(Workspace.of(team_id))
            except ValueError:  # UndecryptableError
                found[f"hubspot {team_id}"] = None
                continue
            assert tokens is not None
            found[f"hubspot {team_id}"] = (tokens[1].access_token, tokens[1].refresh_token)
        return found
    finally:
        await store.close()


EXPECTED = {
    **{f"slack {team}": pair for team, pair in SLACK_TOKENS.items()},
    f"slack {ORG[0]}": (ORG[1], ORG[2]),
    **{f"hubspot {team}": pair for team, pair in HUBSPOT_TOKENS.items()},
}


def _rotate_here(
    url: str,
    keys: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    if keys is None:
        monkeypatch.delenv("BOOKBOT_ENCRYPTION_KEY", raising=False)
    else:
        monkeypatch.setenv("BOOKBOT_ENCRYPTION_KEY", keys)
    code = main(["keys", "rotate"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's reaches Settings


def test_after_rotating_every_token_reads_with_the_new_key_alone(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    asyncio.run(_seed(database_url, old))
    before = asyncio.run(_raw_rows(database_url))

    code, out, err = _rotate_here(database_url, f"{new},{old}", monkeypatch, capsys)

    assert code == 0, err
    assert (
        out.splitlines()[0] == "slack installations: 3 rewritten; hubspot connections: 2 rewritten"
    )
    assert asyncio.run(_tokens_read_with(database_url, new)) == EXPECTED
    # The old key alone reads none of them any more: it can be dropped.
    assert all(v is None for v in asyncio.run(_tokens_read_with(database_url, old)).values())
    # Only the ciphertexts changed; every other column is as it was.
    after = asyncio.run(_raw_rows(database_url))
    encrypted = {"bot_token", "bot_refresh_token", "access_token", "refresh_token"}
    for table, rows in before.items():
        assert len(after[table]) == len(rows)
        for was, now in zip(rows, after[table], strict=True):
            assert {k: v for k, v in was.items() if k not in encrypted} == {
                k: v for k, v in now.items() if k not in encrypted
            }
            for column in encrypted & was.keys():
                assert (was[column] is None) == (now[column] is None)
                assert was[column] is None or was[column] != now[column]
    for secret in [*ALL_TOKENS, old, new]:
        assert secret not in out + err


def test_a_row_no_configured_key_reads_is_exit_1_and_nothing_is_rewritten(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    asyncio.run(_seed(database_url, old, lost_key_team="T9"))
    before = asyncio.run(_raw_rows(database_url))

    code, out, err = _rotate_here(database_url, f"{new},{old}", monkeypatch, capsys)

    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("bookbot: "), err
    assert "hubspot connection T9" in err and "nothing was rewritten" in err
    assert "Traceback" not in err
    for secret in [*ALL_TOKENS, "hs-access-lost", "hs-lost", old, new]:
        assert secret not in err
    # Not one row changed, in either table (the Slack table comes first and was readable).
    assert asyncio.run(_raw_rows(database_url)) == before
    assert asyncio.run(_tokens_read_with(database_url, old)) == EXPECTED


@pytest.mark.parametrize(
    ("keys", "says"),
    [(None, "BOOKBOT_ENCRYPTION_KEY is not set"), ("not-a-fernet-key", "is not a Fernet key")],
)
def test_a_missing_or_invalid_key_is_one_clear_line_and_exit_1(
    keys: str | None,
    says: str,
    fresh_sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = TokenCipher.generate_key()
    asyncio.run(_seed(fresh_sqlite_url, old))
    before = asyncio.run(_raw_rows(fresh_sqlite_url))

    code, out, err = _rotate_here(fresh_sqlite_url, keys, monkeypatch, capsys)

    assert code == 1 and out == ""
    assert err.count("\n") == 1 and says in err, err
    assert "not-a-fernet-key" not in err
    assert asyncio.run(_raw_rows(fresh_sqlite_url)) == before


def test_keys_new_prints_a_fresh_key_each_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["keys", "new"]) == 0
    second = capsys.readouterr().out.strip()
    assert first != second
    cipher = TokenCipher.from_setting(f"{first},{second}")  # both are usable Fernet keys
    assert cipher.decrypt(TokenCipher.from_setting(second).encrypt("x")) == "x"


def test_the_installed_command_rotates_a_sqlite_ledger(tmp_path: Path) -> None:
    """`bookbot keys new` then `bookbot keys rotate` in a new interpreter, as an operator would."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    old = TokenCipher.generate_key()
    asyncio.run(_seed(url, old))
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "DATABASE_URL"))
    }
    command = [sys.executable, "-m", "bot", "keys"]
    made = subprocess.run(
        [*command, "new"], capture_output=True, text=True, timeout=60, env=clean, cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    new = made.stdout.strip()
    done = subprocess.run(
        [*command, "rotate"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean | {"DATABASE_URL": url, "BOOKBOT_ENCRYPTION_KEY": f"{new},{old}"},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "slack installations: 3 rewritten; hubspot connections: 2 rewritten" in done.stdout
    assert asyncio.run(_tokens_read_with(url, new)) == EXPECTED
