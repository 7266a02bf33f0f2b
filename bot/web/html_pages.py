"""render_page(kind, locale, **params): a small, accessible HTML page in en, pt-BR or es.

Every text comes from the i18n catalogs (keys ``web.*``); the page is the Jinja2 template
``templates/page.html``, autoescaped, so every value put into it — catalog text, parameters, link
addresses — is escaped and nothing a visitor typed into a URL can become markup. Pages are
self-contained (inline CSS, no scripts, no external requests): one ``<main>`` landmark, a
``<h1>``, a paragraph or two and at most one link styled as a button, with a visible focus ring
and text contrast above WCAG AA.

Adding a kind: put a PageKind in PAGES and its keys in all three catalogs.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final, Literal

import jinja2

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog, language_for_locale

Tone = Literal["info", "success", "error"]


@dataclass(frozen=True)
class PageKind:
    """Which catalog keys make a page. ``body`` may hold ``{reason}``: the page's ``reason``
    parameter picks one of ``reasons`` (else ``default_reason``)."""

    title: str
    heading: str
    body: str
    tone: Tone = "info"
    # The link's text; its address is the ``link_url`` parameter. No link without both.
    link: str | None = None
    reasons: frozenset[str] = frozenset()
    default_reason: str = ""
    # Show the raw reason (escaped) as a reference someone can quote to an admin.
    show_reference: bool = False


PAGES: Final[Mapping[str, PageKind]] = MappingProxyType(
    {
        "install": PageKind(
            title="web.install.title",
            heading="web.install.heading",
            body="web.install.body",
            link="web.install.link",
        ),
        "installed": PageKind(
            title="web.installed.title",
            heading="web.installed.heading",
            body="web.installed.body",
            tone="success",
        ),
        "cancelled": PageKind(
            title="web.cancelled.title",
            heading="web.cancelled.heading",
            body="web.cancelled.body",
            link="web.try_again",
        ),
        "error": PageKind(
            title="web.error.title",
            heading="web.error.heading",
            body="web.error.body.{reason}",
            tone="error",
            link="web.try_again",
            reasons=frozenset({"expired", "code", "storage", "generic"}),
            default_reason="generic",
            show_reference=True,
        ),
        # Connect HubSpot (bot/hubspot/connect.py). Their links go back to the connect route.
        "hubspot_connected": PageKind(
            title="web.hubspot.connected.title",
            heading="web.hubspot.connected.heading",
            body="web.hubspot.connected.body",
            tone="success",
        ),
        "hubspot_cancelled": PageKind(
            title="web.hubspot.cancelled.title",
            heading="web.hubspot.cancelled.heading",
            body="web.hubspot.cancelled.body",
            link="web.try_again",
        ),
        "hubspot_error": PageKind(
            title="web.hubspot.error.title",
            heading="web.hubspot.error.heading",
            body="web.hubspot.error.body.{reason}",
            tone="error",
            link="web.try_again",
            reasons=frozenset({"expired", "invalid", "browser", "code", "storage", "generic"}),
            default_reason="generic",
            show_reference=True,
        ),
    }
)

# Sent with every page: no scripts or outside resources, no URL (with its state) in Referer.
PAGE_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
)

_TONE_COLOURS: Final[Mapping[Tone, str]] = MappingProxyType(
    # Each at least 7:1 against the white page.
    {"info": "#1d1c1d", "success": "#0b5a2a", "error": "#8a1c13"}
)

# Autoescaping: every value put into a page is escaped, whatever its source.
_TEMPLATES: Final = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.web", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


@lru_cache(maxsize=1)
def _catalog() -> Catalog:
    return Catalog.load()


def language_from_accept_language(header: str | None) -> str:
    """The best of "en" | "pt" | "es" for a browser's Accept-Language (q-values honoured)."""
    if not header:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def _language(locale: str) -> str:
    """Accept "pt-BR", "pt", "es-419", "en" alike."""
    return language_for_locale(locale)


def render_page(kind: str, locale: str, **params: object) -> str:
    """The page ``kind`` (a key of PAGES) in the language of ``locale``.

    ``params`` fill the catalog texts' ``{placeholders}`` (missing ones read as empty);
    ``link_url`` is the address of the page's link; ``reason`` picks an error text and
    ``reference`` (default: the reason) is shown for someone to quote.
    """
    page = PAGES[kind]
    language = _language(locale)
    translator = _catalog().for_language(language)
    lang_attribute = LANGUAGES[language][0]

    reason = str(params.get("reason") or "")
    body_reason = reason if reason in page.reasons else page.default_reason
    body_key = page.body.format(reason=body_reason)

    values = _Defaulting({name: str(value) for name, value in params.items()})

    def text(key: str) -> str:
        return translator.messages[key].format_map(values)

    reference_text = str(params.get("reference") or reason)
    reference = (
        translator.messages["web.reference"].format_map(
            _Defaulting({"reference": reference_text[:80]})
        )
        if page.show_reference and reference_text
        else ""
    )
    link_url = str(params.get("link_url") or "")
    show_link = bool(page.link and link_url and _safe_link(link_url))
    return _TEMPLATES.get_template("page.html").render(
        lang=lang_attribute,
        kind=kind,
        colour=_TONE_COLOURS[page.tone],
        title=text(page.title),
        heading=text(page.heading),
        body=text(body_key),
        reference=reference,
        link_url=link_url if show_link else "",
        link_text=text(page.link) if show_link and page.link else "",
    )


def _safe_link(url: str) -> bool:
    """Only web addresses (absolute or relative) become links: never javascript: or data:."""
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return scheme in ("", "http", "https")


class _Defaulting(dict[str, str]):
    """format_map source that reads a missing placeholder as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


__all__ = [
    "PAGES",
    "PAGE_HEADERS",
    "PageKind",
    "language_from_accept_language",
    "render_page",
]
