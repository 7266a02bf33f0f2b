"""Dates, times and durations written the way each language writes them.

Month and weekday names are spelled out here (no Babel): three languages do not justify a
dependency, and the exact short forms are part of what people read in the modal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.i18n.zones import zone_label


@dataclass(frozen=True)
class _DateWords:
    weekdays: tuple[str, ...]  # Monday first, like date.weekday()
    months: tuple[str, ...]
    twelve_hour_clock: bool


def _names(space_separated: str) -> tuple[str, ...]:
    return tuple(space_separated.split())


_WORDS: dict[str, _DateWords] = {
    "en": _DateWords(
        weekdays=_names("Mon Tue Wed Thu Fri Sat Sun"),
        months=_names("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
        twelve_hour_clock=True,
    ),
    "pt": _DateWords(
        weekdays=_names("seg. ter. qua. qui. sex. sáb. dom."),
        months=_names("jan. fev. mar. abr. mai. jun. jul. ago. set. out. nov. dez."),
        twelve_hour_clock=False,
    ),
    "es": _DateWords(
        weekdays=_names("lun mar mié jue vie sáb dom"),
        months=_names("ene feb mar abr may jun jul ago sept oct nov dic"),
        twelve_hour_clock=False,
    ),
}

SUPPORTED_FORMAT_LANGUAGES = tuple(_WORDS)


def _words(language: str) -> _DateWords:
    return _WORDS.get(language, _WORDS["en"])


def to_zone(moment: datetime, tz_name: str) -> datetime:
    """`moment` seen in `tz_name`; a naive datetime is taken to be UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(tz_name))


def format_day(day: date, language: str, *, with_year: bool = False) -> str:
    """en "Thu, Dec 3", pt "qui., 3 de dez.", es "jue, 3 dic" (year appended when asked)."""
    words = _words(language)
    weekday = words.weekdays[day.weekday()]
    month = words.months[day.month - 1]
    if language == "pt":
        text = f"{weekday}, {day.day} de {month}"
        return f"{text} de {day.year}" if with_year else text
    if language == "es":
        text = f"{weekday}, {day.day} {month}"
        return f"{text} {day.year}" if with_year else text
    text = f"{weekday}, {month} {day.day}"
    return f"{text}, {day.year}" if with_year else text


def _clock(moment: datetime, language: str, *, with_meridiem: bool = True) -> str:
    if not _words(language).twelve_hour_clock:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    text = f"{hour}:{moment.minute:02d}"
    return f"{text} {_meridiem(moment)}" if with_meridiem else text


def _meridiem(moment: datetime) -> str:
    return "AM" if moment.hour < 12 else "PM"


def format_time(moment: datetime, tz_name: str, language: str) -> str:
    """en "9:30 AM", pt/es "09:30", in `tz_name`."""
    return _clock(to_zone(moment, tz_name), language)


def format_slot(moment: datetime, tz_name: str, language: str) -> str:
    """A short start time for a button: en "Thu, Dec 3 · 9:30 AM", pt "qui., 3 de dez. · 09:30"."""
    local = to_zone(moment, tz_name)
    return f"{format_day(local.date(), language)} · {_clock(local, language)}"


def format_when(
    start: datetime,
    end: datetime,
    tz_name: str,
    language: str,
    *,
    now: datetime | None = None,
) -> str:
    """A meeting's span in `tz_name`, e.g. "Thu, Dec 3 · 9:00–9:30 AM, New York (UTC−5)"
    (the zone as CLDR names it in `language`, with its offset on that day).

    The year is shown only when `now` is given and the meeting falls in another year.
    """
    local_start = to_zone(start, tz_name)
    local_end = to_zone(end, tz_name)
    with_year = now is not None and to_zone(now, tz_name).year != local_start.year
    start_day = format_day(local_start.date(), language, with_year=with_year)
    if local_start.date() != local_end.date():
        end_day = format_day(local_end.date(), language, with_year=with_year)
        span = (
            f"{start_day} · {_clock(local_start, language)} – "
            f"{end_day} · {_clock(local_end, language)}"
        )
    elif _words(language).twelve_hour_clock and _meridiem(local_start) == _meridiem(local_end):
        span = (
            f"{start_day} · {_clock(local_start, language, with_meridiem=False)}"
            f"–{_clock(local_end, language)}"
        )
    else:
        span = f"{start_day} · {_clock(local_start, language)}–{_clock(local_end, language)}"
    return f"{span}, {zone_label(tz_name, language, start)}"
