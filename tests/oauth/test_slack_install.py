"""Installing Booker in a workspace with "Add to Slack": the whole OAuth round trip over HTTP."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.crypto import TokenCipher, UndecryptableError
from bot.installations import InstallationStore
from tests.oauth.conftest import CLIENT_ID, STATE_COOKIE, OAuthBooker


def stored_rows(booker: OAuthBooker) -> list[dict[str, object]]:
    """The slack_installations table as anyone with the database file (but no key) sees it."""
    with sqlite3.connect(booker.database_path) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM slack_installations").fetchall()
    return [dict(row) for row in rows]


async def test_install_page_links_to_slacks_authorize_page_with_a_state_cookie(
    booker: OAuthBooker,
) -> None:
    page = await booker.install_page()

    assert page.headers["content-type"].startswith("text/html")
    assert "Add to Slack" in page.text
    link = urlsplit(booker.link_of(page))
    query = parse_qs(link.query)
    assert link.path == "/oauth/v2/authorize"
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [f"{booker.base_url}/slack/oauth_redirect"]
    assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "users:read"}
    # The state in the link is the one the browser keeps in its cookie.
    assert query["state"] == [booker.state_cookie(page)]
    set_cookie = page.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "Secure" in set_cookie
    assert page.headers["referrer-policy"] == "no-referrer"


async def test_a_workspace_installs_and_its_token_is_stored_encrypted(
    booker: OAuthBooker,
) -> None:
    booker.double.oauth.add_workspace("T0ACME", "Acme Corp")

    finished = await booker.install("T0ACME")

    assert finished.page.status_code == 200
    assert "Booker is installed" in finished.page.text
    assert "Acme Corp" in finished.page.text
    # The state cookie is cleared once used.
    cleared = finished.page.headers["set-cookie"]
    assert cleared.startswith(f"{STATE_COOKIE}=deleted;") and "1970" in cleared
    exchange = booker.double.calls_to("oauth.v2.access")
    assert len(exchange) == 1
    assert exchange[0].params["redirect_uri"] == f"{booker.base_url}/slack/oauth_redirect"
    [token] = booker.double.oauth.tokens_of("T0ACME")

    [row] = stored_rows(booker)
    assert row["team_id"] == "T0ACME" and row["enterprise_id"] == ""
    assert row["installer_user_id"] == "U0INSTALLER"
    assert row["bot_user_id"] == "U0BOTT0ACME" and row["bot_id"] == "B0BOTT0ACME"
    stored = str(row["bot_token"])
    # Not the token, nor any recognisable part of it …
    assert token not in stored and "xoxb" not in stored and token.split("-")[-1] not in stored
    # … only the configured key reads it; another key cannot.
    assert TokenCipher.from_setting(booker.encryption_key).decrypt(stored) == token
    with pytest.raises(UndecryptableError):
        TokenCipher.from_setting(TokenCipher.generate_key()).decrypt(stored)


async def test_with_another_key_the_installation_is_not_readable(booker: OAuthBooker) -> None:
    await booker.install("T0ACME")
    other_key = TokenCipher.from_setting(TokenCipher.generate_key())
    stranger = InstallationStore(booker.services.store, other_key)

    assert await stranger.async_find_installation(enterprise_id=None, team_id="T0ACME") is None
    assert await stranger.async_find_bot(enterprise_id=None, team_id="T0ACME") is None
    [summary] = await stranger.workspaces()
    assert summary.team_id == "T0ACME" and summary.token_readable is False


async def test_a_state_that_is_not_ours_is_refused_and_nothing_is_installed(
    booker: OAuthBooker,
) -> None:
    code = booker.double.oauth.issue_code("T0ACME")
    redirect = f"/slack/oauth_redirect?code={code}&state=forged-state"

    with_cookie = await booker.back_to_app(redirect, cookie="forged-state")
    without_cookie = await booker.back_to_app(redirect, cookie=None)

    for page in (with_cookie, without_cookie):
        assert page.status_code in (400, 401)
        assert "Booker could not be installed" in page.text
        assert "expired, was already used, or was opened in another browser" in page.text
        assert 'href="/slack/install"' in page.text
    assert booker.double.calls_to("oauth.v2.access") == []
    assert stored_rows(booker) == []


async def test_an_install_link_from_another_browser_is_refused(booker: OAuthBooker) -> None:
    mine = await booker.install_page("T0ACME")
    theirs = await booker.install_page("T0ACME")
    redirect = await booker.consent(booker.link_of(mine))

    page = await booker.back_to_app(redirect, cookie=booker.state_cookie(theirs))

    assert page.status_code == 400
    assert "Reference: invalid_browser" in page.text
    assert stored_rows(booker) == []


async def test_an_expired_state_is_refused(booker: OAuthBooker) -> None:
    page = await booker.install_page("T0ACME")
    redirect = await booker.consent(booker.link_of(page))
    booker.clock.advance(minutes=11)  # install links last ten minutes

    finished = await booker.back_to_app(redirect, booker.state_cookie(page))

    assert finished.status_code == 401
    assert "This install link has expired" in finished.text
    assert booker.double.calls_to("oauth.v2.access") == []
    assert stored_rows(booker) == []


async def test_a_state_works_once(booker: OAuthBooker) -> None:
    page = await booker.install_page("T0ACME")
    redirect = await booker.consent(booker.link_of(page))
    first = await booker.back_to_app(redirect, booker.state_cookie(page))

    again = await booker.back_to_app(redirect, booker.state_cookie(page))

    assert first.status_code == 200
    assert again.status_code == 401 and "Reference: invalid_state" in again.text
    assert len(booker.double.calls_to("oauth.v2.access")) == 1


async def test_denied_consent_shows_the_cancelled_page(booker: OAuthBooker) -> None:
    finished = await booker.install("T0ACME", deny=True)

    assert finished.page.status_code == 200
    assert "Installation cancelled" in finished.page.text
    assert "Nothing was installed" in finished.page.text
    assert 'href="/slack/install"' in finished.page.text
    assert booker.double.calls_to("oauth.v2.access") == []
    assert stored_rows(booker) == []


async def test_a_code_slack_does_not_accept_shows_an_error(booker: OAuthBooker) -> None:
    page = await booker.install_page("T0ACME")
    cookie = booker.state_cookie(page)
    redirect = f"/slack/oauth_redirect?code=made-up-code&state={cookie}"

    finished = await booker.back_to_app(redirect, cookie)

    assert finished.status_code == 401
    assert "Slack did not confirm the installation" in finished.text
    assert stored_rows(booker) == []


async def test_nothing_from_the_redirect_url_is_echoed_as_markup(booker: OAuthBooker) -> None:
    page = await booker.http.get(
        "/slack/oauth_redirect",
        params={"error": '<script>alert("x")</script><a href="//evil">'},
    )

    assert "<script>" not in page.text and '<a href="//evil">' not in page.text
    assert "&lt;script&gt;" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    ("language", "installed", "cancelled"),
    [
        ("pt-BR,pt;q=0.9", "O Booker está instalado", "Instalação cancelada"),
        ("es-MX,es;q=0.8,en;q=0.5", "Booker está instalado", "Instalación cancelada"),
        ("de-DE", "Booker is installed", "Installation cancelled"),
    ],
)
async def test_pages_speak_the_browsers_language(
    booker: OAuthBooker, language: str, installed: str, cancelled: str
) -> None:
    done = await booker.install("T0ONE", language=language)
    refused = await booker.install("T0TWO", deny=True, language=language)

    assert installed in done.page.text
    assert cancelled in refused.page.text


async def test_reinstalling_replaces_the_workspaces_token(booker: OAuthBooker) -> None:
    await booker.install("T0ACME")
    first = booker.double.oauth.tokens_of("T0ACME")[0]
    await booker.install("T0ACME")

    [row] = stored_rows(booker)
    stored = TokenCipher.from_setting(booker.encryption_key).decrypt(str(row["bot_token"]))
    assert stored != first and stored == booker.double.oauth.tokens_of("T0ACME")[-1]


async def test_only_a_slack_team_id_is_passed_on_to_slacks_authorize_page(
    booker: OAuthBooker,
) -> None:
    smuggled = await booker.http.get(
        "/slack/install", params={"team": "T1&redirect_uri=https://evil.example/steal"}
    )
    chosen = await booker.install_page("T0ACME")

    link = booker.link_of(smuggled)
    assert "evil.example" not in link and "team=" not in link
    assert parse_qs(urlsplit(link).query)["redirect_uri"] == [
        f"{booker.base_url}/slack/oauth_redirect"
    ]
    assert parse_qs(urlsplit(booker.link_of(chosen)).query)["team"] == ["T0ACME"]
