"""Connect HubSpot's result pages in a real headless Chromium (Debian's), driven by Playwright.

Each language's browser follows App Home's Connect HubSpot link through the (offline) consent
page to the "HubSpot is connected" page, declines once to reach the cancelled page, and opens a
forged callback to see the error page. Screenshots go to test-output/browser/ (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_install_pages import CHROMIUM, LAUNCH_ARGS, check_page, tab_to_link
from tests.oauth.test_hubspot_full_install import connect_url, home, installable_booker

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture
async def chromium() -> Any:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "connected": "HubSpot is connected",
        "cancelled": "HubSpot was not connected",
        "error": "HubSpot could not be connected",
        "again": "Start again",
    },
    "pt-BR": {
        "connected": "O HubSpot está conectado",
        "cancelled": "O HubSpot não foi conectado",
        "error": "Não foi possível conectar o HubSpot",
        "again": "Começar de novo",
    },
    "es": {
        "connected": "HubSpot está conectado",
        "cancelled": "HubSpot no se conectó",
        "error": "No se pudo conectar HubSpot",
        "again": "Empezar de nuevo",
    },
}


@pytest.mark.parametrize("language", ["en", "pt-BR", "es"])
async def test_connect_hubspot_pages_in_each_language(
    tmp_path: Path, chromium: Any, language: str
) -> None:
    texts = TEXTS[language]
    team = "T0" + re.sub(r"\W", "", language).upper()
    async with installable_booker(tmp_path) as booker:
        await booker.install(team)
        person = "U0" + team
        booker.double.add_user(person, tz="America/New_York", locale=language, name="Dana")
        context = await chromium.new_context(locale=language)
        page = await context.new_page()

        # Declined first: the cancelled page offers to start again.
        await page.goto(connect_url(await home(booker, team, person)))
        await page.get_by_role("link", name="Deny").click()
        await page.wait_for_url(re.compile(r"/hubspot/oauth/callback"))
        await check_page(page, language, texts["cancelled"], "hubspot-cancelled")
        again = await tab_to_link(page, texts["again"])

        # Starting again, allowed this time: the connected page names the HubSpot account.
        await again.press("Enter")
        await page.get_by_role("link", name="Allow for a new account").click()
        await page.wait_for_url(re.compile(r"/hubspot/oauth/callback"))
        await check_page(page, language, texts["connected"], "hubspot-connected")
        assert "sandbox.booker.invalid" in await page.locator("main").inner_text()
        oauth = booker.services.hubspot_connect
        assert oauth is not None and await oauth.accounts.connection(team) is not None

        # A forged state: the error page, which echoes nothing of it as markup.
        await page.goto(
            f"{booker.base_url}/hubspot/oauth/callback?code=x&state=%3Cb%3Eforged%3C%2Fb%3E"
        )
        await check_page(page, language, texts["error"], "hubspot-error")
        assert await page.locator("main b").count() == 0
        await context.close()
