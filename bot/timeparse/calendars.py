"""Holidays of the Hebrew, Islamic, Chinese and Hindu calendars, as Gregorian dates (read-only).

The Hebrew calendar is arithmetic, so it is computed for any year. The others follow the moon as
observed or as published by an authority, so they come from small tables (see holidays.py for the
spans and sources); outside a table the answer is None, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

# Rata Die (date.toordinal) of the day before 1 Tishrei AM 1.
_HEBREW_EPOCH = -1373427
_PARTS_PER_DAY = 25920


def _hebrew_elapsed_days(hebrew_year: int) -> int:
    months_elapsed = (235 * hebrew_year - 234) // 19
    parts_elapsed = 12084 + 13753 * months_elapsed
    day = 29 * months_elapsed + parts_elapsed // _PARTS_PER_DAY
    # Rosh Hashanah never falls on Sunday, Wednesday or Friday (lo ADU rosh).
    return day + 1 if (3 * (day + 1)) % 7 < 3 else day


def _hebrew_year_length_correction(hebrew_year: int) -> int:
    before = _hebrew_elapsed_days(hebrew_year - 1)
    this = _hebrew_elapsed_days(hebrew_year)
    after = _hebrew_elapsed_days(hebrew_year + 1)
    if after - this == 356:
        return 2
    if this - before == 382:
        return 1
    return 0


def rosh_hashanah(year: int) -> date:
    """1 Tishrei of the Hebrew year that starts in the Gregorian `year`."""
    hebrew_year = year + 3761
    ordinal = (
        _HEBREW_EPOCH
        + _hebrew_elapsed_days(hebrew_year)
        + _hebrew_year_length_correction(hebrew_year)
    )
    return date.fromordinal(ordinal)


def _is_hebrew_leap_year(hebrew_year: int) -> bool:
    return (7 * hebrew_year + 1) % 19 < 7


def _passover(year: int) -> date:
    # Nisan to Elul have fixed lengths: 15 Nisan is always 163 days before the next 1 Tishrei.
    return rosh_hashanah(year) - timedelta(days=163)


def _hanukkah(year: int) -> date:
    new_year = rosh_hashanah(year)
    year_length = (rosh_hashanah(year + 1) - new_year).days
    cheshvan = 30 if year_length % 10 == 5 else 29  # a "complete" year (355/385 days)
    return new_year + timedelta(days=30 + cheshvan + 24)


def _purim(year: int) -> date:
    return _passover(year) - timedelta(days=30)


def _tu_bishvat(year: int) -> date:
    leap = _is_hebrew_leap_year(year + 3760)
    return _purim(year) - timedelta(days=59 if leap else 29)


def _moved_off(day: date, moves: Mapping[int, int]) -> date:
    """Israel's civil days move off some weekdays (weekday -> days to add)."""
    return day + timedelta(days=moves.get(day.weekday(), 0))


def _yom_hashoah(year: int) -> date:
    return _moved_off(_passover(year) + timedelta(days=12), {4: -1, 6: 1})


def _yom_haatzmaut(year: int) -> date:
    # Moved off Friday/Saturday since 1951 and off Monday (Sunday-night ceremonies) since 2004.
    moves = {4: -1, 5: -2, 0: 1} if year >= 2004 else {4: -1, 5: -2}
    return _moved_off(_passover(year) + timedelta(days=20), moves)


def _tisha_bav(year: int) -> date:
    return _moved_off(_passover(year) + timedelta(days=112), {5: 1})


def _from(rule: Callable[[int], date], days: int) -> Callable[[int], date]:
    return lambda year: rule(year) + timedelta(days=days)


HEBREW_HOLIDAYS: Mapping[str, Callable[[int], date | None]] = MappingProxyType(
    {
        **dict.fromkeys(["rosh hashanah", "rosh hashana", "jewish new year"], rosh_hashanah),
        **dict.fromkeys(["yom kippur", "day of atonement"], _from(rosh_hashanah, 9)),
        **dict.fromkeys(["sukkot", "succot", "feast of tabernacles"], _from(rosh_hashanah, 14)),
        **dict.fromkeys(["shemini atzeret"], _from(rosh_hashanah, 21)),
        **dict.fromkeys(["simchat torah", "simhat torah"], _from(rosh_hashanah, 22)),
        **dict.fromkeys(["hanukkah", "chanukah", "hanukah", "chanukkah"], _hanukkah),
        **dict.fromkeys(["tu bishvat", "tu bshevat", "tu b shvat"], _tu_bishvat),
        **dict.fromkeys(["purim"], _purim),
        **dict.fromkeys(["shushan purim"], _from(_purim, 1)),
        **dict.fromkeys(["passover", "pesach", "pessah"], _passover),
        **dict.fromkeys(
            ["yom hashoah", "holocaust day", "holocaust remembrance day"], _yom_hashoah
        ),
        **dict.fromkeys(["yom haatzmaut", "israel independence day"], _yom_haatzmaut),
        **dict.fromkeys(
            ["lag baomer", "lag bomer", "lag ba omer", "lag b omer"], _from(_passover, 33)
        ),
        **dict.fromkeys(["shavuot", "shavuos"], _from(_passover, 50)),
        **dict.fromkeys(["tisha bav", "tisha b av"], _tisha_bav),
    }
)

# Umm al-Qura calendar: Hijri year -> (Gregorian date of 1 Muharram, month lengths, 1 = 30 days).
_UMM_AL_QURA: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        1420: ("1999-04-17", "010010111101"),
        1421: ("2000-04-06", "001000111101"),
        1422: ("2001-03-26", "100100011101"),
        1423: ("2002-03-15", "101010010101"),
        1424: ("2003-03-04", "101101001010"),
        1425: ("2004-02-21", "101101011010"),
        1426: ("2005-02-10", "010101101101"),
        1427: ("2006-01-31", "001010110110"),
        1428: ("2007-01-20", "100100111011"),
        1429: ("2008-01-10", "010010011011"),
        1430: ("2008-12-29", "011001010101"),
        1431: ("2009-12-18", "011010101001"),
        1432: ("2010-12-07", "011101010100"),
        1433: ("2011-11-26", "101101101010"),
        1434: ("2012-11-15", "010101101100"),
        1435: ("2013-11-04", "101010101101"),
        1436: ("2014-10-25", "010101010101"),
        1437: ("2015-10-14", "101100101001"),
        1438: ("2016-10-02", "101110010010"),
        1439: ("2017-09-21", "101110101001"),
        1440: ("2018-09-11", "010111010100"),
        1441: ("2019-08-31", "101011011010"),
        1442: ("2020-08-20", "010101011010"),
        1443: ("2021-08-09", "101010101011"),
        1444: ("2022-07-30", "010110010101"),
        1445: ("2023-07-19", "011101001001"),
        1446: ("2024-07-07", "011101100100"),
        1447: ("2025-06-26", "101110101010"),
        1448: ("2026-06-16", "010110110101"),
        1449: ("2027-06-06", "001010110110"),
        1450: ("2028-05-25", "101001010110"),
        1451: ("2029-05-14", "110100101010"),
        1452: ("2030-05-03", "111010010101"),
        1453: ("2031-04-23", "011100101010"),
        1454: ("2032-04-11", "011101010101"),
        1455: ("2033-04-01", "001101011010"),
        1456: ("2034-03-21", "100101011101"),
        1457: ("2035-03-11", "010010011011"),
        1458: ("2036-02-28", "101001001101"),
        1459: ("2037-02-16", "110100100110"),
        1460: ("2038-02-05", "110101010011"),
        1461: ("2039-01-26", "010110101010"),
        1462: ("2040-01-15", "101010101101"),
        1463: ("2041-01-04", "010010110110"),
        1464: ("2041-12-24", "101001010111"),
        1465: ("2042-12-14", "010100100111"),
        1466: ("2043-12-03", "101010010101"),
        1467: ("2044-11-21", "101101001010"),
        1468: ("2045-11-10", "101101010101"),
        1469: ("2046-10-31", "001101101100"),
        1470: ("2047-10-20", "100110101110"),
        1471: ("2048-10-09", "010010110110"),
        1472: ("2049-09-28", "101010010110"),
    }
)
_MUHARRAM, _RABI_AL_AWWAL, _RAJAB, _RAMADAN, _SHAWWAL, _DHU_AL_HIJJAH = 1, 3, 7, 9, 10, 12


def _hijri_to_gregorian(hijri_year: int, month: int, day: int) -> date | None:
    entry = _UMM_AL_QURA.get(hijri_year)
    if entry is None:
        return None
    first_of_year, lengths = entry
    days = sum(30 if flag == "1" else 29 for flag in lengths[: month - 1]) + day - 1
    return date.fromisoformat(first_of_year) + timedelta(days=days)


def _hijri_day(month: int, day: int) -> Callable[[int], date | None]:
    """The first time Hijri `month`/`day` falls in the Gregorian `year`."""

    def rule(year: int) -> date | None:
        # The Hijri year is 11 days shorter: Gregorian year Y holds parts of AH (Y-579)..(Y-578).
        for hijri_year in (year - 580, year - 579, year - 578):
            found = _hijri_to_gregorian(hijri_year, month, day)
            if found is not None and found.year == year:
                return found
        return None

    return rule


def _last_friday_of_ramadan(year: int) -> date | None:
    eid = _hijri_day(_SHAWWAL, 1)(year)
    if eid is None:
        return None
    day_before = eid - timedelta(days=1)
    return day_before - timedelta(days=(day_before.weekday() - 4) % 7)


ISLAMIC_HOLIDAYS: Mapping[str, Callable[[int], date | None]] = MappingProxyType(
    {
        **dict.fromkeys(
            ["islamic new year", "hijri new year", "amun jadid", "muharram"],
            _hijri_day(_MUHARRAM, 1),
        ),
        **dict.fromkeys(["ashura", "day of ashura"], _hijri_day(_MUHARRAM, 10)),
        **dict.fromkeys(
            ["mawlid", "mawlid al nabawi", "mawlid an nabi", "milad un nabi", "prophets birthday"],
            _hijri_day(_RABI_AL_AWWAL, 12),
        ),
        **dict.fromkeys(
            [
                "isra and miraj",
                "isra and mi raj",
                "isra miraj",
                "the prophets ascension",
                "the night journey",
            ],
            _hijri_day(_RAJAB, 27),
        ),
        **dict.fromkeys(["ramadan", "ramadhan", "ramzan"], _hijri_day(_RAMADAN, 1)),
        **dict.fromkeys(
            [
                "laylat al qadr",
                "laylat al kadr",
                "lailat al qadr",
                "night of power",
                "night of measures",
            ],
            _hijri_day(_RAMADAN, 27),
        ),
        **dict.fromkeys(
            ["jumuatul wida", "jamat ul vida", "jumu atul wida", "jummat ul vida"],
            _last_friday_of_ramadan,
        ),
        **dict.fromkeys(
            ["eid al fitr", "eid ul fitr", "id ul fitr", "eid", "feast of breaking the fast"],
            _hijri_day(_SHAWWAL, 1),
        ),
        **dict.fromkeys(["day of arafah", "arafat day"], _hijri_day(_DHU_AL_HIJJAH, 9)),
        **dict.fromkeys(
            [
                "eid al adha",
                "eid ul adha",
                "id ul adha",
                "bakr id",
                "bakrid",
                "sacrifice feast",
                "feast of the sacrifice",
                "kurban bayram",
            ],
            _hijri_day(_DHU_AL_HIJJAH, 10),
        ),
    }
)


def _table(dates: str) -> Callable[[int], date | None]:
    by_year = {int(text[:4]): date.fromisoformat(text) for text in dates.split()}
    return lambda year: by_year.get(year)


_CHINESE_NEW_YEAR = _table(
    """
    2000-02-05 2001-01-24 2002-02-12 2003-02-01 2004-01-22 2005-02-09 2006-01-29 2007-02-18
    2008-02-07 2009-01-26 2010-02-14 2011-02-03 2012-01-23 2013-02-10 2014-01-31 2015-02-19
    2016-02-08 2017-01-28 2018-02-16 2019-02-05 2020-01-25 2021-02-12 2022-02-01 2023-01-22
    2024-02-10 2025-01-29 2026-02-17 2027-02-06 2028-01-26 2029-02-13 2030-02-03 2031-01-23
    2032-02-11 2033-01-31 2034-02-19 2035-02-08 2036-01-28 2037-02-15 2038-02-04 2039-01-24
    2040-02-12
    """
)
_DIWALI = _table(
    """
    2000-10-26 2001-11-14 2002-11-04 2003-10-25 2004-11-12 2005-11-01 2006-10-21 2007-11-09
    2008-10-28 2009-10-17 2010-11-05 2011-10-26 2012-11-13 2013-11-03 2014-10-23 2015-11-11
    2016-10-30 2017-10-19 2018-11-07 2019-10-27 2020-11-14 2021-11-04 2022-10-24 2023-11-12
    2024-10-31 2025-10-20 2026-11-08 2027-10-29 2028-10-17 2029-11-05 2030-10-26
    """
)
_HOLI = _table(
    """
    2015-03-06 2016-03-24 2017-03-13 2018-03-02 2019-03-21 2020-03-10 2021-03-29 2022-03-18
    2023-03-08 2024-03-25 2025-03-14 2026-03-04
    """
)


def _shifted(rule: Callable[[int], date | None], days: int) -> Callable[[int], date | None]:
    def shifted(year: int) -> date | None:
        found = rule(year)
        return None if found is None else found + timedelta(days=days)

    return shifted


LUNAR_HOLIDAYS: Mapping[str, Callable[[int], date | None]] = MappingProxyType(
    {
        **dict.fromkeys(
            [
                "chinese new year",
                "chinese new years",
                "chinese new years day",
                "chinese lunar new year",
                "chinese lunar new years day",
                "lunar new year",
                "lunar new years day",
                "spring festival",
            ],
            _CHINESE_NEW_YEAR,
        ),
        **dict.fromkeys(["diwali", "deepavali", "divali", "lakshmi puja"], _DIWALI),
        **dict.fromkeys(["holi", "dhulandi", "phagwah", "dhuleti"], _HOLI),
        **dict.fromkeys(["holika dahan", "chhoti holi", "choti holi"], _shifted(_HOLI, -1)),
    }
)
