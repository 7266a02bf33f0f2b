"""Time zones people name in the text ("4pm PST", "16h horário de Brasília", "UTC-3")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo, available_timezones

# Abbreviations with a fixed offset: "EST" is UTC-5 on any date. The "ET"/"PT" family follows
# the US daylight-saving rule of the target date, so those map to an IANA zone instead.
FIXED_ABBREVIATIONS: Mapping[str, int] = MappingProxyType(
    {
        "est": -5 * 60,
        "edt": -4 * 60,
        "cst": -6 * 60,
        "cdt": -5 * 60,
        "mst": -7 * 60,
        "mdt": -6 * 60,
        "pst": -8 * 60,
        "pdt": -7 * 60,
        "gmt": 0,
        "utc": 0,
        "cet": 60,
        "cest": 120,
        "bst": 60,
        "ist": 5 * 60 + 30,
        "brt": -3 * 60,
        "wet": 0,
        "west": 60,
        "art": -3 * 60,
    }
)
RULE_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "et": "America/New_York",
        "ct": "America/Chicago",
        "mt": "America/Denver",
        "pt": "America/Los_Angeles",
        "eastern": "America/New_York",
        "pacific": "America/Los_Angeles",
        "central": "America/Chicago",
        "mountain": "America/Denver",
    }
)
# A fixed "EST" in summer is usually meant as New York's clock: offered as an alternative.
SUMMER_MEANING: Mapping[str, str] = MappingProxyType(
    {
        "est": "America/New_York",
        "cst": "America/Chicago",
        "mst": "America/Denver",
        "pst": "America/Los_Angeles",
    }
)
CITY_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "brasilia": "America/Sao_Paulo",
        "sao paulo": "America/Sao_Paulo",
        "lisboa": "Europe/Lisbon",
        "lisbon": "Europe/Lisbon",
        "portugal": "Europe/Lisbon",
        "madrid": "Europe/Madrid",
        "espana": "Europe/Madrid",
        "new york": "America/New_York",
        "nova york": "America/New_York",
        "nueva york": "America/New_York",
        "london": "Europe/London",
        "londres": "Europe/London",
        "buenos aires": "America/Argentina/Buenos_Aires",
        "mexico": "America/Mexico_City",
        "bogota": "America/Bogota",
        "santiago": "America/Santiago",
        "lima": "America/Lima",
    }
)


@dataclass(frozen=True)
class NamedZone:
    label: str  # what the text said, normalised ("PST", "America/Sao_Paulo", "UTC-03:00")
    zone: tzinfo
    summer_meaning: ZoneInfo | None  # the rule zone people often mean by a fixed abbreviation


class ZoneFinder:
    """Finds one explicit zone in folded (lower-case, accent-free) text."""

    def __init__(self) -> None:
        self._iana_by_folded: Mapping[str, str] = MappingProxyType(
            {name.lower(): name for name in available_timezones()}
        )
        cities = "|".join(sorted(CITY_PHRASES, key=len, reverse=True)).replace(" ", r"\s+")
        abbreviations = "|".join(
            sorted([*FIXED_ABBREVIATIONS, *RULE_ABBREVIATIONS], key=len, reverse=True)
        )
        self._pattern = re.compile(
            r"(?P<iana>\b[a-z]+/[a-z_]+(?:/[a-z_]+)?\b)"
            r"|(?P<offset>\b(?:utc|gmt)\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)"
            r"|(?P<city>(?:\b(?:no\s+|en\s+|in\s+)?(?:horario|hora|time|tiempo)\s+(?:de\s+|of\s+)?"
            rf"|\bde\s+|\bin\s+)(?P<cityname>{cities})\b(?:\s+time)?)"
            rf"|\(?\b(?P<abbr>{abbreviations})\b\)?(?:\s+time)?"
        )

    def pattern_text(self) -> str:
        """The zone words this finder reads (abbreviations, cities), as its pattern."""
        return self._pattern.pattern

    def find(self, folded: str) -> tuple[NamedZone, re.Match[str]] | None:
        for match in self._pattern.finditer(folded):
            named = self._named(match)
            if named is not None:
                return named, match
        return None

    def _named(self, match: re.Match[str]) -> NamedZone | None:
        if match.group("iana"):
            name = self._iana_by_folded.get(match.group("iana"))
            return NamedZone(name, ZoneInfo(name), None) if name else None
        if match.group("offset"):
            sign = -1 if match.group("sign") == "-" else 1
            minutes = int(match.group("hours")) * 60 + int(match.group("minutes") or 0)
            if minutes > 14 * 60:
                return None
            offset = timedelta(minutes=sign * minutes)
            label = f"UTC{match.group('sign')}{minutes // 60:02d}:{minutes % 60:02d}"
            return NamedZone(label, timezone(offset), None)
        if match.group("city"):
            name = CITY_PHRASES[re.sub(r"\s+", " ", match.group("cityname"))]
            return NamedZone(name, ZoneInfo(name), None)
        abbreviation = match.group("abbr")
        if abbreviation in RULE_ABBREVIATIONS:
            name = RULE_ABBREVIATIONS[abbreviation]
            return NamedZone(abbreviation.upper(), ZoneInfo(name), None)
        minutes = FIXED_ABBREVIATIONS[abbreviation]
        summer = SUMMER_MEANING.get(abbreviation)
        return NamedZone(
            abbreviation.upper(),
            timezone(timedelta(minutes=minutes), abbreviation.upper()),
            ZoneInfo(summer) if summer else None,
        )
