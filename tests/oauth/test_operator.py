"""OAuth mode as an operator meets it: `bookbot run` refuses to start without a usable key, and
`bookbot check` reports the install mode and each installed workspace."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.crypto import TokenCipher
from tests.oauth.conftest import CLIENT_ID, CLIENT_SECRET, OAuthBooker, running_booker
from tests.test_cli import run

OAUTH_ENV = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_SIGNING_SECRET": "signing-secret",
    "BOOKBOT_PUBLIC_URL": "https://booker.example.com",
}


def test_oauth_mode_without_a_key_refuses_to_start_with_one_line(tmp_path: Path) -> None:
    done = run(["run", "--port", "0", "--sandbox"], env=OAUTH_ENV, cwd=tmp_path)

    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("bookbot:")]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("bookbot: BOOKBOT_ENCRYPTION_KEY is not set")
    assert "SLACK_BOT_TOKEN" not in done.stderr  # OAuth mode needs no single token
    assert "Traceback" not in done.stderr


def test_a_malformed_key_is_refused_without_echoing_it(tmp_path: Path) -> None:
    done = run(
        ["run", "--port", "0", "--sandbox"],
        env=OAUTH_ENV | {"BOOKBOT_ENCRYPTION_KEY": "not-a-fernet-key-but-secret"},
        cwd=tmp_path,
    )

    assert done.returncode == 2
    assert "BOOKBOT_ENCRYPTION_KEY key #1 is not a Fernet key" in done.stderr
    assert "not-a-fernet-key-but-secret" not in done.stderr
    assert "Traceback" not in done.stderr


def test_oauth_with_socket_mode_is_refused(tmp_path: Path) -> None:
    env = OAUTH_ENV | {
        "BOOKBOT_ENCRYPTION_KEY": TokenCipher.generate_key(),
        "SLACK_APP_TOKEN": "xapp-1-A1-token",
    }
    done = run(["run", "--port", "0", "--sandbox"], env=env, cwd=tmp_path)

    assert done.returncode == 2
    assert "need HTTP mode: unset SLACK_APP_TOKEN" in done.stderr


def check_env(booker: OAuthBooker, key: str) -> dict[str, str]:
    return OAUTH_ENV | {
        "BOOKBOT_ENCRYPTION_KEY": key,
        "SLACK_API_URL": booker.double.base_url,
        "DATABASE_URL": f"sqlite:///{booker.database_path}",
    }


async def test_check_lists_installed_workspaces_and_masks_secrets(tmp_path: Path) -> None:
    async with running_booker(tmp_path) as booker:
        booker.double.oauth.add_workspace("T0ACME", "Acme Corp")
        await booker.install("T0ACME")
        [token] = booker.double.oauth.tokens_of("T0ACME")
        env = check_env(booker, booker.encryption_key)

        done = await asyncio.to_thread(run, ["check", "--sandbox"], env=env, cwd=tmp_path)
        stranger = await asyncio.to_thread(
            run,
            ["check", "--sandbox"],
            env=env | {"BOOKBOT_ENCRYPTION_KEY": TokenCipher.generate_key()},
        )
        booker.double.oauth.uninstall("T0ACME")
        revoked = await asyncio.to_thread(run, ["check", "--sandbox"], env=env, cwd=tmp_path)

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "install               OAuth" in done.stdout
    assert "Slack workspaces      1 installed" in done.stdout
    assert "T0ACME (Acme Corp)  installed" in done.stdout and "auth.test ok" in done.stdout
    for secret in (token, CLIENT_SECRET, booker.encryption_key):
        assert secret not in output
    assert "BOOKBOT_ENCRYPTION_KEY set (1 key)" in done.stdout

    assert stranger.returncode == 1
    assert "token unreadable with BOOKBOT_ENCRYPTION_KEY" in stranger.stdout

    assert revoked.returncode == 1
    assert "token_revoked: reinstall from /slack/install" in revoked.stdout


def test_check_in_single_token_mode_says_so(tmp_path: Path) -> None:
    done = run(["check"], cwd=tmp_path)

    assert "install               single token (one workspace, SLACK_BOT_TOKEN)" in done.stdout
    assert "SLACK_CLIENT_ID" not in done.stdout
