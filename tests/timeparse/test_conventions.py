"""Each convention of issue 3, pinned on its own (the corpus test covers the many phrasings)."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.timeparse import ParseError, ParseResult, TimeParser, parse_when, warm_up

NEW_YORK = ZoneInfo("America/New_York")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
MADRID = ZoneInfo("Europe/Madrid")
# Thursday 26 November 2026, 10:00 in New York (-05:00) and in São Paulo (-03:00).
THURSDAY_NY = datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK)
THURSDAY_SP = datetime(2026, 11, 26, 10, 0, tzinfo=SAO_PAULO)
MONDAY_MADRID = datetime(2026, 3, 2, 16, 30, tzinfo=MADRID)


@functools.cache
def _shared_parser() -> TimeParser:
    """Hypothesis tests cannot take function-scoped fixtures; one warm parser for them."""
    return warm_up()


def read(
    parser: TimeParser, text: str, now: datetime = THURSDAY_NY, locale: str = "en-US"
) -> ParseResult:
    assert now.tzinfo is not None
    return parser.parse(text, now=now, tz=now.tzinfo, locale=locale)


def start_of(
    parser: TimeParser, text: str, now: datetime = THURSDAY_NY, locale: str = "en-US"
) -> str:
    result = read(parser, text, now, locale)
    assert result.error is None and result.start is not None, (text, result)
    return result.start.isoformat()


# --- prefer the future ---------------------------------------------------------------------
def test_a_bare_time_already_past_today_means_tomorrow(time_parser: TimeParser) -> None:
    assert start_of(time_parser, "9am") == "2026-11-27T09:00:00-05:00"
    assert start_of(time_parser, "3pm") == "2026-11-26T15:00:00-05:00"


@pytest.mark.parametrize(
    ("text", "now", "locale"),
    [
        ("now", THURSDAY_NY, "en-US"),
        ("agora", THURSDAY_SP, "pt-BR"),
        ("ahora", MONDAY_MADRID, "es-ES"),
    ],
)
def test_now_words_mean_now(time_parser: TimeParser, text: str, now: datetime, locale: str) -> None:
    assert start_of(time_parser, text, now, locale) == now.isoformat()


# --- weekdays ---------------------------------------------------------------------------------
def test_a_weekday_alone_is_the_next_such_day_and_today_means_next_week(
    time_parser: TimeParser,
) -> None:
    assert start_of(time_parser, "friday 2pm") == "2026-11-27T14:00:00-05:00"
    assert start_of(time_parser, "thursday 2pm") == "2026-12-03T14:00:00-05:00"


def test_this_friday_is_the_coming_friday(time_parser: TimeParser) -> None:
    assert start_of(time_parser, "this friday 2pm") == "2026-11-27T14:00:00-05:00"


def test_english_next_weekday_is_that_day_of_next_calendar_week_with_the_other_reading(
    time_parser: TimeParser,
) -> None:
    result = read(time_parser, "next friday 2pm")
    assert result.start is not None
    assert result.start.isoformat() == "2026-12-04T14:00:00-05:00"
    assert [alt.isoformat() for alt in result.alternatives] == ["2026-11-27T14:00:00-05:00"]


@pytest.mark.parametrize(
    ("text", "now", "locale", "expected", "other"),
    [
        (
            "próxima sexta às 14h",
            THURSDAY_SP,
            "pt-BR",
            "2026-11-27T14:00:00-03:00",
            "2026-12-04T14:00:00-03:00",
        ),
        (
            "sexta que vem às 14h",
            THURSDAY_SP,
            "pt-BR",
            "2026-11-27T14:00:00-03:00",
            "2026-12-04T14:00:00-03:00",
        ),
        (
            "el próximo miércoles a las 10",
            MONDAY_MADRID,
            "es-ES",
            "2026-03-04T10:00:00+01:00",
            "2026-03-11T10:00:00+01:00",
        ),
    ],
)
def test_portuguese_and_spanish_next_weekday_is_the_coming_one_with_the_other_reading(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected: str, other: str
) -> None:
    result = read(time_parser, text, now, locale)
    assert result.start is not None and result.start.isoformat() == expected
    assert other in [alt.isoformat() for alt in result.alternatives]


@pytest.mark.parametrize(
    ("text", "now", "locale", "expected"),
    [
        ("next week tuesday 3pm", THURSDAY_NY, "en-US", "2026-12-01T15:00:00-05:00"),
        ("semana que vem na terça às 15h", THURSDAY_SP, "pt-BR", "2026-12-01T15:00:00-03:00"),
        (
            "la semana que viene el martes a las 3",
            MONDAY_MADRID,
            "es-ES",
            "2026-03-10T15:00:00+01:00",
        ),
    ],
)
def test_weekday_of_next_week(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected: str
) -> None:
    assert start_of(time_parser, text, now, locale) == expected


# --- parts of the day -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "now", "locale", "hour"),
    [
        ("tomorrow morning", THURSDAY_NY, "en-US", 9),
        ("amanhã de manhã", THURSDAY_SP, "pt-BR", 9),
        ("mañana por la mañana", MONDAY_MADRID, "es-ES", 9),
        ("tomorrow afternoon", THURSDAY_NY, "en-US", 14),
        ("amanhã à tarde", THURSDAY_SP, "pt-BR", 14),
        ("mañana por la tarde", MONDAY_MADRID, "es-ES", 14),
        ("tomorrow evening", THURSDAY_NY, "en-US", 18),
        ("tomorrow night", THURSDAY_NY, "en-US", 20),
        ("amanhã à noite", THURSDAY_SP, "pt-BR", 20),
        ("mañana por la noche", MONDAY_MADRID, "es-ES", 20),
        ("tomorrow at noon", THURSDAY_NY, "en-US", 12),
        ("amanhã ao meio dia", THURSDAY_SP, "pt-BR", 12),
        ("mañana al mediodía", MONDAY_MADRID, "es-ES", 12),
        ("tomorrow EOD", THURSDAY_NY, "en-US", 17),
        ("COB tomorrow", THURSDAY_NY, "en-US", 17),
        ("end of business tomorrow", THURSDAY_NY, "en-US", 17),
        ("final do expediente de amanhã", THURSDAY_SP, "pt-BR", 17),
        ("mañana a fin del día", MONDAY_MADRID, "es-ES", 17),
        ("amanhã às 8 da noite", THURSDAY_SP, "pt-BR", 20),
        ("mañana a las 3 de la tarde", MONDAY_MADRID, "es-ES", 15),
        ("tomorrow at 7 in the evening", THURSDAY_NY, "en-US", 19),
    ],
)
def test_parts_of_the_day(
    time_parser: TimeParser, text: str, now: datetime, locale: str, hour: int
) -> None:
    result = read(time_parser, text, now, locale)
    assert result.start is not None, result
    assert (result.start.date(), result.start.hour, result.start.minute) == (
        now.date() + timedelta(days=1),
        hour,
        0,
    )


def test_tonight_is_today_at_eight_pm(time_parser: TimeParser) -> None:
    assert start_of(time_parser, "tonight") == "2026-11-26T20:00:00-05:00"


# --- bare hours -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hour", "expected_hour"),
    [(8, 8), (9, 9), (10, 10), (11, 11), (12, 12), (1, 13), (3, 15), (5, 17), (7, 19)],
)
def test_a_bare_hour_falls_in_business_hours(
    time_parser: TimeParser, hour: int, expected_hour: int
) -> None:
    result = read(time_parser, f"tomorrow at {hour}")
    assert result.start is not None and result.start.hour == expected_hour


def test_a_bare_hour_offers_the_other_half_of_the_day(time_parser: TimeParser) -> None:
    result = read(time_parser, "tomorrow at 8")
    assert [alt.hour for alt in result.alternatives] == [20]


# --- relative ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "now", "locale", "expected"),
    [
        ("in 25 min", THURSDAY_NY, "en-US", "2026-11-26T10:25:00-05:00"),
        ("in 2.5 hours", THURSDAY_NY, "en-US", "2026-11-26T12:30:00-05:00"),
        ("in 4h", THURSDAY_NY, "en-US", "2026-11-26T14:00:00-05:00"),
        ("3 hours from now", THURSDAY_NY, "en-US", "2026-11-26T13:00:00-05:00"),
        ("daqui a 3 horas", THURSDAY_SP, "pt-BR", "2026-11-26T13:00:00-03:00"),
        ("daqui 40 minutos", THURSDAY_SP, "pt-BR", "2026-11-26T10:40:00-03:00"),
        ("em uma hora e meia", THURSDAY_SP, "pt-BR", "2026-11-26T11:30:00-03:00"),
        ("dentro de 2 horas", MONDAY_MADRID, "es-ES", "2026-03-02T18:30:00+01:00"),
        ("en 30 minutos", MONDAY_MADRID, "es-ES", "2026-03-02T17:00:00+01:00"),
        ("in 4 days at 11am", THURSDAY_NY, "en-US", "2026-11-30T11:00:00-05:00"),
        ("in two weeks", THURSDAY_NY, "en-US", "2026-12-10T10:00:00-05:00"),
        (
            "in 7 minutes",
            datetime(2026, 11, 26, 10, 3, 27, tzinfo=NEW_YORK),
            "en-US",
            "2026-11-26T10:10:27-05:00",
        ),
    ],
)
def test_relative_times_are_exact(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected: str
) -> None:
    assert start_of(time_parser, text, now, locale) == expected


# --- numeric dates ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "2026-12-03T10:00:00-05:00"),
        ("en-GB", "2027-03-12T10:00:00-05:00"),
        ("pt-BR", "2027-03-12T10:00:00-05:00"),
        ("es-ES", "2027-03-12T10:00:00-05:00"),
    ],
)
def test_numeric_dates_follow_the_locale(
    time_parser: TimeParser, locale: str, expected: str
) -> None:
    assert start_of(time_parser, "12/3 10am", locale=locale) == expected


def test_an_ambiguous_numeric_date_offers_the_other_order(time_parser: TimeParser) -> None:
    result = read(time_parser, "12/3 10am")
    assert [alt.isoformat() for alt in result.alternatives] == ["2027-03-12T10:00:00-05:00"]


def test_a_date_without_year_that_has_passed_means_next_year(time_parser: TimeParser) -> None:
    assert start_of(time_parser, "11/20 3pm") == "2027-11-20T15:00:00-05:00"
    assert (
        start_of(time_parser, "20/11 às 15h", THURSDAY_SP, "pt-BR") == "2027-11-20T15:00:00-03:00"
    )


def test_iso_8601_with_and_without_offset(time_parser: TimeParser) -> None:
    assert start_of(time_parser, "2026-12-01T10:00:00-03:00") == "2026-12-01T08:00:00-05:00"
    assert start_of(time_parser, "2026-12-01 10:00") == "2026-12-01T10:00:00-05:00"


# --- explicit zones ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected", "zone_label"),
    [
        ("tomorrow 4pm PST", "2026-11-27T19:00:00-05:00", "PST"),
        ("tomorrow 4pm PT", "2026-11-27T19:00:00-05:00", "PT"),
        ("tomorrow 4pm CST", "2026-11-27T17:00:00-05:00", "CST"),
        ("tomorrow 4pm MT", "2026-11-27T18:00:00-05:00", "MT"),
        ("tomorrow 4pm GMT", "2026-11-27T11:00:00-05:00", "GMT"),
        ("tomorrow 4pm UTC+2", "2026-11-27T09:00:00-05:00", "UTC+02:00"),
        ("tomorrow 4pm CET", "2026-11-27T10:00:00-05:00", "CET"),
        ("amanhã 16h BRT", "2026-11-27T14:00:00-05:00", "BRT"),
        ("amanhã 16h horário de Brasília", "2026-11-27T14:00:00-05:00", "America/Sao_Paulo"),
        ("amanhã 16h de Lisboa", "2026-11-27T11:00:00-05:00", "Europe/Lisbon"),
        ("tomorrow 4pm Europe/Madrid", "2026-11-27T10:00:00-05:00", "Europe/Madrid"),
    ],
)
def test_an_explicit_zone_wins_and_the_result_is_in_the_persons_zone(
    time_parser: TimeParser, text: str, expected: str, zone_label: str
) -> None:
    result = read(time_parser, text, locale="pt-BR" if "h" in text.split()[1] else "en-US")
    assert result.start is not None and result.start.isoformat() == expected
    assert result.explicit_zone == zone_label


def test_et_follows_the_us_rule_of_the_target_date(time_parser: TimeParser) -> None:
    lisbon_winter = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    before = start_of(time_parser, "3/6 2pm ET", lisbon_winter)  # EST, -05:00
    after = start_of(time_parser, "3/9 2pm ET", lisbon_winter)  # EDT, -04:00
    assert (before, after) == ("2026-03-06T19:00:00+00:00", "2026-03-09T18:00:00+00:00")


def test_a_fixed_abbreviation_in_summer_offers_the_local_clock_reading(
    time_parser: TimeParser,
) -> None:
    result = read(time_parser, "july 6 2pm EST")
    assert result.start is not None and result.start.isoformat() == "2027-07-06T15:00:00-04:00"
    assert [alt.isoformat() for alt in result.alternatives] == ["2027-07-06T14:00:00-04:00"]


# --- daylight saving --------------------------------------------------------------------------
def test_wall_clock_time_on_the_target_date_with_that_dates_offset(time_parser: TimeParser) -> None:
    friday_before_spring = datetime(2026, 3, 6, 12, 0, tzinfo=NEW_YORK)
    assert start_of(time_parser, "monday 9am", friday_before_spring) == "2026-03-09T09:00:00-04:00"
    saturday_lisbon = datetime(2026, 10, 24, 11, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    assert (
        start_of(time_parser, "segunda às 9h", saturday_lisbon, "pt-BR")
        == "2026-10-26T09:00:00+00:00"
    )


def test_hours_across_a_dst_change_are_elapsed_hours(time_parser: TimeParser) -> None:
    friday_before_spring = datetime(2026, 3, 6, 12, 0, tzinfo=NEW_YORK)
    assert start_of(time_parser, "in 48 hours", friday_before_spring) == "2026-03-08T13:00:00-04:00"
    assert start_of(time_parser, "in 2 days", friday_before_spring) == "2026-03-08T12:00:00-04:00"


# --- durations --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "now", "locale", "minutes", "expected"),
    [
        ("tomorrow 3pm for 30 minutes", THURSDAY_NY, "en-US", 30, "2026-11-27T15:00:00-05:00"),
        ("amanhã 15h por 1h", THURSDAY_SP, "pt-BR", 60, "2026-11-27T15:00:00-03:00"),
        (
            "mañana a las 3 durante 45 minutos",
            MONDAY_MADRID,
            "es-ES",
            45,
            "2026-03-03T15:00:00+01:00",
        ),
        ("demo for 45 min friday 10am", THURSDAY_NY, "en-US", 45, "2026-11-27T10:00:00-05:00"),
    ],
)
def test_durations_fill_duration_and_are_not_read_as_a_time(
    time_parser: TimeParser, text: str, now: datetime, locale: str, minutes: int, expected: str
) -> None:
    result = read(time_parser, text, now, locale)
    assert result.duration == timedelta(minutes=minutes)
    assert result.start is not None and result.start.isoformat() == expected


# --- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["yesterday 3pm", "today 9am", "2 hours ago", "ontem às 10h"])
def test_past_times_are_an_error_not_a_start(time_parser: TimeParser, text: str) -> None:
    result = read(time_parser, text)
    assert (result.error, result.start) == (ParseError.PAST, None)


def test_a_day_without_a_time_asks_for_a_time(time_parser: TimeParser) -> None:
    result = read(time_parser, "friday")
    assert result.error is ParseError.DATE_ONLY
    assert result.date is not None and result.date.isoformat() == "2026-11-27"
    assert result.start is None


@pytest.mark.parametrize(
    "text", ["boa tarde", "bom dia", "buenas tardes", "good morning", "hello there", "ok thanks"]
)
def test_greetings_and_noise_are_unparseable(time_parser: TimeParser, text: str) -> None:
    assert read(time_parser, text).error is ParseError.UNPARSEABLE


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_is_empty(time_parser: TimeParser, text: str) -> None:
    assert read(time_parser, text).error is ParseError.EMPTY


@pytest.mark.parametrize(
    ("text", "now", "locale", "expected"),
    [
        ("tmrw 3pm", THURSDAY_NY, "en-US", "2026-11-27T15:00:00-05:00"),
        ("tmw 3pm", THURSDAY_NY, "en-US", "2026-11-27T15:00:00-05:00"),
        ("amanha as 15h", THURSDAY_SP, "pt-BR", "2026-11-27T15:00:00-03:00"),
        ("proxima terca 15h", THURSDAY_SP, "pt-BR", "2026-12-01T15:00:00-03:00"),
        ("manana a las 3", MONDAY_MADRID, "es-ES", "2026-03-03T15:00:00+01:00"),
    ],
)
def test_slang_and_missing_accents(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected: str
) -> None:
    assert start_of(time_parser, text, now, locale) == expected


# --- words around the time, the result object -------------------------------------------------
def test_meeting_names_and_emails_around_the_time_are_ignored(time_parser: TimeParser) -> None:
    result = read(time_parser, "demo thu 4:30pm ana@acme.com")
    assert result.start is not None and result.start.isoformat() == "2026-12-03T16:30:00-05:00"
    assert result.matched_text == "thu 4:30pm"


def test_an_email_with_digits_is_not_read_as_a_time(time_parser: TimeParser) -> None:
    result = read(time_parser, "sales3@acme10.com tomorrow 9am <https://x.io/4pm>")
    assert result.start is not None and result.start.isoformat() == "2026-11-27T09:00:00-05:00"


def test_to_json_is_the_bookbot_parse_object(time_parser: TimeParser) -> None:
    assert read(time_parser, "tomorrow 9am for 30 min").to_json() == {
        "text": "tomorrow 9am for 30 min",
        "start": "2026-11-27T09:00:00-05:00",
        "duration_minutes": 30,
        "error": None,
        "date": None,
        "alternatives": [],
        "read": ["tomorrow", "9am", "for 30 min"],
    }
    assert read(time_parser, "friday").to_json()["date"] == "2026-11-27"


def test_parse_when_is_pure_and_needs_an_aware_now() -> None:
    first = parse_when("amanhã às 16h", now=THURSDAY_SP, tz="America/Sao_Paulo", locale="pt-BR")
    second = parse_when("amanhã às 16h", now=THURSDAY_SP, tz="America/Sao_Paulo", locale="pt-BR")
    assert first == second
    assert first.start is not None and first.start.isoformat() == "2026-11-27T16:00:00-03:00"
    with pytest.raises(ValueError, match="aware"):
        parse_when("3pm", now=datetime(2026, 11, 26, 10, 0), tz="UTC")


def test_now_in_another_zone_is_read_in_the_persons_zone(time_parser: TimeParser) -> None:
    now_utc = THURSDAY_SP.astimezone(ZoneInfo("UTC"))
    result = time_parser.parse("amanhã às 16h", now=now_utc, tz="America/Sao_Paulo", locale="pt-BR")
    assert result.start is not None and result.start.isoformat() == "2026-11-27T16:00:00-03:00"


# --- robustness and the less common phrasings ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in three minutes", "2026-11-26T10:03:00-05:00"),
        ("in a couple of hours", "2026-11-26T12:00:00-05:00"),
        ("in 1/2 hour", "2026-11-26T10:30:00-05:00"),
        ("15 minutes past 3pm", "2026-11-26T15:15:00-05:00"),
        ("a quarter past 2pm tomorrow", "2026-11-27T14:15:00-05:00"),
        ("christmas eve 10am", "2026-12-24T10:00:00-05:00"),
        ("at 1030", "2026-11-26T10:30:00-05:00"),
    ],
)
def test_less_common_english_phrasings(time_parser: TimeParser, text: str, expected: str) -> None:
    assert start_of(time_parser, text) == expected


@pytest.mark.parametrize(
    ("text", "now", "locale", "expected_date"),
    [
        ("next month", THURSDAY_NY, "en-US", "2026-12-01"),
        ("this week", THURSDAY_NY, "en-US", "2026-11-26"),
        ("next week", THURSDAY_NY, "en-US", "2026-11-30"),
        ("mês que vem", THURSDAY_SP, "pt-BR", "2026-12-01"),
        ("cinco de dezembro", THURSDAY_SP, "pt-BR", "2026-12-05"),
        ("el uno de abril", MONDAY_MADRID, "es-ES", "2026-04-01"),
        ("first monday of december", THURSDAY_NY, "en-US", "2026-12-07"),
        ("thanksgiving", THURSDAY_NY, "en-US", "2026-11-26"),
        ("black friday", THURSDAY_NY, "en-US", "2026-11-27"),
    ],
)
def test_days_named_without_a_time_ask_for_a_time(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected_date: str
) -> None:
    result = read(time_parser, text, now, locale)
    assert result.error is ParseError.DATE_ONLY, result
    assert result.date is not None and result.date.isoformat() == expected_date


@pytest.mark.parametrize(
    ("text", "now", "locale", "expected"),
    [
        ("el 15 a las 10", MONDAY_MADRID, "es-ES", "2026-03-15T10:00:00+01:00"),
        ("dia 15 às 10h", THURSDAY_SP, "pt-BR", "2026-12-15T10:00:00-03:00"),
        ("the 15th at 10am", THURSDAY_NY, "en-US", "2026-12-15T10:00:00-05:00"),
    ],
)
def test_a_bare_day_of_the_month_is_its_next_occurrence(
    time_parser: TimeParser, text: str, now: datetime, locale: str, expected: str
) -> None:
    assert start_of(time_parser, text, now, locale) == expected


def test_the_year_in_night_of_2017_is_not_a_clock(time_parser: TimeParser) -> None:
    result = read(time_parser, "night of measures 2017")
    assert result.start is None or result.start.minute == 0


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_gives_a_result_never_an_exception(text: str) -> None:
    parser = _shared_parser()
    result = parser.parse(text, now=THURSDAY_NY, tz=NEW_YORK, locale="pt-BR")
    assert (result.start is None) != (result.error is None)
    if result.start is not None:
        assert result.start >= THURSDAY_NY and result.start.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "amanhã",
                "às",
                "16h",
                "next",
                "friday",
                "3pm",
                "for",
                "30",
                "min",
                "de",
                "la",
                "tarde",
                "PST",
                "12/3",
                "in",
                "2",
                "hours",
                "ana@x.io",
                "meio",
                "dia",
                "e",
                "meia",
                "semana",
                "que",
                "vem",
                "tuesday",
                "ago",
                "twenty",
                "quarter",
                "past",
                "noon",
            ]
        ),
        max_size=7,
    ).map(" ".join)
)
def test_word_salad_from_booking_words_never_raises(text: str) -> None:
    parser = _shared_parser()
    result = parser.parse(text, now=THURSDAY_SP, tz=SAO_PAULO, locale="en-US")
    assert (result.start is None) != (result.error is None)
