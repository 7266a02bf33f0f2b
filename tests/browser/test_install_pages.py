"""The install and result pages in a real headless Chromium (Debian's), driven by Playwright.

Each language's browser (its Accept-Language) loads "Add to Slack" from the running app, tabs to
the link, follows it through Slack's authorize page (the double) back to the app's installed
page; the cancelled and error pages are checked the same way. Screenshots go to
test-output/browser/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.oauth.conftest import OAuthBooker, running_booker

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "install": "Add Booker to your Slack workspace",
        "link": "Add to Slack",
        "installed": "Booker is installed",
        "cancelled": "Installation cancelled",
        "error": "Booker could not be installed",
        "again": "Start again",
    },
    "pt-BR": {
        "install": "Adicione o Booker ao seu espaço de trabalho do Slack",
        "link": "Adicionar ao Slack",
        "installed": "O Booker está instalado",
        "cancelled": "Instalação cancelada",
        "error": "Não foi possível instalar o Booker",
        "again": "Começar de novo",
    },
    "es": {
        "install": "Agrega Booker a tu espacio de trabajo de Slack",
        "link": "Agregar a Slack",
        "installed": "Booker está instalado",
        "cancelled": "Instalación cancelada",
        "error": "No se pudo instalar Booker",
        "again": "Empezar de nuevo",
    },
}

# WCAG contrast of an element's text against the page (white, or the button's own background).
_CONTRAST = """
(element) => {
  const rgb = (text) => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const style = getComputedStyle(element);
  let background = style.backgroundColor;
  if (background === "rgba(0, 0, 0, 0)") {
    background = getComputedStyle(document.body).backgroundColor;
  }
  const [a, b] = [luminance(rgb(style.color)), luminance(rgb(background))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


async def check_page(page: Any, language: str, heading: str, screenshot: str) -> None:
    """What every page must be: its language, a title, one main landmark, readable text."""
    assert await page.evaluate("document.documentElement.lang") == language
    assert (await page.title()).strip()
    assert await page.locator("main").count() == 1
    assert (await page.locator("h1").inner_text()).strip() == heading
    for selector in ("h1", "main p"):
        for element in await page.locator(selector).element_handles():
            assert await element.evaluate(_CONTRAST) >= 4.5, selector
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{screenshot}-{language}.png"
    await page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


async def tab_to_link(page: Any, text: str) -> Any:
    """The link is reached with the keyboard and shows a focus ring."""
    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert (await focused.inner_text()).strip() == text
    assert await focused.evaluate("e => e.tagName") == "A"
    assert await focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert await focused.evaluate(_CONTRAST) >= 4.5
    return focused


@pytest.fixture
async def chromium() -> Any:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def booker(tmp_path: Path) -> Any:
    async with running_booker(tmp_path) as running:
        yield running


@pytest.mark.parametrize("language", ["en", "pt-BR", "es"])
async def test_install_with_clicks_in_each_language(
    booker: OAuthBooker, chromium: Any, language: str
) -> None:
    texts = TEXTS[language]
    team = "T0" + re.sub(r"\W", "", language).upper()
    booker.double.oauth.add_workspace(team, f"Team <{language}>")
    context = await chromium.new_context(locale=language)
    page = await context.new_page()

    await page.goto(f"{booker.base_url}/slack/install?team={team}")
    await check_page(page, language, texts["install"], "install")
    link = await tab_to_link(page, texts["link"])
    async with page.expect_navigation(url=re.compile(r"/slack/oauth_redirect")):
        await link.press("Enter")  # Slack's authorize page sends the browser straight back

    await check_page(page, language, texts["installed"], "installed")
    # The workspace name was shown as text, never as markup.
    assert f"Team <{language}>" in await page.locator("main").inner_text()
    assert booker.double.oauth.tokens_of(team)
    await context.close()


@pytest.mark.parametrize("language", ["en", "pt-BR", "es"])
async def test_cancelled_and_error_pages_in_each_language(
    booker: OAuthBooker, chromium: Any, language: str
) -> None:
    texts = TEXTS[language]
    context = await chromium.new_context(locale=language)
    page = await context.new_page()

    booker.double.oauth.decision = "deny"
    await page.goto(f"{booker.base_url}/slack/install")
    async with page.expect_navigation(url=re.compile(r"/slack/oauth_redirect")):
        await page.get_by_role("link", name=texts["link"]).click()
    await check_page(page, language, texts["cancelled"], "cancelled")
    await tab_to_link(page, texts["again"])

    await page.goto(f"{booker.base_url}/slack/oauth_redirect?code=x&state=forged")
    await check_page(page, language, texts["error"], "error")
    await tab_to_link(page, texts["again"])
    async with page.expect_navigation(url=re.compile(r"/slack/install$")):
        await page.get_by_role("link", name=texts["again"]).click()
    assert (await page.locator("h1").inner_text()).strip() == texts["install"]
    await context.close()
