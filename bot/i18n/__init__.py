"""Message catalogs (en, pt-BR, es) and the Translator that picks one from a Slack locale.

Load the catalogs once at start-up with `Catalog.load()` and pass the Catalog around; ask it
for a Translator per person with `catalog.for_locale(user_locale)`.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from types import MappingProxyType

from bot.i18n.formatting import format_day, format_slot, format_time, format_when
from bot.i18n.zones import zone_city, zone_label, zone_options

# language code -> (catalog file stem, locale used for formatting)
LANGUAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"en": ("en", "en-US"), "pt": ("pt-BR", "pt-BR"), "es": ("es", "es-ES")}
)
DEFAULT_LANGUAGE = "en"


def language_for_locale(slack_locale: str | None) -> str:
    """Slack's `locale` ("pt-BR", "es-LA", "en-GB", …) -> "en" | "pt" | "es"."""
    if not slack_locale:
        return DEFAULT_LANGUAGE
    primary = slack_locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a message template expects."""
    return frozenset(
        field for _, field, _, _ in string.Formatter().parse(template) if field is not None
    )


@dataclass(frozen=True)
class Translator:
    """One language's messages plus its date/time formatting."""

    language: str
    locale: str
    messages: Mapping[str, str]

    def t(self, key: str, **params: object) -> str:
        """The message `key` with `params` filled in. Unknown key or missing param: KeyError."""
        return self.messages[key].format(**params)

    def format_when(
        self, start: datetime, end: datetime, tz_name: str, *, now: datetime | None = None
    ) -> str:
        return format_when(start, end, tz_name, self.language, now=now)

    def format_day(self, day: date, *, with_year: bool = False) -> str:
        return format_day(day, self.language, with_year=with_year)

    def format_time(self, moment: datetime, tz_name: str) -> str:
        return format_time(moment, tz_name, self.language)

    def format_slot(self, moment: datetime, tz_name: str) -> str:
        return format_slot(moment, tz_name, self.language)

    def zone_label(self, tz_name: str, moment: datetime) -> str:
        """ "São Paulo (UTC−3)": CLDR's city in this language, offset on `moment`'s date."""
        return zone_label(tz_name, self.language, moment)

    def zone_options(self, zones: tuple[str, ...], moment: datetime) -> tuple[tuple[str, str], ...]:
        """(zone, label) west to east by the offset at `moment`, labels as `zone_label`."""
        return zone_options(zones, self.language, moment)

    def zone_city(self, tz_name: str) -> str:
        """ "Nova York": CLDR's exemplar city in this language."""
        return zone_city(tz_name, self.language)

    def format_duration(self, minutes: int) -> str:
        """ "30 min", "1 h", "1 h 30 min"."""
        hours, rest = divmod(int(minutes), 60)
        if hours == 0:
            return self.t("duration.minutes", minutes=rest)
        if rest == 0:
            return self.t("duration.hours", hours=hours)
        return self.t("duration.hours_minutes", hours=hours, minutes=rest)


@dataclass(frozen=True)
class Catalog:
    """All languages' messages, keyed by language code ("en", "pt", "es")."""

    messages_by_language: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls) -> Catalog:
        """Read en.json, pt-BR.json and es.json shipped with the package."""
        package_files = resources.files(__package__ or "bot.i18n")
        loaded: dict[str, Mapping[str, str]] = {}
        for language, (stem, _) in LANGUAGES.items():
            raw = json.loads(package_files.joinpath(f"{stem}.json").read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
            ):
                raise ValueError(f"bot/i18n/{stem}.json must be an object of strings")
            loaded[language] = MappingProxyType(dict(raw))
        return cls(MappingProxyType(loaded))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.messages_by_language)

    def for_language(self, language: str) -> Translator:
        messages = self.messages_by_language[language]
        return Translator(language=language, locale=LANGUAGES[language][1], messages=messages)

    def for_locale(self, slack_locale: str | None) -> Translator:
        return self.for_language(language_for_locale(slack_locale))


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Catalog",
    "Translator",
    "language_for_locale",
    "placeholders",
]
