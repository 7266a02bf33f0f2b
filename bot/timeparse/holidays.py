"""Named days people book around ("the day after Christmas", "véspera de Natal"), read-only.

Fixed-date days, days computed from a rule (Easter, US Thanksgiving, the Hebrew calendar, which is
fully arithmetic) and small tables for calendars that follow the moon as observed:

- Chinese (lunar) New Year, 2000-2040.
- Islamic days from the Umm al-Qura calendar (Saudi Arabia's official calendar), Hijri years
  1420-1472 (Gregorian 1999-2050). Where the month starts with a moon sighting, a country may keep
  the day one day later.
- Diwali 2000-2030 (India's gazetted date) and Holi 2015-2026.

Every table was written from knowledge of the calendars and checked date by date against published
calendars; a year outside a table gives no date (the text is then unparseable), never a guess.
Jewish days are the daytime civil date of the holiday (they begin at sunset the evening before).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

from bot.timeparse.calendars import HEBREW_HOLIDAYS, ISLAMIC_HOLIDAYS, LUNAR_HOLIDAYS

WESTERN = "western"
ORTHODOX = "orthodox"


def easter(year: int, method: str = WESTERN) -> date:
    """Easter Sunday: the Gregorian computus, or the Julian one (Orthodox) moved to Gregorian."""
    if method == ORTHODOX:
        a, b, c = year % 4, year % 7, year % 19
        d = (19 * c + 15) % 30
        e = (2 * a + 4 * b - d + 34) % 7
        month, day = divmod(d + e + 114, 31)
        julian_to_gregorian = year // 100 - year // 400 - 2
        return date(year, month, day + 1) + timedelta(days=julian_to_gregorian)
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * shift) // 451
    month, day = divmod(h + shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _nth_weekday(month: int, weekday: int, nth: int) -> Callable[[int], date]:
    def rule(year: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))

    return rule


def _from_easter(days: int, method: str = WESTERN) -> Callable[[int], date]:
    return lambda year: easter(year, method) + timedelta(days=days)


def _after_thanksgiving(days: int) -> Callable[[int], date]:
    thanksgiving = _nth_weekday(11, 3, 4)
    return lambda year: thanksgiving(year) + timedelta(days=days)


# Folded names (lower-case, no accents, apostrophes dropped) -> the day in a given year.
def _bosses_day(year: int) -> date:
    """16 October, or the nearest working day when it falls on a weekend."""
    day = date(year, 10, 16)
    return day + timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def _kings_day(year: int) -> date:
    """Koningsdag: 27 April, kept on the 26th when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


# A rule gives None for a year its table does not cover.
HOLIDAYS: Mapping[str, Callable[[int], date | None]] = MappingProxyType(
    {
        **HEBREW_HOLIDAYS,
        **ISLAMIC_HOLIDAYS,
        **LUNAR_HOLIDAYS,
        **dict.fromkeys(
            ["christmas eve", "xmas eve", "vespera de natal", "noite de natal", "nochebuena"],
            _fixed(12, 24),
        ),
        **dict.fromkeys(
            [
                "christmas day",
                "christmas",
                "xmas",
                "natal",
                "dia de natal",
                "navidad",
                "la navidad",
                "dia de navidad",
            ],
            _fixed(12, 25),
        ),
        **dict.fromkeys(["boxing day"], _fixed(12, 26)),
        **dict.fromkeys(
            [
                "new years eve",
                "new year eve",
                "vespera de ano novo",
                "nochevieja",
                "noche vieja",
                "vispera de ano nuevo",
            ],
            _fixed(12, 31),
        ),
        **dict.fromkeys(
            [
                "new years day",
                "new year day",
                "new years",
                "new year",
                "ano novo",
                "dia de ano novo",
                "reveillon",
                "ano nuevo",
                "dia de ano nuevo",
            ],
            _fixed(1, 1),
        ),
        **dict.fromkeys(["halloween"], _fixed(10, 31)),
        **dict.fromkeys(
            [
                "valentines day",
                "valentine day",
                "valentines",
                "dia de san valentin",
                "san valentin",
            ],
            _fixed(2, 14),
        ),
        **dict.fromkeys(
            [
                "st patricks day",
                "saint patricks day",
                "st paddys day",
                "saint paddys day",
                "st patrick day",
                "st patricks",
                "saint patricks",
            ],
            _fixed(3, 17),
        ),
        **dict.fromkeys(["independence day", "4th of july", "fourth of july"], _fixed(7, 4)),
        **dict.fromkeys(["bosss day", "boss day", "bosses day", "boss s day"], _bosses_day),
        **dict.fromkeys(["kings day", "koningsdag", "king s day"], _kings_day),
        **dict.fromkeys(["dia do trabalho", "dia del trabajo", "labour day may"], _fixed(5, 1)),
        **dict.fromkeys(["tiradentes"], _fixed(4, 21)),
        **dict.fromkeys(["dia da independencia"], _fixed(9, 7)),
        **dict.fromkeys(["thanksgiving day", "thanksgiving"], _nth_weekday(11, 3, 4)),
        **dict.fromkeys(["black friday"], _after_thanksgiving(1)),
        **dict.fromkeys(["cyber monday"], _after_thanksgiving(4)),
        **dict.fromkeys(
            [
                "martin luther king day",
                "martin luther kings day",
                "mlk day",
                "mlk jr day",
                "martin luther king jr day",
                "mlk",
                "civil rights day",
            ],
            _nth_weekday(1, 0, 3),
        ),
        **dict.fromkeys(["memorial day"], lambda year: _last_weekday(year, 5, 0)),
        **dict.fromkeys(["labor day"], _nth_weekday(9, 0, 1)),
        **dict.fromkeys(["mothers day"], _nth_weekday(5, 6, 2)),
        **dict.fromkeys(
            [
                "easter sunday",
                "easter",
                "pascoa",
                "domingo de pascoa",
                "pascua",
                "domingo de pascua",
            ],
            _from_easter(0),
        ),
        **dict.fromkeys(["easter monday", "easter mon"], _from_easter(1)),
        **dict.fromkeys(
            ["good friday", "sexta feira santa", "sexta santa", "viernes santo"],
            _from_easter(-2),
        ),
        **dict.fromkeys(
            ["maundy thursday", "holy thursday", "covenant thursday", "jueves santo"],
            _from_easter(-3),
        ),
        **dict.fromkeys(["palm sunday", "branch sunday", "domingo de ramos"], _from_easter(-7)),
        **dict.fromkeys(
            ["mardi gras", "shrove tuesday", "pancake day", "carnaval", "carnival"],
            _from_easter(-47),
        ),
        **dict.fromkeys(["ash wednesday", "quarta feira de cinzas"], _from_easter(-46)),
        **dict.fromkeys(["ascension day", "ascension"], _from_easter(39)),
        **dict.fromkeys(["pentecost", "whit sunday", "white sunday"], _from_easter(49)),
        **dict.fromkeys(["whit monday", "monday of the holy spirit"], _from_easter(50)),
        **dict.fromkeys(["trinity sunday"], _from_easter(56)),
        **dict.fromkeys(["corpus christi"], _from_easter(60)),
        **dict.fromkeys(["orthodox easter", "orthodox easter sunday"], _from_easter(0, ORTHODOX)),
        **dict.fromkeys(
            ["orthodox good friday", "orthodox great friday"], _from_easter(-2, ORTHODOX)
        ),
        **dict.fromkeys(
            ["clean monday", "orthodox shrove monday", "pure monday"],
            _from_easter(-48, ORTHODOX),
        ),
        **dict.fromkeys(["lazarus saturday"], _from_easter(-8, ORTHODOX)),
    }
)


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)
