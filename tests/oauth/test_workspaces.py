"""After installing: each workspace's requests use its own bot token, rotating tokens are
refreshed before use, and uninstalling (or revoked tokens) deletes that workspace's tokens."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.crypto import TokenCipher
from tests.oauth.conftest import OAuthBooker, running_booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def bearer(call: object) -> str:
    headers = getattr(call, "headers", {})
    return str(headers.get("Authorization", "")).removeprefix("Bearer ")


def stored_teams(booker: OAuthBooker) -> list[str]:
    with sqlite3.connect(booker.database_path) as connection:
        rows = connection.execute("SELECT team_id FROM slack_installations ORDER BY team_id")
        return [row[0] for row in rows]


def stored_token(booker: OAuthBooker, team_id: str) -> str:
    with sqlite3.connect(booker.database_path) as connection:
        (ciphertext,) = connection.execute(
            "SELECT bot_token FROM slack_installations WHERE team_id = ?", (team_id,)
        ).fetchone()
    return TokenCipher.from_setting(booker.encryption_key).decrypt(ciphertext)


def connect_hubspot(booker: OAuthBooker, team_id: str) -> None:
    """A HubSpot connection row as Connect HubSpot leaves it (tokens encrypted)."""
    cipher = TokenCipher.from_setting(booker.encryption_key)
    with sqlite3.connect(booker.database_path) as connection:
        connection.execute(
            "INSERT INTO hubspot_connections (enterprise_id, team_id, scopes, access_token,"
            " refresh_token, expires_at, status, created_at, updated_at)"
            " VALUES ('', ?, 'meetings', ?, ?, '2030-01-01 00:00:00', 'connected',"
            " '2026-11-26 00:00:00', '2026-11-26 00:00:00')",
            (team_id, cipher.encrypt("access"), cipher.encrypt("refresh")),
        )


def hubspot_teams(booker: OAuthBooker) -> list[str]:
    with sqlite3.connect(booker.database_path) as connection:
        rows = connection.execute("SELECT team_id FROM hubspot_connections ORDER BY team_id")
        return [row[0] for row in rows]


async def test_two_workspaces_booking_at_once_each_use_their_own_token(
    booker: OAuthBooker,
) -> None:
    await booker.install("T0ACME")
    await booker.install("T0GLOBEX")
    [acme_token] = booker.double.oauth.tokens_of("T0ACME")
    [globex_token] = booker.double.oauth.tokens_of("T0GLOBEX")

    answers = await asyncio.gather(
        booker.slack("T0ACME", user_id="U0PERSON").slash_command(""),
        booker.slack("T0GLOBEX", user_id="U0PERSON").slash_command(""),
    )
    assert [answer.status_code for answer in answers] == [200, 200]
    await booker.until(lambda: len(booker.double.calls_to("views.open")) == 2)
    await booker.until(lambda: len(booker.double.calls_to("views.update")) >= 2)

    # Every Web API call this app made on behalf of a workspace carried that workspace's token;
    # the trigger of each /book came back in the views.open made with the right one.
    opened = {
        str(call.params["trigger_id"]): bearer(call)
        for call in booker.double.calls_to("views.open")
    }
    assert sorted(opened.values()) == sorted([acme_token, globex_token])
    used = {bearer(call) for call in booker.double.calls if call.method != "oauth.v2.access"}
    assert used <= {acme_token, globex_token}
    # auth.test (Bolt's authorize) and views.open for each team used that team's token only.
    for call in booker.double.calls_to("auth.test"):
        assert booker.double.oauth.issued[bearer(call)].workspace.team_id in ("T0ACME", "T0GLOBEX")
    assert {booker.double.oauth.issued[token].workspace.team_id for token in opened.values()} == {
        "T0ACME",
        "T0GLOBEX",
    }


async def test_each_slash_command_uses_the_token_of_the_workspace_it_came_from(
    booker: OAuthBooker,
) -> None:
    await booker.install("T0ACME")
    await booker.install("T0GLOBEX")
    checks_at_install = len(booker.double.calls_to("auth.test"))

    for team in ("T0GLOBEX", "T0ACME", "T0GLOBEX"):
        before = len(booker.double.calls_to("views.open"))
        await booker.slack(team).slash_command("")
        await booker.until(lambda before=before: len(booker.double.calls_to("views.open")) > before)
        token = bearer(booker.double.calls_to("views.open")[-1])
        assert booker.double.oauth.issued[token].workspace.team_id == team
    # Bolt's authorize checked each workspace's token once, not on every request.
    assert len(booker.double.calls_to("auth.test")) - checks_at_install == 2


async def test_a_workspace_that_never_installed_gets_a_clear_answer_not_a_modal(
    booker: OAuthBooker,
) -> None:
    await booker.install("T0ACME")

    answer = await booker.slack("T0STRANGER").slash_command(
        "", response_url=booker.double.response_url("stranger")
    )

    assert answer.status_code == 200
    await booker.until(lambda: len(booker.double.responses) == 1)
    text = booker.double.responses[0]["text"]
    # Who typed it is unknown without the workspace's token: every language, and where to fix it.
    assert "Booker is not installed in this workspace" in text
    assert "O Booker não está (mais) instalado" in text and "Booker no está (ya)" in text
    assert f"{booker.base_url}/slack/install" in text
    assert booker.double.calls_to("views.open") == []


async def test_an_expiring_bot_token_is_refreshed_before_it_is_used(tmp_path: Path) -> None:
    # Slack's rotating tokens last 12 hours; one that has under two hours left is refreshed.
    async with running_booker(tmp_path, token_rotation=True, token_lifetime_seconds=3600) as booker:
        await booker.install("T0ACME")
        [first] = booker.double.oauth.tokens_of("T0ACME")
        assert stored_token(booker, "T0ACME") == first
        booker.double.oauth.expire(first)  # and Slack no longer takes it

        await booker.slack("T0ACME").slash_command("")
        await booker.until(lambda: len(booker.double.calls_to("views.open")) == 1)

        refreshes = [
            call
            for call in booker.double.calls_to("oauth.v2.access")
            if call.params.get("grant_type") == "refresh_token"
        ]
        assert len(refreshes) >= 1
        used = bearer(booker.double.calls_to("views.open")[0])
        assert used != first and booker.double.oauth.token_problem(used) is None
        assert booker.double.oauth.issued[used].workspace.team_id == "T0ACME"
        # The new token and its refresh token are what the database keeps now (encrypted).
        assert stored_token(booker, "T0ACME") in booker.double.oauth.tokens_of("T0ACME")
        # The modal goes on to load with the same fresh token.
        await booker.until(lambda: len(booker.double.calls_to("views.update")) >= 1)
        assert bearer(booker.double.calls_to("views.update")[0]) == used


async def test_uninstalling_deletes_only_that_workspaces_tokens(booker: OAuthBooker) -> None:
    await booker.install("T0ACME")
    await booker.install("T0GLOBEX")
    for team in ("T0ACME", "T0GLOBEX"):  # each also connected a HubSpot account
        connect_hubspot(booker, team)
    booker.double.oauth.uninstall("T0ACME")  # Slack revokes the tokens, then tells the app

    answer = await booker.slack("T0ACME").send_event({"type": "app_uninstalled"})

    assert answer.status_code == 200
    await booker.until(lambda: stored_teams(booker) == ["T0GLOBEX"])
    assert hubspot_teams(booker) == ["T0GLOBEX"]
    # The other workspace carries on.
    await booker.slack("T0GLOBEX").slash_command("")
    await booker.until(lambda: len(booker.double.calls_to("views.open")) == 1)


async def test_revoked_bot_tokens_are_deleted(booker: OAuthBooker) -> None:
    await booker.install("T0ACME")
    await booker.install("T0GLOBEX")

    await booker.slack("T0ACME").send_event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0INSTALLER"], "bot": ["U0BOTT0ACME"]}}
    )
    await booker.until(lambda: stored_teams(booker) == ["T0GLOBEX"])

    # A person's user token being revoked leaves the bot installed.
    await booker.slack("T0GLOBEX").send_event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0INSTALLER"], "bot": []}}
    )
    await asyncio.sleep(0.2)
    assert stored_teams(booker) == ["T0GLOBEX"]


async def test_two_installed_workspaces_book_at_once_and_each_card_uses_its_token(
    booker: OAuthBooker,
) -> None:
    await booker.install("T0ACME")
    await booker.install("T0GLOBEX")
    views = {}
    for team, when in (("T0ACME", "tomorrow 10am"), ("T0GLOBEX", "tomorrow 11am")):
        updates = len(booker.double.calls_to("views.update"))
        await booker.slack(team).slash_command(f"demo {when} ana@acme.com")
        await booker.until(
            lambda updates=updates: len(booker.double.calls_to("views.update")) > updates
        )
        views[team] = dict(list(booker.double.views.values())[-1])

    answers = await asyncio.gather(
        *(booker.slack(team).view_submission(view, GUEST) for team, view in views.items())
    )

    assert [answer.status_code for answer in answers] == [200, 200]
    await booker.until(lambda: len(booker.double.calls_to("chat.postMessage")) == 2)
    assert booker.sandbox.book_calls == 2
    posted_by = {
        booker.double.oauth.issued[bearer(call)].workspace.team_id: str(call.params["blocks"])
        for call in booker.double.calls_to("chat.postMessage")
    }
    assert set(posted_by) == {"T0ACME", "T0GLOBEX"}
    assert all("Ana Souza" in blocks for blocks in posted_by.values())


async def test_requests_arriving_together_refresh_an_expiring_token_once(tmp_path: Path) -> None:
    # Slack revokes a refresh token once used: two refreshes of the same token, and the second
    # request would fail. Requests that find the token expiring together share one refresh.
    async with running_booker(tmp_path, token_rotation=True, token_lifetime_seconds=3600) as booker:
        await booker.install("T0ACME")
        [first] = booker.double.oauth.tokens_of("T0ACME")
        booker.double.oauth.token_lifetime_seconds = 12 * 3600  # refreshed ones last long

        answers = await asyncio.gather(
            *(booker.slack("T0ACME").slash_command("") for _ in range(5))
        )

        assert [answer.status_code for answer in answers] == [200] * 5
        await booker.until(lambda: len(booker.double.calls_to("views.open")) == 5)
        refreshes = [
            call
            for call in booker.double.calls_to("oauth.v2.access")
            if call.params.get("grant_type") == "refresh_token"
        ]
        assert len(refreshes) == 1
        used = {bearer(call) for call in booker.double.calls_to("views.open")}
        assert len(used) == 1 and first not in used


async def test_an_org_wide_install_serves_every_workspace_of_the_org(booker: OAuthBooker) -> None:
    booker.double.oauth.add_workspace(
        "E0INITECH",
        "Initech",
        enterprise_id="E0INITECH",
        enterprise_name="Initech",
        is_enterprise_install=True,
    )
    finished = await booker.install("E0INITECH")
    assert "Booker was added to Initech" in finished.page.text
    [org_token] = booker.double.oauth.tokens_of("E0INITECH")
    with sqlite3.connect(booker.database_path) as connection:
        rows = connection.execute(
            "SELECT enterprise_id, team_id, is_enterprise_install FROM slack_installations"
        ).fetchall()
    assert rows == [("E0INITECH", "", 1)]

    # /book typed in two workspaces of the org: both served with the org's token.
    for team in ("T0SALES", "T0SUPPORT"):
        before = len(booker.double.calls_to("views.open"))
        await booker.slack(team).send_form(
            {
                "command": "/book",
                "text": "",
                "team_id": team,
                "enterprise_id": "E0INITECH",
                "is_enterprise_install": "true",
                "user_id": "U0PERSON",
                "channel_id": "C0GENERAL",
                "trigger_id": f"trigger.{team}",
                "response_url": "",
                "api_app_id": "A0BOOKER",
            }
        )
        await booker.until(lambda before=before: len(booker.double.calls_to("views.open")) > before)
        assert bearer(booker.double.calls_to("views.open")[-1]) == org_token
