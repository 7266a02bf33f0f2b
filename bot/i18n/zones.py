"""Time zone names people recognise: CLDR's exemplar city in their language plus the UTC
offset on the day in question, e.g. "São Paulo (UTC−3)", "Nova York (UTC−5)",
"Ciudad de México (UTC−6)". Babel reads CLDR; the offset comes from the IANA data (zoneinfo),
so it is right on both sides of a daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import get_timezone_location

# Booker's language code -> the CLDR locale its zone names come from.
CLDR_LOCALES = {"en": "en", "pt": "pt_BR", "es": "es_419"}
MINUS = "\u2212"  # typographic minus, as CLDR writes negative offsets


@lru_cache(maxsize=1024)
def zone_info(zone: str) -> ZoneInfo:
    """`ZoneInfo(zone)`, kept: zoneinfo's own cache holds only a few zones strongly, so a
    select of 75 zones would read each from disk on every render."""
    return ZoneInfo(zone)


@lru_cache(maxsize=4096)
def zone_city(zone: str, language: str) -> str:
    """CLDR's exemplar city for `zone` in `language` ("Nova York"); "UTC" for UTC."""
    if zone.upper() in {"UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z"}:
        return "UTC"
    try:
        tzinfo = zone_info(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")
    locale = Locale.parse(CLDR_LOCALES.get(language, "en"))
    try:
        city = get_timezone_location(tzinfo, locale=locale, return_city=True)
    except (LookupError, ValueError):
        city = ""
    return city or zone.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(zone: str, moment: datetime) -> str:
    """ "UTC−3", "UTC+5:30", "UTC" for `zone` at `moment` (naive = UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    try:
        offset = aware.astimezone(zone_info(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        offset = None
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: str, language: str, moment: datetime) -> str:
    """The zone as people read it on `moment`'s date: "São Paulo (UTC−3)"; plain "UTC"."""
    city = zone_city(zone, language)
    offset = utc_offset(zone, moment)
    if city == "UTC" and offset == "UTC":
        return "UTC"
    return f"{city} ({offset})"


def zone_options(
    zones: tuple[str, ...], language: str, moment: datetime
) -> tuple[tuple[str, str], ...]:
    """(zone, label) for `zones`, west to east by their offset at `moment`, then by label."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    # Offsets change on the hour (or half hour): one answer per half hour serves every render.
    slot = aware.astimezone(UTC).replace(second=0, microsecond=0)
    slot = slot.replace(minute=slot.minute - slot.minute % 30)
    return _zone_options(zones, language, slot)


@lru_cache(maxsize=256)
def _zone_options(
    zones: tuple[str, ...], language: str, slot: datetime
) -> tuple[tuple[str, str], ...]:
    def offset(zone: str) -> float:
        value = slot.astimezone(zone_info(zone)).utcoffset()
        return value.total_seconds() if value is not None else 0.0

    labelled = [(offset(zone), zone_label(zone, language, slot), zone) for zone in zones]
    return tuple((zone, label) for _, label, zone in sorted(labelled))
