"""Small HTML pages a person sees in a browser: install, installed, cancelled, error (and H6's
HubSpot results). Bolt-free; bot/app.py and bot/server.py serve them."""

from bot.web.html_pages import (
    PAGE_HEADERS,
    PAGES,
    PageKind,
    language_from_accept_language,
    render_page,
)

__all__ = [
    "PAGES",
    "PAGE_HEADERS",
    "PageKind",
    "language_from_accept_language",
    "render_page",
]
