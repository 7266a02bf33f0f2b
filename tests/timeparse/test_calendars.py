"""Holidays of the Hebrew, Islamic, Chinese and Hindu calendars, and holiday phrasing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.timeparse import ParseError, TimeParser
from bot.timeparse.calendars import rosh_hashanah

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK)


def day_named(parser: TimeParser, text: str, now: datetime = NOW) -> date | None:
    result = parser.parse(text, now=now, tz=NEW_YORK, locale="en-US", allow_past=True)
    assert result.error is ParseError.DATE_ONLY, (text, result)
    return result.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hebrew calendar, computed: the daytime civil date of the holiday.
        ("rosh hashanah 2018", date(2018, 9, 10)),
        ("rosh hashana 2025", date(2025, 9, 23)),
        ("yom kippur 2018", date(2018, 9, 19)),
        ("yom kippur 2024", date(2024, 10, 12)),
        ("passover 2024", date(2024, 4, 23)),
        ("pesach 2019", date(2019, 4, 20)),
        ("hanukkah 2018", date(2018, 12, 3)),
        ("chanukah 2023", date(2023, 12, 8)),
        ("purim 2013", date(2013, 2, 24)),
        ("shavuot 2020", date(2020, 5, 29)),
        ("tu bishvat 2018", date(2018, 1, 31)),
        ("tisha b'av 2018", date(2018, 7, 22)),  # 9 Av on a Saturday: the fast is on Sunday
        ("yom haatzmaut 2018", date(2018, 4, 19)),  # 5 Iyar on a Friday: kept on Thursday
        ("lag b'omer 2017", date(2017, 5, 14)),
        # Islamic days, Umm al-Qura calendar.
        ("eid al-fitr 2018", date(2018, 6, 15)),
        ("Eid al-Fitr 2023", date(2023, 4, 21)),
        ("eid al-adha 2018", date(2018, 8, 21)),
        ("Bakr Id 2024", date(2024, 6, 16)),
        ("islamic new year 2018", date(2018, 9, 11)),
        ("ramadan 2025", date(2025, 3, 1)),
        ("jumu'atul-wida 2018", date(2018, 6, 8)),  # the last Friday of Ramadan
        ("isra and mi'raj 2018", date(2018, 4, 13)),
        # Chinese New Year, Diwali, Holi: tables.
        ("chinese new year 2014", date(2014, 1, 31)),
        ("lunar new year 2024", date(2024, 2, 10)),
        ("chinese new year's day 2018", date(2018, 2, 16)),
        ("diwali 2019", date(2019, 10, 27)),
        ("Deepavali in 2023", date(2023, 11, 12)),
        ("holi 2019", date(2019, 3, 21)),
        ("holika dahan 2019", date(2019, 3, 20)),
        # Rules with a weekend shift.
        ("boss's day 2021", date(2021, 10, 15)),
        ("boss's day 2016", date(2016, 10, 17)),
        ("koningsdag 2014", date(2014, 4, 26)),
        ("koningsdag 2018", date(2018, 4, 27)),
    ],
)
def test_holiday_of_a_given_year(time_parser: TimeParser, text: str, expected: date) -> None:
    assert day_named(time_parser, text) == expected


def test_bare_lunar_holiday_means_the_next_one(time_parser: TimeParser) -> None:
    # Chinese New Year 2026 (17 Feb) has passed on 26 Nov 2026: the next is 6 Feb 2027.
    assert day_named(time_parser, "chinese new year") == date(2027, 2, 6)
    assert day_named(time_parser, "last chinese new year") == date(2026, 2, 17)
    assert day_named(time_parser, "hanukkah") == date(2026, 12, 5)


def test_holiday_shifted_by_years_is_the_first_one_on_or_after(time_parser: TimeParser) -> None:
    assert day_named(time_parser, "thanksgiving in 3 years") == date(2029, 11, 22)
    assert day_named(time_parser, "thanksgiving 1 year ago") == date(2025, 11, 27)
    assert day_named(time_parser, "diwali two years from now") == date(2029, 11, 5)


def test_year_outside_a_table_is_unparseable_not_a_guess(time_parser: TimeParser) -> None:
    for text in ("chinese new year 1990", "eid al-fitr 1975", "diwali 2045"):
        result = time_parser.parse(text, now=NOW, tz=NEW_YORK, locale="en-US", allow_past=True)
        assert result.error is ParseError.UNPARSEABLE, text


def test_holiday_with_a_time_books_that_time(time_parser: TimeParser) -> None:
    result = time_parser.parse("diwali 2027 at 3pm", now=NOW, tz=NEW_YORK, locale="en-US")
    assert result.start == datetime(2027, 10, 29, 15, 0, tzinfo=NEW_YORK)


def test_rosh_hashanah_never_on_sunday_wednesday_or_friday() -> None:
    assert {rosh_hashanah(year).weekday() for year in range(1900, 2100)} <= {0, 1, 3, 5}
