"""The time engine: a person's words -> the exact start they meant (issue 3's conventions).

Our own grammar reads the phrases people type when booking (it is exact and fast); dateparser,
with explicit languages and settings, reads what is left when the grammar finds nothing.

Choices where issue 3 is silent (pinned by tests/timeparse):
- "this <weekday>" naming today means today (next week's is offered as an alternative);
  a weekday alone naming today means next week's, as the issue says.
- "9h", "16h30", "às 10 horas": the 24-hour clock as written; the business-hours rule is for
  bare hours only ("at 3", "às 3", "a las 3" -> 15:00).
- "EST"/"PST"/"CET" are fixed offsets; in summer the local-clock reading ("ET") is offered as an
  alternative. "ET"/"PT"/"CT"/"MT" follow the US rule of the target date.
- A wall-clock time skipped by a DST change moves forward by the gap (02:30 -> 03:30); a repeated
  one is its first occurrence.
- Hours and minutes ("in 48 hours") are elapsed time; days, weeks, months ("in 2 days") keep
  the clock time on the calendar.
- "next week" / "semana que vem" alone -> `date_only` with that Monday; "this week" -> today;
  "next month" -> the 1st.
- A digits-only clock without a separator ("1030") needs "at"/"around" or am/pm.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader

from bot.timeparse.holidays import HOLIDAYS
from bot.timeparse.lexicon import (
    DAY_WORDS,
    FILLER_WORDS,
    HOUR_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_DAY_WORDS,
    PART_OF_DAY_HOURS,
    TIME_WORDS,
    UNIT_MINUTES,
    UNIT_MONTHS,
    WEEKDAYS,
    alternation,
    suggest,
)
from bot.timeparse.result import InvalidDay, ParseError, ParseResult
from bot.timeparse.zones import NamedZone, ZoneFinder

DEFAULT_LANGUAGES = ("en", "pt", "es")
# Longer text is refused before any pattern runs (`too_long`): it keeps every call cheap.
MAX_TEXT_LENGTH = 500
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Slack locales whose numeric dates are month-first; everyone else writes day-first.
MONTH_FIRST_LOCALES = frozenset({"en-us", "en", "en-ca", "en-ph"})

_DIGIT_WORDS = alternation(w for w, v in NUMBER_WORDS.items() if v < 10 and len(w) > 1)
_NUM = (
    r"(?:(?:a\s+)?(?:couple|pair|few)(?:\s+of)?|\d+/\d+|three[\s-]quarters?\s+of\s+an?"
    rf"|\d+(?:[.,]\d+)?|(?:{alternation(NUMBER_WORDS)})"
    rf"(?:[\s-]+(?:(?:e|y|and)\s+)?(?:{_DIGIT_WORDS}))?)"
)
_UNIT = alternation([*UNIT_MINUTES, *UNIT_MONTHS])
_HALF = r"(?:(?:and|e|y)\s+(?:a\s+|an\s+)?(?P<half>half|meia|media)|(?P<frac>[.,]5))"
_AMOUNT = (
    rf"(?:(?P<compact_h>\d{{1,2}})\s*h\s*(?P<compact_m>\d{{1,2}})\s*(?:m|min|mins|minutos?)?\b"
    r"|(?P<hour_and_half>hora\s+(?:e|y)\s+(?:meia|media))"
    r"|(?:(?P<half_alone>half\s+an?|meia|media|a\s+quarter\s+of\s+an?|um\s+quarto\s+de)"
    r"\s+(?P<unit_alone>hour|hora))"
    rf"|(?:(?:of\s+|de\s+)?(?P<num>{_NUM})(?P<half_pre>\s+and\s+an?\s+half)?"
    rf"(?:\s+(?:more|mais|more))?\s*(?P<unit>{_UNIT})(?![a-z])\.?(?:\s*{_HALF})?"
    rf"(?:\s*(?:and|e|y)?\s*(?P<num2>\d{{1,2}}|{alternation(NUMBER_WORDS)})"
    r"\s*(?P<unit2>m|min|mins|minutes?|minutos?)\b)?))"
)
_APPROX = (
    r"(?:(?:about|around|approx\.?|approximately|roughly|cerca\s+de|uns|umas|unos|unas"
    r"|more|mais|mas)\s+)?"
)

# Greetings and courtesy words: "boa tarde" is a greeting, not 14:00.
_GREETING = re.compile(
    r"\b(?:good\s+(?:morning|afternoon|evening|night)|bom\s+dia|boa\s+(?:tarde|noite)"
    r"|buen(?:os|as)?\s+(?:dias?|tardes?|noches?)|hello(?:\s+there)?|hi|hey|ola|hola|oi"
    r"|thanks|thank\s+you|obrigad[oa]|gracias|please|pls|plz|por\s+favor)\b"
)
# "the week of Oct 7", "a semana de 7 de outubro": the date names the week.
_WEEK_OF = re.compile(
    r"\b(?:the\s+)?week\s+of\b|\b(?:a\s+|la\s+)?semana\s+(?:do|da|de|del)\b(?=\s+\d)"
)
_EMAIL_OR_URL = re.compile(
    r"<[^<>]*>|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE
)


@dataclass
class _Reading:
    """What the grammar found so far; filled in while spans of the text are consumed."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    duration_spans: list[tuple[int, int]] = field(default_factory=list)  # read, not the start
    deferred: list[tuple[int, str]] = field(default_factory=list)  # for the next pass
    day: date | None = None
    day_alternative: date | None = None
    day_is_pinned: bool = False  # "today", "this morning": never rolled forward
    weekday: int | None = None
    weekday_mode: str = ""
    week_offset: int | None = None
    hour: int | None = None
    minute: int = 0
    second: int = 0
    meridiem: str | None = None  # "am" / "pm"
    part_of_day: str | None = None
    hour_is_bare: bool = False
    exact: datetime | None = None  # ISO with offset, "now", relative minutes/hours
    calendar_delta: tuple[int, int] | None = None  # (months, days) from now, on the calendar
    past_delta: bool = False
    duration: timedelta | None = None
    month_day_alternative: date | None = None
    unknown_holiday_year: bool = False  # a table-based holiday outside its table's years
    # The first impossible thing read: (error, span of the words as typed, reason, the day).
    invalid: tuple[ParseError, tuple[int, int], str, InvalidDay | None] | None = None

    def refuse(
        self,
        error: ParseError,
        span: tuple[int, int],
        reason: str,
        day: InvalidDay | None = None,
    ) -> None:
        if self.invalid is None:
            self.invalid = (error, span, reason, day)

    @property
    def has_day(self) -> bool:
        return self.day is not None or self.exact is not None or self.calendar_delta is not None

    @property
    def found_time_words(self) -> bool:
        return bool(self.spans)


class TimeParser:
    """Compiled patterns and dateparser parsers, built once and reused (pass it around)."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._zones = ZoneFinder()
        self._dateparser_vocabulary: dict[tuple[str, ...], frozenset[str]] = {}
        self._compile()

    # ------------------------------------------------------------------ patterns
    def _compile(self) -> None:
        weekday = rf"(?P<wd>{alternation(WEEKDAYS)})(?:[\s-]*feira)?\.?"
        month = rf"(?:{alternation(MONTHS)})\.?"
        ordinal = r"(?:st|nd|rd|th|o|a|º|ª|er|ro)?"
        day_digits = rf"(?:\d{{1,2}}{ordinal}|{alternation(ORDINAL_DAY_WORDS)})"
        day_number = (
            rf"(?:\d{{1,2}}{ordinal}|{alternation(ORDINAL_DAY_WORDS)}"
            rf"|(?:vinte|veinti|trinta|treinta)\s+(?:e|y)\s+(?:{alternation(DAY_WORDS)})"
            rf"|{alternation(DAY_WORDS)})"
        )
        year = r"(?:\d{4}|'\d{2})"
        self._iso = re.compile(
            r"\b(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
            r"(?:[t\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
            r"\s*(?P<off>z|[+-]\d{2}(?::?\d{2})?)?)?(?![\d:])"
        )
        self._duration = re.compile(
            rf"\b(?:for|por|durante|during|lasting|duration|duracao|duracion)\s+{_APPROX}"
            rf"(?:(?:about|around)\s+)?{_AMOUNT}"
        )
        self._relative_future = re.compile(
            rf"\b(?:in|within|em|en|dentro\s+de|daqui\s+a|daqui|d'aqui\s+a|after|apos|tras)"
            rf"\s+{_APPROX}{_AMOUNT}"
        )
        self._relative_from_now = re.compile(
            rf"(?<![\d:/]){_APPROX}{_AMOUNT}\s+(?:from\s+(?:now|today|right\s+now)|later|hence|"
            r"a\s+partir\s+de\s+(?:agora|hoje|ahora|hoy)|desde\s+(?:ahora|hoy)|de\s+agora|mais\s+tarde)\b"
        )
        self._relative_past = re.compile(rf"(?<![\d:/]){_AMOUNT}\s+(?:ago|back|atras)\b")
        self._relative_past_lead = re.compile(rf"\b(?:ha|faz|hace)\s+{_AMOUNT}")
        self._numeric_date = re.compile(
            r"(?<![\d:.,/-])(?P<a>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<b>\d{1,2})"
            r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2}))?(?![\d:]|\.\d)"
        )
        self._month_name_date = re.compile(
            rf"\b(?:(?:the\s+)?(?P<d1>{day_number})\s*(?:of\s+|de\s+|del\s+|-|/)?(?P<m1>{month})"
            rf"|(?P<m2>{month})\s*(?:the\s+)?(?P<d2>{day_digits})(?![:\d]|\s*(?:h\b|am|pm|a\.m|p\.m)))"
            rf"(?:\s*,?\s*(?:(?:of|de|del)\s+)?(?P<y>{year})|[/-](?P<y2>\d{{4}}|\d{{2}}))?\b"
        )
        holiday_names = "|".join(
            re.sub(r"s\b", "'?s", name).replace(" ", r"[\s'.-]+")
            for name in sorted(HOLIDAYS, key=len, reverse=True)
        )
        number_words = alternation(NUMBER_WORDS)
        self._holiday = re.compile(
            rf"\b(?:(?P<n_pre>\d+|{number_words})\s+years?\s+(?:after|from)\s+)?"
            r"(?:(?P<mod>this|next|last|the|coming|upcoming|este|esta|proximo|proxima|el|la|o|a)\s+)?"
            rf"(?P<name>{holiday_names})\b(?:\s*(?:of\s+|in\s+|de\s+|del\s+)?(?P<y>\d{{4}})"
            r"|\s+(?:of\s+)?(?P<yrel>this|next|last)\s+year"
            rf"|\s+in\s+(?P<n_in>\d+|{number_words})\s+(?P<u_in>years?|months?)"
            rf"|\s+(?P<n_off>\d+|{number_words})\s+(?P<u_off>years?|months?)\s+"
            r"(?P<dir>ago|hence|from\s+now|later))?"
        )
        quarter = r"(?:quarter|qtr|trimestre)"
        self._quarter = re.compile(
            rf"\b(?:(?P<rel>this|current|este|esse|next|coming|upcoming|last|previous|past|proximo|"
            rf"el\s+proximo|ultimo|el\s+ultimo)\s+{quarter}|{quarter}\s+(?P<rel2>atual|actual|passado|"
            r"anterior|pasado|que\s+vem|que\s+viene|seguinte|siguiente)"
            r"|(?:the\s+|el\s+|o\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last|primeiro|"
            r"segundo|terceiro|quarto|primer|tercer|cuarto)\s+"
            + quarter
            + r"(?:\s+(?:of\s+|de\s+|del\s+)?(?P<y>\d{4}))?"
            r"|(?P<qy>\d{4}|\d{2})\s*q(?P<qn>[1-4]))\b"
        )
        self._period = re.compile(
            r"\b(?:(?P<this>this|current|este|esse|neste|nesse|el\s+presente)\s+(?P<u1>month|mes|year|ano)"
            r"|(?P<next>next|coming|upcoming|following|the\s+following|proximo|el\s+proximo)\s+"
            r"(?P<u2>month|mes|year|ano)"
            r"|(?:o\s+|el\s+)?(?P<u3>mes|ano)\s+(?P<next3>que\s+vem|que\s+viene|seguinte|siguiente|"
            r"proximo)"
            r"|(?P<last>last|previous|past|el\s+pasado)\s+(?P<u4>month|mes|year|ano)"
            r"|(?:o\s+|el\s+)?(?P<u5>mes|ano)\s+(?:passado|pasado|anterior))\b"
        )
        month_words = alternation(MONTHS)
        # "last friday of the month", "a última sexta-feira do mês", "el primer lunes de abril"
        self._nth_weekday = re.compile(
            r"\b(?:the\s+|o\s+|a\s+|el\s+|la\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth"
            r"|4th|last|primeir[oa]|primer[oa]?|segundo|terceir[oa]|tercer[oa]?|quart[oa]|cuart[oa]"
            r"|ultim[oa])\s+"
            rf"(?:(?P<wd>{alternation(WEEKDAYS)})(?:[\s-]*feira)?|(?P<day>day|dia))\s+"
            r"(?:of|in|do|da|de|del|de\s+la)\s+"
            rf"(?:(?P<month>{month_words})(?:\s+(?:of\s+|de\s+|del\s+)?(?P<y>\d{{4}}))?"
            r"|(?P<rel>this|the|next|last|the\s+next|the\s+previous)\s+month"
            r"|(?:este\s+|esse\s+|o\s+|el\s+)?mes(?:\s+(?P<rel2>que\s+vem|que\s+viene|seguinte"
            r"|siguiente|passado|pasado))?)\b"
        )
        # "end of the month", "fim do mês", "a fin de mes": its last day
        self._end_of_month = re.compile(
            r"\b(?:(?:at\s+the|by\s+the|by|at|the|no|ao|a|al|para\s+el|para\s+o)\s+)?"
            r"(?:end|fim|final|fin)\s+(?:of|do|de|del)\s+(?:the\s+|este\s+|o\s+|el\s+)?"
            r"(?P<next>next\s+|proximo\s+)?(?:month|mes)"
            r"(?:\s+(?P<next2>que\s+vem|que\s+viene|seguinte|siguiente))?\b"
        )
        # "2 weeks from tuesday", "2 semanas depois de terça", "2 semanas después del martes"
        self._weeks_from_weekday = re.compile(
            rf"\b(?P<n>\d{{1,2}}|{alternation(NUMBER_WORDS)})\s+(?:weeks?|semanas?)\s+"
            r"(?:from|after|depois\s+d[ae]|despues\s+del?|a\s+partir\s+d[aeo]l?)\s+"
            rf"(?:(?:next|this|on|o|a|el|la)\s+)?(?P<wd>{alternation(WEEKDAYS)})(?:[\s-]*feira)?\b"
        )
        self._month_alone = re.compile(
            r"^\s*(?:(?P<rel>next|this|last|proximo|el\s+proximo|este|o\s+proximo)\s+)?"
            rf"(?P<month>{month_words})(?:\s+(?:of\s+|de\s+|del\s+)?(?P<y>\d{{4}}))?"
            r"(?:\s+(?P<after>after\s+next))?\s*$"
        )
        self._year_alone = re.compile(r"^\s*(?:in\s+|em\s+|en\s+)?(?P<y>\d{4})\s*$")
        self._day_of_relative_month = re.compile(
            rf"\b(?:the\s+)?(?P<d>\d{{1,2}}){ordinal}\s+(?:day\s+)?of\s+(?:the\s+)?"
            r"(?P<rel>next|this|current|previous|last|following)\s+month\b"
        )
        self._day_of_month = re.compile(
            rf"\b(?:(?:on\s+)?the\s+(?P<d1>\d{{1,2}}{ordinal}|first|second|third)"
            rf"(?!\s+(?:week|quarter|qtr|day|{alternation(WEEKDAYS)})\b)|(?:on\s+)?(?P<d3>\d{{1,2}})(?:st|nd|rd|th)"
            rf"|(?:no\s+|el\s+)?dia\s+(?P<d2>\d{{1,2}}(?:o|a)?|{alternation(DAY_WORDS)})"
            r"|\bel\s+(?P<d4>\d{1,2})(?!\s*(?:h\b|:|am|pm))"
            rf"|\b(?:{alternation(WEEKDAYS)})(?:[\s-]*feira)?,?\s+(?P<d5>\d{{1,2}})"
            r"(?=\s*(?:,|$|a\s+las\b|at\b|as\b|@)))\b"
        )
        next_week = (
            r"(?:next|the\s+following|following|coming)\s+week|(?:na\s+|la\s+|da\s+|de\s+la\s+)?"
            r"(?:semana\s+que\s+(?:vem|viene)|proximas?\s+semana|semana\s+proxima|semana\s+seguinte"
            r"|siguiente\s+semana|semana\s+siguiente)|upcoming\s+week"
        )
        self._next_week = re.compile(
            rf"\b(?:of\s+|on\s+|da\s+|de\s+)?(?:{next_week})\b(?:\s+(?:on|na|no|el|en))?"
        )
        self._this_week = re.compile(
            r"\b(?:of\s+)?(?:this|current|esta|essa|nesta|desta|dessa|de\s+esta)\s+(?:week|semana)\b"
        )
        self._last_week = re.compile(
            r"\b(?:(?:of\s+|from\s+)?(?:last|past|previous|the\s+previous)\s+week(?:'s)?"
            r"|(?:a\s+|la\s+|da\s+|de\s+la\s+)?(?:semana\s+(?:passada|anterior|pasada)"
            r"|(?:passada|anterior|ultima|pasada)\s+semana))\b"
        )
        self._weekday = re.compile(
            r"\b(?:(?P<pre>this\s+coming|this|next|coming|upcoming|last|past|previous|"
            r"(?:el\s+|la\s+|na\s+|no\s+)?proxim[oa]|nest[ae]|est[ae]|ess[ae]|ultim[oa]|el\s+pasado|"
            r"on|na|no|el|la|a)\s+)?"
            rf"{weekday}(?:\s*,)?(?:\s+(?P<post>que\s+(?:vem|viene)|proxim[oa]|passad[oa]|pasad[oa]|"
            r"after\s+next|de\s+la\s+semana\s+pasada|da\s+semana\s+passada))?(?![\w/])"
        )
        self._day_word = re.compile(
            r"\b(?P<after2>(?:the\s+)?day\s+after\s+tomorrow|overmorrow|depois\s+de\s+amanha|pasado\s+manana)\b"
            r"|\b(?P<before2>(?:the\s+)?day\s+before\s+yesterday|anteontem|antes\s+de\s+ontem|anteayer"
            r"|antier)\b"
            r"|\b(?P<tomorrow>tomorrows?|tmrw|tmw|tmr|tomorow|tommorow|tommorrow|2moro|2morrow|amanha|amanh|amnh|amn"
            r"|(?<!\bla\s)manana)\b"
            r"|\b(?P<today>today|tdy|hoje|hj|hoy|tonight|tonite)\b"
            r"|\b(?P<yesterday>yesterday|ontem|ayer)\b"
        )
        part_of_day = (
            r"(?P<morning>(?:early\s+)?morning|manha|(?:la\s+)?manana|madrugada)"
            r"|(?P<afternoon>afternoon|tarde)"
            r"|(?P<evening>evening)"
            r"|(?P<night>night|noite|noche|tonight|tonite)"
        )
        self._part_of_day = re.compile(
            r"\b(?P<lead>this|esta|nesta|in\s+the|at|de|da|de\s+la|por\s+la|en\s+la|pela|a|la|na)?\s*"
            rf"(?:{part_of_day})\b"
        )
        self._noon = re.compile(
            r"\b(?:(?:at|as|ao|a|al|el|by)\s+)?(?P<noon>12\s+noon|noon|mid\s*day|meio[\s-]?dia|mediodia"
            r"|medio\s+dia)\b(?:\s+(?:e|y)\s+(?P<noon_minutes>meia|media|quinze|quince|cuarto|\d{1,2}))?"
            r"|\b(?:(?:at|a|a\s+la)\s+)?(?P<midnight>midnight|meia[\s-]?noite|medianoche)\b"
            r"|\b(?:by\s+|until\s+|ate\s+o\s+|at\s+|para\s+el\s+|hasta\s+el\s+|no\s+|al\s+|ao\s+|o\s+|el\s+)?"
            r"(?P<eod>eod|cob|eob|end\s+of\s+(?:the\s+)?(?:business\s+|work\s+)?day|end\s+of\s+business"
            r"|close\s+of\s+business|(?:fim|final)\s+do\s+(?:dia|expediente)"
            r"|(?:fin|final)\s+del?\s+(?:dia|la\s+jornada|jornada))\b"
        )
        self._now = re.compile(
            r"\b(?:right\s+now|just\s+now|now|asap|agora\s+mesmo|agora|ahora\s+mismo|ahora|ya\s+mismo"
            r"|immediately|imediatamente|at\s+the\s+moment|atm|ahorita|cuanto\s+antes|lo\s+antes\s+posible"
            r"|(?:neste|nesse|en\s+este)\s+(?:momento|instante)|ja|ya)\b"
        )
        hour_word = alternation(HOUR_WORDS)
        minute_word = alternation(
            [w for w, v in NUMBER_WORDS.items() if v >= 10 and len(w) > 2] + ["oh five", "o five"]
        )
        self._half_past = re.compile(
            r"\b(?:(?:at|as|a\s+las)\s+)?(?P<what>half|(?:a\s+)?quarter|\d{1,2}|"
            rf"{minute_word}|{_DIGIT_WORDS})"
            r"(?:\s+minutes?)?\s+(?P<rel>past|after|to|till|before|from|para\s+(?:as|a|o)|para|pras)\s+"
            rf"(?P<h>\d{{1,2}}|{hour_word}|noon|midnight|meio[\s-]?dia|mediodia)"
            r"(?:\s*(?P<hp>a\.?\s?m\.?|p\.?\s?m\.?|h\b))?\b"
            r"|\bhalf\s+(?P<h_half>\d{1,2}|" + hour_word + r")\b"
        )
        self._clock = re.compile(
            r"(?:(?P<prefix>\bat|@|\bas|\baround|\babout|\bapproximately|\bby|\bpelas|\bpor\s+volta\s+d[ae]s?|\ba\s+las|\ba\s+la"
            r"|\blas|\bla|\bsobre\s+las|\bhacia\s+las|\blá\s+pelas|\bfrom|\bstarting|\bdesde\s+las|\bate\s+as)\s*)?"
            r"(?<![\d/:.,-])(?P<h>\d{1,2}|" + hour_word + r")"
            r"(?:(?P<sep>:|h|\.|\s|)(?P<m>\d{2})(?::(?P<s>\d{2}))?(?!\d))?(?![-/]?\d)"
            r"(?:\s+(?:e|y)\s+(?P<mw>meia|media|quinze|quince|cuarto|dez|diez|vinte|veinte|"
            r"(?:trinta|treinta|quarenta|cuarenta|cinquenta|cincuenta)(?:\s+(?:e|y)\s+\w+)?|\d{1,2}))?"
            r"(?:\s+(?P<menos>menos\s+(?:cuarto|quarto|\d{1,2}|cinco|dez|diez|vinte|veinte)))?"
            r"(?:\s*-?(?P<ish>ish|approximately|aprox\.?|mais\s+ou\s+menos|more\s+or\s+less))?"
            r"(?:\s*(?P<suffix>a\.\s?m\.?|p\.\s?m\.?|a\s?m\b|p\s?m\b|am|pm|a|p|hrs|hs|horas|hora|h|"
            r"o'?\s?clock(?:\s*[ap]\.?m\b\.?)?|in\s+the\s+am|in\s+the\s+pm))?(?![\w/])"
            r"(?:\s*-?(?P<ish2>ish|approximately|aprox\.?|mais\s+ou\s+menos|more\s+or\s+less))?"
        )
        self._minute_words = re.compile(
            rf"\b(?P<h>{hour_word})[\s-]+(?P<mw>(?:twenty|thirty|forty|fifty)[\s-]+(?:{_DIGIT_WORDS})"
            rf"|{minute_word}|(?:zero|oh|o|ou)[\s-]+\w+)\b"
            r"(?:\s*(?P<suffix>a\.?\s?m\b\.?|p\.?\s?m\b\.?))?"
        )
        end = r"(?:a\.?\s?m\b\.?|p\.?\s?m\b\.?|am|pm|h|hs|hrs)"
        self._range = re.compile(
            r"(?<![\w:/.-])(?:(?P<lead>from|between|das|dos|de|desde|entre)\s+"
            r"(?:(?:as|las|la|a\s+las)\s+)?)?"
            rf"(?P<h1>\d{{1,2}})(?:[:h.](?P<m1>\d{{2}}))?(?:\s*(?P<s1>{end}))?"
            r"\s*(?P<conn>-|–|to|till|until|and|as|a|ate|y|e|hasta)\s*(?:(?:as|las|la)\s+)?"
            rf"(?P<h2>\d{{1,2}})(?:[:h.](?P<m2>\d{{2}}))?(?:\s*(?P<s2>{end}))?"
            r"(?![\w:/]|\.\d|\s*(?:horas?|hours?|hrs?|min))"
        )
        self._bare_duration = re.compile(
            rf"(?<![\w:]){_AMOUNT}"
            r"(?:[\s-]*(?P<meeting>long|meeting|call|mtg|chat|slot|reuniao|reunion|llamada))?"
        )

    # ------------------------------------------------------------------ public
    def known_words(self) -> frozenset[str]:
        """Every word the engine reads as anything (time, filler, zone): the words of its
        patterns and tables. A word outside this set is never part of a reading."""
        words: set[str] = set(FILLER_WORDS) | set(TIME_WORDS)
        for value in vars(self).values():
            if isinstance(value, re.Pattern):
                words.update(re.findall(r"[a-z]{2,}", value.pattern))
        for pattern in (_GREETING, _WEEK_OF):
            words.update(re.findall(r"[a-z]{2,}", pattern.pattern))
        words.update(re.findall(r"[a-z]{2,}", self._zones.pattern_text()))
        return frozenset(words)

    def warm_up(self) -> None:
        """Pay the one-off costs (dateparser's language data, zone tables) at start-up."""
        now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        for phrase in (
            "15 March 2027",
            "15 de março de 2027",
            "15 de marzo de 2027",
            "next friday 3pm",
        ):
            for locale in ("en-US", "pt-BR", "es-ES"):
                self.parse(phrase, now=now, tz="UTC", locale=locale)
        for locale in ("en-US", "pt-BR", "es-ES"):
            order = self._language_order(locale, self.languages)
            self._dateparser_words(order)
            self._dateparser_read("15 March 2027 quinta", now, order, "DMY")

    def parse(
        self,
        text: str,
        *,
        now: datetime,
        tz: str | tzinfo,
        locale: str | None = None,
        languages: Sequence[str] | None = None,
        allow_past: bool = False,
    ) -> ParseResult:
        """Read `text` as a start time. `allow_past` is for measuring against corpora only."""
        person_zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if not text or not text.strip():
            return ParseResult(error=ParseError.EMPTY, text=text or "")
        if len(text) > MAX_TEXT_LENGTH:
            # Refused before any pattern runs: no one types a meeting time this long.
            return ParseResult(
                error=ParseError.TOO_LONG,
                text=text[:MAX_TEXT_LENGTH],
                detail=f"longer than {MAX_TEXT_LENGTH} characters",
            )
        try:
            return self._parse_text(text, now, person_zone, locale, languages, allow_past)
        except (ValueError, OverflowError):
            # A year the calendar (1 to 9999) does not have: "march 0000", "dec 31 9999 11pm".
            return ParseResult(
                error=ParseError.INVALID_DATE, text=text, detail="outside the years 1 to 9999"
            )

    def _parse_text(
        self,
        text: str,
        now: datetime,
        person_zone: tzinfo,
        locale: str | None,
        languages: Sequence[str] | None,
        allow_past: bool,
    ) -> ParseResult:
        folded = _fold(text)
        folded = _EMAIL_OR_URL.sub(lambda m: " " * len(m.group()), folded)
        folded = _GREETING.sub(lambda m: " " * len(m.group()), folded)
        folded = _WEEK_OF.sub(lambda m: " " * len(m.group()), folded)
        languages = tuple(languages) if languages is not None else self.languages
        month_first = (locale or "en-US").lower() in MONTH_FIRST_LOCALES

        work = [folded]
        reading = _Reading()
        named_zone = self._take_zone(work, reading)
        zone: tzinfo = named_zone.zone if named_zone else person_zone
        local_now = now.astimezone(zone)
        self._read(work, reading, local_now, zone, month_first)
        # Whatever the first pass left that still reads as time is a second reading: a phrase
        # with two days or two clock times in it is a conflict, never one of them silently.
        readings = [reading]
        while reading.found_time_words and len(readings) < 4:
            extra = _Reading()
            self._read(work, extra, local_now, zone, month_first)
            if not extra.found_time_words and extra.invalid is None:
                break
            readings.append(extra)

        if reading.unknown_holiday_year and reading.day is None:
            # A holiday named for a year its table does not cover: say so, never guess.
            return ParseResult(error=ParseError.UNPARSEABLE, text=text)
        spans = sorted(span for each in readings for span in each.spans)
        all_spans = sorted([*spans, *(s for each in readings for s in each.duration_spans)])
        read_words = tuple(
            dict.fromkeys(w for w in (text[a:b].strip(" ,.;") for a, b in all_spans) if w)
        )
        invalid = next((each.invalid for each in readings if each.invalid is not None), None)
        if invalid is not None:
            error, (start, end), reason, invalid_day = invalid
            return ParseResult(
                error=error,
                text=text,
                word=text[start:end].strip(" ,.;"),
                detail=reason,
                invalid_day=invalid_day,
                read_words=read_words,
                matched_text=_matched_text(text, spans),
            )
        if not reading.found_time_words:
            return self._fallback(
                text,
                work[0],
                reading,
                now,
                zone,
                person_zone,
                locale,
                languages,
                month_first,
                allow_past,
            )
        matched = _matched_text(text, spans)
        unknown = self._unknown_word(text, work[0], locale, languages)
        if unknown is not None:
            return replace(unknown, read_words=read_words, matched_text=matched)

        def resolve(one: _Reading) -> ParseResult:
            return self._resolve(
                text, matched, one, local_now, zone, person_zone, named_zone, allow_past
            )

        if len(readings) > 1:
            results = [resolve(reading)] + [resolve(_overlay(reading, x)) for x in readings[1:]]
            conflict = _conflict(text, results)
            if conflict.error is None:
                return replace(conflict, read_words=read_words)
            return replace(conflict, read_words=read_words, matched_text=matched)
        mismatch = self._weekday_mismatch(reading, local_now)
        if mismatch is not None:
            by_date = resolve(replace(reading, weekday=None, weekday_mode=""))
            by_weekday = resolve(replace(reading, day=mismatch, weekday=None, weekday_mode=""))
            return replace(
                _choices(ParseError.WEEKDAY_MISMATCH, text, [by_date, by_weekday]),
                detail=f"{reading.day:%A %B %-d} is not a {WEEKDAY_NAMES[reading.weekday]}"
                if reading.day is not None and reading.weekday is not None
                else None,
                read_words=read_words,
                matched_text=matched,
            )
        return replace(resolve(reading), read_words=read_words)

    # ------------------------------------------------------------------ reading
    def _take_zone(self, work: list[str], reading: _Reading) -> NamedZone | None:
        found = self._zones.find(work[0])
        if found is None:
            return None
        named, match = found
        _consume(work, reading, match.start(), match.end())
        return named

    def _read(
        self, work: list[str], reading: _Reading, now: datetime, zone: tzinfo, month_first: bool
    ) -> None:
        today = now.date()
        for match in _matches(self._iso, work[0]):
            if reading.has_day:
                _defer(work, reading, match.start(), match.end())
                continue  # a second date: read by the next pass, a conflict
            self._read_iso(match, reading, zone)
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._range, work[0]):
            if self._read_range(match, reading):
                _consume(work, reading, match.start(), match.end())
                break
        for match in _matches(self._duration, work[0]):
            minutes, _months = _amount(match)
            if minutes is not None:
                reading.duration = timedelta(minutes=minutes)
                reading.duration_spans.append(match.span())
                _blank(work, match.start(), match.end())
        self._read_holidays(work, reading, today)
        signed_matches = [
            *((-1, m) for m in _matches(self._relative_past, work[0])),
            *((-1, m) for m in _matches(self._relative_past_lead, work[0])),
            *((1, m) for m in _matches(self._relative_future, work[0])),
            *((1, m) for m in _matches(self._relative_from_now, work[0])),
        ]
        for sign, match in signed_matches:
            minutes, months = _amount(match)
            if minutes is None or work[0][match.start() : match.end()].isspace():
                continue
            if reading.exact is not None or reading.calendar_delta is not None:
                _defer(work, reading, match.start(), match.end())
                continue  # a second amount: read by the next pass, a conflict
            minutes, months = sign * minutes, sign * months
            unit = (match.group("unit") or "").rstrip(".")
            on_the_calendar = UNIT_MINUTES.get(unit, 0) >= 24 * 60 and minutes % (24 * 60) == 0
            reading.past_delta = reading.past_delta or sign < 0
            if months or on_the_calendar:
                reading.calendar_delta = (months, int(minutes // (24 * 60)))
            else:
                reading.exact = (now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
            _consume(work, reading, match.start(), match.end())
        self._read_dates(work, reading, today, month_first)
        self._read_weekdays(work, reading)
        for match in _matches(self._day_word, work[0]):
            if reading.has_day:
                _defer(work, reading, match.start(), match.end())
                continue  # "tomorrow" beside another day or "in 2 hours": the next pass
            offsets = {"after2": 2, "before2": -2, "tomorrow": 1, "today": 0, "yesterday": -1}
            kind = match.lastgroup or "today"
            reading.day = today + timedelta(days=offsets[kind])
            reading.day_is_pinned = True
            if match.group().startswith(("tonight", "tonite")):
                reading.part_of_day = "night"
            _consume(work, reading, match.start(), match.end())
        self._read_bare_durations(work, reading)
        self._read_times(work, reading, today)
        if reading.exact is None and reading.hour is None:
            now_match = self._now.search(work[0])
            if now_match:
                reading.exact = now
                _consume(work, reading, now_match.start(), now_match.end())
        if reading.hour is None and reading.exact is None:
            self._read_bare_hour(work, reading)
        _restore(work, reading)

    def _read_bare_durations(self, work: list[str], reading: _Reading) -> None:
        """ "45 min", "a 1 hour call", "reunião de 1 hora": a length, never a start."""
        for match in _matches(self._bare_duration, work[0]):
            minutes, months = _amount(match)
            unit = (match.group("unit") or "").rstrip(".")
            if not minutes or months or minutes > 8 * 60 or unit in ("h", "d", "s", "'", "m"):
                continue
            before = work[0][: match.start()].rstrip()
            if re.match(r"\s+(?:past|after|to|till|before|from)\b", work[0][match.end() :]):
                continue  # "15 minutes past 3pm" is a clock time
            unit_minutes = UNIT_MINUTES.get(unit, 60)
            told_as_length = bool(
                re.search(r"\b(?:de|of|a|an|un|una|uma)$", before)
                or match.group().startswith(("de ", "of "))
                or match.group("meeting")
            )
            if unit_minutes > 60 or (unit_minutes == 60 and not told_as_length):
                continue
            reading.duration = timedelta(minutes=minutes)
            reading.duration_spans.append(match.span())
            _blank(work, match.start(), match.end())

    def _read_iso(self, match: re.Match[str], reading: _Reading, zone: tzinfo) -> None:
        year, month, day_number = (int(match.group(g)) for g in ("y", "mo", "d"))
        day = _safe_date(year, month, day_number)
        if day is None:
            reading.refuse(*_no_such_day(match.span(), year, month, day_number, True))
            return
        hour, minute = int(match.group("h") or 0), int(match.group("mi") or 0)
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            reading.refuse(ParseError.INVALID_TIME, match.span(), _clock_reason(hour, minute))
            return
        if match.group("h") is None:
            reading.day = day
            reading.day_is_pinned = True
            return
        clock = time(int(match.group("h")) % 24, int(match.group("mi")), int(match.group("s") or 0))
        offset_text = match.group("off")
        if offset_text:
            offset_zone = _offset_zone(offset_text)
            reading.exact = datetime.combine(day, clock, offset_zone).astimezone(zone)
        else:
            reading.day = day
            reading.day_is_pinned = True
            reading.hour, reading.minute, reading.second = clock.hour, clock.minute, clock.second
            reading.meridiem = "24h"

    def _read_holidays(self, work: list[str], reading: _Reading, today: date) -> None:
        """Holidays, read before relative amounts ("thanksgiving in 3 years" names one)."""
        for match in _matches(self._holiday, work[0]):
            name = re.sub(r"[\s.-]+", " ", match.group("name").replace("'", "")).strip()
            rule = HOLIDAYS.get(name)
            if rule is None:
                continue
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            chosen = _holiday_date(rule, match, today)
            _consume(work, reading, match.start(), match.end())
            if chosen is None:
                reading.unknown_holiday_year = True
                continue
            reading.day, reading.day_is_pinned = chosen, True

    def _read_named_days(self, work: list[str], reading: _Reading, today: date) -> None:
        """Quarters, months and years: a day with no time (date_only)."""
        for match in _matches(self._end_of_month, work[0]):
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            ahead = 1 if (match.group("next") or match.group("next2")) else 0
            month_start = _add_months(today.replace(day=1), ahead)
            reading.day = _add_months(month_start, 1) - timedelta(days=1)
            reading.day_is_pinned = True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._weeks_from_weekday, work[0]):
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            count = _number_value(match.group("n"))
            if count is None:
                continue
            weekday = WEEKDAYS[match.group("wd")]
            coming = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
            reading.day = coming + timedelta(weeks=int(count))
            reading.day_is_pinned = True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._nth_weekday, work[0]):
            first = self._month_start(match, today)
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            if first is None:
                continue
            nth = "last" if match.group("nth").startswith(("last", "ultim")) else match.group("nth")
            if match.group("day"):
                chosen = _add_months(first, 1) - timedelta(days=1) if nth == "last" else first
            elif nth == "last":
                last_day = _add_months(first, 1) - timedelta(days=1)
                chosen = last_day - timedelta(
                    days=(last_day.weekday() - WEEKDAYS[match.group("wd")]) % 7
                )
            else:
                count = _NTH.get(nth, 3)
                chosen = first + timedelta(
                    days=(WEEKDAYS[match.group("wd")] - first.weekday()) % 7 + 7 * count
                )
            reading.day, reading.day_is_pinned = chosen, True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._quarter, work[0]):
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            current = (today.month - 1) // 3
            year = today.year
            relation = (match.group("rel") or match.group("rel2") or "").split()[-1:]
            word = relation[0] if relation else ""
            if match.group("qn"):
                year = int(match.group("qy"))
                year += 2000 if year < 100 else 0
                index = int(match.group("qn")) - 1
            elif match.group("nth"):
                index = {
                    "first": 0,
                    "1st": 0,
                    "primeiro": 0,
                    "primer": 0,
                    "second": 1,
                    "2nd": 1,
                    "segundo": 1,
                    "third": 2,
                    "3rd": 2,
                    "terceiro": 2,
                    "tercer": 2,
                }.get(match.group("nth"), 3)
                if match.group("y"):
                    year = int(match.group("y"))
                elif match.group("nth") == "last":
                    index = current - 1
            elif word in (
                "next",
                "coming",
                "upcoming",
                "proximo",
                "vem",
                "viene",
                "seguinte",
                "siguiente",
            ):
                index = current + 1
            elif word in ("last", "previous", "past", "ultimo", "passado", "anterior", "pasado"):
                index = current - 1
            else:
                index = current
            year, index = year + index // 4, index % 4
            start = date(year, index * 3 + 1, 1)
            chosen = today if start <= today < _add_months(start, 3) else start
            reading.day, reading.day_is_pinned = chosen, True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._period, work[0]):
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            unit = next(u for u in match.group("u1", "u2", "u3", "u4", "u5") if u)
            months = 1 if unit in ("month", "mes") else 12
            if match.group("this"):
                chosen = today
            elif match.group("last") or match.group("u5"):
                chosen = _add_months(today, -months)
            else:
                chosen = _add_months(today, months)
            if not match.group("this"):
                chosen = chosen.replace(day=1, month=chosen.month if months == 1 else 1)
            reading.day, reading.day_is_pinned = chosen, True
            _consume(work, reading, match.start(), match.end())
        if not reading.spans:
            self._read_month_or_year_alone(work, reading, today)

    def _read_month_or_year_alone(self, work: list[str], reading: _Reading, today: date) -> None:
        match = self._month_alone.match(work[0])
        if match:
            month = MONTHS[match.group("month")]
            year = int(match.group("y")) if match.group("y") else today.year
            if not match.group("y"):
                if match.group("rel") in ("last",):
                    year -= 1 if month >= today.month else 0
                elif month < today.month or (match.group("rel") == "next" and month == today.month):
                    year += 1
                if match.group("after"):
                    year += 1
            chosen = date(year, month, 1)
            if chosen.year == today.year and chosen.month == today.month:
                chosen = today
            reading.day, reading.day_is_pinned = chosen, True
            _consume(work, reading, match.start(), match.end())
            return
        match = self._year_alone.match(work[0])
        if match:
            year = int(match.group("y"))
            reading.day = today if year == today.year else date(year, 1, 1)
            reading.day_is_pinned = True
            _consume(work, reading, match.start("y"), match.end("y"))

    @staticmethod
    def _month_start(match: re.Match[str], today: date) -> date | None:
        this_month = today.replace(day=1)
        if match.group("month"):
            month = MONTHS[match.group("month")]
            if match.group("y"):
                return date(int(match.group("y")), month, 1)
            candidate = date(today.year, month, 1)
            return candidate if month >= today.month else date(today.year + 1, month, 1)
        relation = (match.group("rel") or match.group("rel2") or "this").split()[-1]
        offset = {
            "next": 1,
            "vem": 1,
            "viene": 1,
            "seguinte": 1,
            "siguiente": 1,
            "last": -1,
            "previous": -1,
            "passado": -1,
            "pasado": -1,
        }.get(relation, 0)
        return _add_months(this_month, offset)

    def _read_dates(
        self, work: list[str], reading: _Reading, today: date, month_first: bool
    ) -> None:
        # "the 20th of the current month" before "current month" alone is read as a period.
        for match in _matches(self._day_of_relative_month, work[0]):
            offset = {"next": 1, "following": 1, "previous": -1, "last": -1}.get(
                match.group("rel"), 0
            )
            month_start = _add_months(today.replace(day=1), offset)
            day_number = int(match.group("d"))
            candidate = _safe_date(month_start.year, month_start.month, day_number)
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            if candidate is None:
                reading.refuse(
                    *_no_such_day(
                        match.span(), month_start.year, month_start.month, day_number, True
                    )
                )
                _consume(work, reading, match.start(), match.end())
            else:
                reading.day, reading.day_is_pinned = candidate, True
                _consume(work, reading, match.start(), match.end())
        self._read_named_days(work, reading, today)
        for match in _matches(self._numeric_date, work[0]):
            first, second = int(match.group("a")), int(match.group("b"))
            if match.group("sep") == "." and not match.group("y"):
                continue  # "15.30" is a time
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            year_text = match.group("y")
            month, day_number = (first, second) if month_first else (second, first)
            if not 1 <= month <= 12:
                month, day_number = day_number, month
            chosen = self._calendar_day(today, month, day_number, year_text)
            if isinstance(chosen, InvalidDay):
                reading.refuse(*_invalid_day(match.span(), chosen))
                _consume(work, reading, match.start(), match.end())
                continue
            reading.day = chosen
            reading.day_is_pinned = True
            if first != second and first <= 12 and second <= 12:
                other = self._calendar_day(today, day_number, month, year_text)
                reading.month_day_alternative = other if isinstance(other, date) else None
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._month_name_date, work[0]):
            day_text = re.sub(r"\s+", " ", match.group("d1") or match.group("d2"))
            month_text = (match.group("m1") or match.group("m2")).rstrip(".")
            day_number = _day_number(day_text)
            year_text = match.group("y") or match.group("y2")
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            chosen = self._calendar_day(today, MONTHS[month_text], day_number, year_text)
            if isinstance(chosen, InvalidDay):
                reading.refuse(*_invalid_day(match.span(), chosen))
                _consume(work, reading, match.start(), match.end())
                continue
            reading.day = chosen
            reading.day_is_pinned = True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._day_of_month, work[0]):
            day_number = _day_number(
                next(g for g in match.group("d1", "d2", "d3", "d4", "d5") if g)
            )
            if reading.day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            if not 1 <= day_number <= 31:
                reading.refuse(
                    ParseError.INVALID_DATE, match.span(), f"no month has a day {day_number}"
                )
                _consume(work, reading, match.start(), match.end())
                continue
            # The next day with that number: this month's, else the next month that has it.
            month_start = today.replace(day=1)
            candidate = None
            for offset in range(3):
                first_day = _add_months(month_start, offset)
                candidate = _safe_date(first_day.year, first_day.month, day_number)
                if candidate is not None and candidate >= today:
                    break
            if candidate is None:
                continue
            reading.day = candidate
            reading.day_is_pinned = True
            _consume(work, reading, match.start(), match.end())

    @staticmethod
    def _calendar_day(
        today: date, month: int, day_number: int, year_text: str | None
    ) -> date | InvalidDay:
        """That day of that month: in the year given, else the next one on or after today.
        A day the calendar does not have is never rolled over or dropped: InvalidDay."""
        if year_text:
            digits = year_text.lstrip("'")
            year = int(digits)
            if len(digits) <= 2:
                year += 2000 if 2000 + year <= today.year + 50 else 1900
            elif year < 1:
                raise ValueError("year 0 is not on the calendar")
            return _safe_date(year, month, day_number) or _missing_day(year, month, day_number)
        if not 1 <= month <= 12 or not 1 <= day_number <= 31:
            return _missing_day(None, month, day_number)
        year = today.year
        if (month, day_number) < (today.month, today.day):
            year += 1
        return _safe_date(year, month, day_number) or _missing_day(year, month, day_number)

    def _read_weekdays(self, work: list[str], reading: _Reading) -> None:
        for match in _matches(self._next_week, work[0]):
            if reading.week_offset is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            reading.week_offset = 1
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._this_week, work[0]):
            if reading.week_offset is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            reading.week_offset = 0
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._last_week, work[0]):
            if reading.week_offset is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            reading.week_offset = -1
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._weekday, work[0]):
            name = match.group("wd")
            pre = re.sub(r"\s+", " ", match.group("pre") or "")
            post = re.sub(r"\s+", " ", match.group("post") or "")
            # Short words that are also common words ("ter" = to have) need a hint around them:
            # a modifier, a dot, "-feira", or a time right after ("ter 15h").
            hinted = bool(pre or post or match.group().endswith(".") or "feira" in match.group())
            followed_by_time = re.match(r"\s*(?:\d|as\b|a\s+las\b)", work[0][match.end() :])
            if name in ("ter", "sex", "qua", "mar") and not (hinted or followed_by_time):
                continue
            if reading.weekday is not None or reading.exact is not None:
                _defer(work, reading, match.start(), match.end())
                continue  # a second weekday: read by the next pass, a conflict
            reading.weekday = WEEKDAYS[name]
            if pre in ("next",) and not post:
                reading.weekday_mode = "next_week"
            elif post == "after next":
                reading.weekday_mode = "after_next"
            elif pre in ("this", "esta", "este", "essa", "esse", "nesta", "neste", "this coming"):
                reading.weekday_mode = "this"
            elif pre in ("last", "past", "previous", "ultima", "ultimo", "el pasado") or post in (
                "passada",
                "passado",
                "pasada",
                "pasado",
                "de la semana pasada",
                "da semana passada",
            ):
                reading.weekday_mode = "last"
            elif "proxim" in pre or post in ("que vem", "que viene", "proxima", "proximo"):
                reading.weekday_mode = "coming_named"
            else:
                reading.weekday_mode = "coming"
            _consume(work, reading, match.start(), match.end())

    def _read_times(self, work: list[str], reading: _Reading, today: date) -> None:
        for match in _matches(self._half_past, work[0]):
            if reading.hour is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            self._read_half_past(match, reading)
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._noon, work[0]):
            if reading.hour is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            if match.group("noon"):
                reading.hour, reading.meridiem = 12, "24h"
                spoken = match.group("noon_minutes")
                if spoken:
                    reading.minute = _spoken_minutes(spoken)
                    _consume(work, reading, match.start(), match.end())
                    continue
            elif match.group("midnight"):
                reading.hour, reading.meridiem = 0, "midnight"
            else:
                reading.hour, reading.meridiem = 17, "24h"
            reading.minute = 0
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._part_of_day, work[0]):
            lead = match.group("lead") or ""
            kind = next(k for k in ("morning", "afternoon", "evening", "night") if match.group(k))
            word = match.group(kind)
            if word == "manana" and not lead:
                continue  # bare "mañana" is tomorrow, read with the day words
            if reading.part_of_day is not None:
                _defer(work, reading, match.start(), match.end())
                continue
            reading.part_of_day = "early" if word == "madrugada" else kind
            if (
                lead in ("this", "esta", "nesta")
                and reading.day is None
                and reading.weekday is None
            ):
                reading.day, reading.day_is_pinned = today, True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._minute_words, work[0]):
            if reading.hour is not None:
                break
            minute = _word_minutes(match.group("mw"))
            if minute is None:
                continue
            reading.hour, reading.minute = HOUR_WORDS[match.group("h")], minute
            suffix = (match.group("suffix") or "").replace(".", "").replace(" ", "")
            if suffix:
                reading.meridiem = suffix
            else:
                reading.hour_is_bare = True
            _consume(work, reading, match.start(), match.end())
        for match in _matches(self._clock, work[0]):
            if reading.hour is not None and reading.meridiem != "eod":
                break
            if self._read_clock(match, reading):
                _consume(work, reading, match.start(), match.end())
                break

    @staticmethod
    def _read_range(match: re.Match[str], reading: _Reading) -> bool:
        """ "9-10am", "from 2 to 3pm", "das 14h às 15h", "between 3 and 4": the first clock time
        is the start and the span is the duration (end on the same half of the day unless the
        end's own a.m./p.m. says otherwise: "11-1pm" is 11:00 to 13:00)."""
        if reading.hour is not None or reading.duration is not None:
            return False
        lead, conn = match.group("lead"), match.group("conn")
        marks = [(match.group(g) or "").replace(".", "").replace(" ", "") for g in ("s1", "s2")]
        if conn in ("and", "e", "y") and lead not in ("between", "entre"):
            return False
        if lead is None and not (any(marks) or match.group("m1") or match.group("m2")):
            return False  # "9-10" alone is a date
        if lead is None and conn not in ("-", "–", "to", "till", "until"):
            return False
        if lead in ("between", "entre") and conn not in ("and", "e", "y", "-", "–"):
            return False
        hours = [int(match.group("h1")), int(match.group("h2"))]
        minutes = [int(match.group("m1") or 0), int(match.group("m2") or 0)]
        if max(hours) > 23 or max(minutes) > 59:
            return False
        twelve = [m in ("am", "pm") for m in marks]
        if any(twelve[i] and not 1 <= hours[i] <= 12 for i in (0, 1)):
            return False
        if not marks[0] and marks[1] in ("am", "pm"):
            marks[0] = marks[1]  # "9-10am": both a.m.
            start_24 = _twelve_to_24(hours[0], marks[0]) * 60 + minutes[0]
            end_24 = _twelve_to_24(hours[1], marks[1]) * 60 + minutes[1]
            if start_24 >= end_24:
                marks[0] = "am" if marks[1] == "pm" else "pm"  # "11-1pm"
        clock = [
            _twelve_to_24(hours[i], marks[i]) if marks[i] in ("am", "pm") else hours[i]
            for i in (0, 1)
        ]
        length = (clock[1] * 60 + minutes[1]) - (clock[0] * 60 + minutes[0])
        if length <= 0 and not any(marks) and hours[1] <= 12:
            length += 12 * 60  # "between 11 and 1"
        if not 0 < length <= 12 * 60:
            return False
        reading.hour, reading.minute = clock[0], minutes[0]
        told = marks[0] in ("am", "pm") or any(m in ("h", "hs", "hrs") for m in marks)
        if told or clock[0] > 12:
            reading.meridiem = "24h"
        else:
            reading.hour_is_bare = True
        reading.duration = timedelta(minutes=length)
        return True

    def _read_half_past(self, match: re.Match[str], reading: _Reading) -> None:
        if match.group("h_half"):
            hour_text = match.group("h_half")
            reading.hour = _hour_value(hour_text)
            reading.minute = 30
            reading.hour_is_bare = True
            return
        what = re.sub(r"^a\s+", "", match.group("what"))
        minutes = {"half": 30, "quarter": 15}.get(what)
        if minutes is None:
            minutes = int(what) if what.isdigit() else NUMBER_WORDS.get(what, 0)
        hour_text = match.group("h")
        hour = {"noon": 12, "midnight": 0, "mediodia": 12}.get(
            re.sub(r"meio[\s-]?dia", "noon", hour_text)
        )
        meridiem = (match.group("hp") or "").replace(".", "").replace(" ", "")
        if hour is None and meridiem in ("am", "pm"):
            hour = (_hour_value(hour_text) or 0) % 12 + (12 if meridiem == "pm" else 0)
            reading.meridiem = "24h"
        elif hour is None:
            hour = _hour_value(hour_text) or 0
            reading.hour_is_bare = True
        else:
            reading.meridiem = "24h"
        if match.group("rel").startswith(("to", "till", "before", "para", "pras")):
            hour, minutes = (hour - 1) % 24, 60 - minutes
        reading.hour, reading.minute = hour, minutes

    def _read_clock(self, match: re.Match[str], reading: _Reading) -> bool:
        hour = _hour_value(match.group("h"))
        if hour is None:
            return False
        prefix = match.group("prefix")
        suffix = (match.group("suffix") or "").replace(" ", "").replace(".", "")
        if suffix.startswith(("oclock", "o'clock")) and suffix.endswith(("am", "pm")):
            suffix = suffix[-2:]  # "3 o'clock pm"
        sep, minute_text = match.group("sep"), match.group("m")
        if sep == " " and not (prefix or suffix):
            minute_text = None
        if (
            sep == ""
            and minute_text
            and not ((prefix and prefix.strip() not in ("as", "la")) or suffix in ("am", "pm"))
        ):
            return False
        has_marker = bool(
            (prefix and prefix.strip() not in ("as", "la", "by", "from", "about"))
            or suffix
            in (
                "am",
                "pm",
                "a",
                "p",
                "h",
                "hs",
                "hrs",
                "horas",
                "hora",
                "oclock",
                "o'clock",
                "intheam",
                "inthepm",
            )
            or (sep in (":", "h") and minute_text)
            or (sep == "." and minute_text and not match.group().startswith("0"))
            or match.group("mw")
            or match.group("menos")
            or match.group("ish")
            or match.group("ish2")
        )
        context = (
            reading.part_of_day is not None
            or reading.day is not None
            or reading.weekday is not None
            or reading.calendar_delta is not None
            or prefix is not None
        )
        if not match.group("h").isdigit() and not (prefix or suffix or reading.part_of_day):
            return False
        if not has_marker and not context:
            return False
        if suffix in ("a", "p") and not match.group("h").isdigit():
            return False
        minute = int(minute_text) if minute_text else 0
        if suffix in ("a", "p") and not 1 <= hour <= 12:
            return False  # "de 14 a 15h": "a" is "to" here, not a.m.
        twelve_hour = suffix in ("am", "pm", "intheam", "inthepm")
        if (
            hour > 24
            or minute > 59
            or (hour == 24 and minute)
            or (twelve_hour and not 1 <= hour <= 12)
        ):
            if not has_marker:
                return False
            reading.refuse(
                ParseError.INVALID_TIME,
                (match.start("h"), match.end()),
                _clock_reason(hour, minute),
            )
            return True
        if match.group("mw"):
            minute = _spoken_minutes(match.group("mw"))
        if match.group("menos"):
            taken = _spoken_minutes(match.group("menos").split()[-1])
            hour, minute = (hour - 1) % 24, 60 - taken
        reading.hour, reading.minute = hour % 24, minute
        reading.second = int(match.group("s") or 0)
        if suffix in ("am", "a", "intheam"):
            reading.meridiem = "am"
        elif suffix in ("pm", "p", "inthepm"):
            reading.meridiem = "pm"
        elif suffix in ("h", "hs", "hrs", "horas", "hora") or sep == "h" or hour > 12:
            reading.meridiem = "24h"  # "9h", "16h30": the 24-hour clock, read as written
        else:
            reading.hour_is_bare = True
        return True

    def _read_bare_hour(self, work: list[str], reading: _Reading) -> None:
        """A lone number is an hour when it stands beside a day ("tmrw 3") or alone ("7")."""
        numbers = list(islice(_LONE_NUMBER.finditer(work[0]), 2))
        if len(numbers) != 1:
            return
        stripped = work[0].strip()
        beside_a_day = reading.day is not None or reading.weekday is not None
        if not (beside_a_day or stripped == numbers[0].group(1) or reading.part_of_day):
            return
        hour = int(numbers[0].group(1))
        if hour > 23:
            return
        reading.hour, reading.minute, reading.hour_is_bare = hour, 0, True
        _consume(work, reading, numbers[0].start(), numbers[0].end())

    # ------------------------------------------------------------------ resolving
    def _resolve(
        self,
        text: str,
        matched: str,
        reading: _Reading,
        now: datetime,
        zone: tzinfo,
        person_zone: tzinfo,
        named_zone: NamedZone | None,
        allow_past: bool,
    ) -> ParseResult:
        today = now.date()
        alternatives: list[datetime] = []
        explicit_label = named_zone.label if named_zone else None
        common: dict[str, Any] = {
            "duration": reading.duration,
            "explicit_zone": explicit_label,
            "matched_text": matched,
            "text": text,
        }

        clock = self._clock_time(reading)
        if reading.exact is not None and (clock is None or reading.calendar_delta is None):
            start = reading.exact
            if clock is not None and start.date() == today and reading.exact != now:
                start = _wall_clock(start.date(), clock, zone)
            return self._finish(start, person_zone, now, alternatives, allow_past, common)

        day = self._day(reading, now)
        if reading.weekday is not None and day is not None:
            alternatives_day = self._weekday_alternative(reading, today, day)
        else:
            alternatives_day = None
        if reading.calendar_delta is not None and reading.day is None and reading.weekday is None:
            months, days = reading.calendar_delta
            target = _add_months(now.date(), months) + timedelta(days=days)
            if clock is None:
                start = _wall_clock(target, now.time().replace(tzinfo=None), zone)
                return self._finish(start, person_zone, now, alternatives, allow_past, common)
            day = target

        if clock is None:
            if day is None:
                return ParseResult(error=ParseError.UNPARSEABLE, **common)
            if day < today and not allow_past:
                return ParseResult(error=ParseError.PAST, date=day, **common)
            return ParseResult(error=ParseError.DATE_ONLY, date=day, **common)

        if day is None:
            day = today
            start = _wall_clock(day, clock, zone)
            if start < now and not reading.day_is_pinned:
                day = today + timedelta(days=1)
                start = _wall_clock(day, clock, zone)
        else:
            start = _wall_clock(day, clock, zone)
        for other_day in (alternatives_day, reading.month_day_alternative):
            if other_day is not None and other_day != day:
                alternatives.append(_wall_clock(other_day, clock, zone))
        if reading.hour_is_bare and reading.meridiem is None and reading.part_of_day is None:
            other_clock = _other_half_of_day(clock)
            if other_clock is not None:
                alternatives.append(_wall_clock(start.date(), other_clock, zone))
        if named_zone is not None and named_zone.summer_meaning is not None:
            summer = _wall_clock(start.date(), clock, named_zone.summer_meaning)
            if summer != start:
                alternatives.append(summer)
        return self._finish(start, person_zone, now, alternatives, allow_past, common)

    def _finish(
        self,
        start: datetime,
        person_zone: tzinfo,
        now: datetime,
        alternatives: list[datetime],
        allow_past: bool,
        common: dict[str, Any],
    ) -> ParseResult:
        start = start.astimezone(person_zone)
        future_alternatives = tuple(
            dict.fromkeys(
                alt.astimezone(person_zone)
                for alt in alternatives
                if alt >= now and alt.astimezone(person_zone) != start
            )
        )
        if start < now - timedelta(seconds=1) and not allow_past:
            return ParseResult(
                error=ParseError.PAST, date=start.date(), alternatives=future_alternatives, **common
            )
        return ParseResult(start=start, alternatives=future_alternatives, **common)

    @staticmethod
    def _clock_time(reading: _Reading) -> time | None:
        hour = reading.hour
        if hour is None:
            if reading.part_of_day is None:
                return None
            return time(PART_OF_DAY_HOURS[reading.part_of_day])
        if reading.meridiem == "am":
            hour = 0 if hour == 12 else hour
        elif reading.meridiem == "pm":
            hour = hour if hour >= 12 else hour + 12
        elif reading.meridiem == "midnight" or (
            reading.meridiem == "24h" and reading.part_of_day is None
        ):
            pass
        elif hour <= 12 and reading.part_of_day is not None:
            part = reading.part_of_day
            if part in ("morning", "early"):
                hour = 0 if hour == 12 else hour
            elif part == "night" and hour == 12:
                hour = 0
            elif part == "night" and hour <= 4:
                pass
            elif part in ("afternoon", "evening", "night") and hour < 12:
                hour += 12
        elif reading.hour_is_bare and 1 <= hour <= 7:
            hour += 12  # business hours: "at 3" is 15:00
        return time(hour % 24, reading.minute, reading.second)

    def _day(self, reading: _Reading, now: datetime) -> date | None:
        today = now.date()
        if reading.weekday is None:
            if reading.day is not None:
                return reading.day
            if reading.week_offset is not None:
                monday = (
                    today - timedelta(days=today.weekday()) + timedelta(weeks=reading.week_offset)
                )
                return monday if reading.week_offset else today
            if reading.calendar_delta is not None:
                return None
            return None
        weekday = reading.weekday
        if reading.day is not None and reading.day.weekday() == weekday:
            return reading.day  # "next Monday, Dec 7": the date and the weekday agree
        if reading.week_offset is not None:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=reading.week_offset)
            return monday + timedelta(days=weekday)
        ahead = (weekday - today.weekday()) % 7
        mode = reading.weekday_mode
        if reading.day is not None and mode in ("coming", ""):
            return reading.day  # "Monday, Feb 18": the date decides
        if mode == "this":
            return today + timedelta(days=ahead)
        if mode == "next_week":
            return today - timedelta(days=today.weekday()) + timedelta(weeks=1, days=weekday)
        if mode == "after_next":
            return today + timedelta(days=(ahead or 7) + 7)
        if mode == "last":
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return today + timedelta(days=ahead or 7)

    @staticmethod
    def _weekday_alternative(reading: _Reading, today: date, day: date) -> date | None:
        assert reading.weekday is not None
        coming = today + timedelta(days=(reading.weekday - today.weekday()) % 7 or 7)
        next_calendar_week = (
            today - timedelta(days=today.weekday()) + timedelta(weeks=1, days=reading.weekday)
        )
        if reading.weekday_mode == "next_week":
            return coming
        if reading.weekday_mode == "coming_named":
            return next_calendar_week
        if reading.weekday_mode == "this" and day == today:
            return today + timedelta(days=7)
        return None

    @staticmethod
    def _weekday_mismatch(reading: _Reading, now: datetime) -> date | None:
        """The day the weekday names when a date names another weekday ("Monday, Dec 8" with
        Dec 8 a Tuesday): that weekday in the date's week, else the next one."""
        if reading.weekday is None or reading.day is None:
            return None
        if reading.day.weekday() == reading.weekday:
            return None
        ahead = (reading.weekday - reading.day.weekday() + 3) % 7 - 3
        candidate = reading.day + timedelta(days=ahead)
        return candidate if candidate >= now.date() else candidate + timedelta(days=7)

    def _unknown_word(
        self,
        text: str,
        leftover: str,
        locale: str | None,
        languages: Sequence[str],
        also_known: frozenset[str] = frozenset(),
    ) -> ParseResult | None:
        """A word left over that is neither time nor known filler, as a refusal: the first
        that is no time word at all ("next zorpday": "zorpday"), else the first."""
        found: list[tuple[str, str]] = []
        for match in _WORD.finditer(leftover):
            token = match.group().strip(".'-/")
            if not token or token in FILLER_WORDS or token in also_known:
                continue
            if also_known and _DATE_DIGITS.fullmatch(token):
                continue  # dateparser reads "2014-10", "2/2013" as days or months, never times
            if not re.search(r"\w", token):
                continue
            word = text[match.start() : match.end()].strip(".'-/")
            if word[:1].isupper() and _AFTER_WITH.search(
                leftover, max(0, match.start() - 40), match.start()
            ):
                continue  # "with Ana": who the meeting is with
            found.append((token, word))
            if token not in TIME_WORDS:
                break
        if not found:
            return None
        token, word = next(((t, w) for t, w in found if t not in TIME_WORDS), found[0])
        suggestion = suggest(token, self._language_order(locale, languages))
        if suggestion is not None and _fold(suggestion).replace("-", "") == token:
            suggestion = None
        return ParseResult(
            error=ParseError.UNKNOWN_WORD,
            text=text,
            word=word,
            suggestion=suggestion,
            detail=f"{word!r} is not a time word here",
        )

    def _dateparser_words(self, languages: Sequence[str]) -> frozenset[str]:
        """Every word dateparser knows in these languages (its fallback reads no other)."""
        key = tuple(languages)
        known = self._dateparser_vocabulary.get(key)
        if known is None:
            words: set[str] = set()
            for language in languages:
                _strings(default_loader.get_locale(language).info, words)
            known = frozenset(word for text in words for word in re.findall(r"[a-z]+", _fold(text)))
            self._dateparser_vocabulary[key] = known
        return known

    # ------------------------------------------------------------------ dateparser
    def _fallback(
        self,
        text: str,
        folded: str,
        reading: _Reading,
        now: datetime,
        zone: tzinfo,
        person_zone: tzinfo,
        locale: str | None,
        languages: Sequence[str],
        month_first: bool,
        allow_past: bool,
    ) -> ParseResult:
        common: dict[str, Any] = {"duration": reading.duration, "text": text}
        cleaned = " ".join(folded.split())
        if not cleaned:
            return ParseResult(error=ParseError.UNPARSEABLE, **common)
        local_now = now.astimezone(zone)
        order = "MDY" if month_first else "DMY"
        language_order = self._language_order(locale, languages)
        unknown = self._unknown_word(
            text, folded, locale, languages, self._dateparser_words(language_order)
        )
        if unknown is not None:
            # A phrase that is not all date words is never handed to dateparser: a close word
            # is suggested; a phrase with no time word in it at all is simply unreadable.
            if unknown.suggestion:
                return unknown
            return replace(unknown, error=ParseError.UNPARSEABLE, suggestion=None)
        data = self._dateparser_read(cleaned, local_now, language_order, order)
        if data is not None:
            found, period = data
            if period != "time":
                # A day, week, month or year: never a start at its midnight.
                day = found.date()
                is_past = day < local_now.date() and not allow_past
                error = ParseError.PAST if is_past else ParseError.DATE_ONLY
                return ParseResult(error=error, date=day, matched_text=text.strip(), **common)
            start = datetime.combine(found.date(), found.time(), zone)
            start = start.astimezone(UTC).astimezone(zone)
            common["matched_text"] = text.strip()
            return self._finish(start, person_zone, now, [], allow_past, common)
        return ParseResult(error=ParseError.UNPARSEABLE, **common)

    @staticmethod
    def _dateparser_read(
        cleaned: str, local_now: datetime, languages: tuple[str, ...], order: str
    ) -> tuple[datetime, str] | None:
        # RELATIVE_BASE changes every call; a parser is cheap to build (dateparser caches the
        # language data it loads, which is the costly part and what warm_up pays for).
        parser = DateDataParser(
            languages=list(languages),
            settings={
                "PREFER_DATES_FROM": "future",
                "RETURN_TIME_AS_PERIOD": True,
                "DATE_ORDER": order,
                "PREFER_DAY_OF_MONTH": "first",
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
            },
        )
        data = parser.get_date_data(cleaned)
        if data.date_obj is None:
            return None
        return data.date_obj.replace(tzinfo=None), data.period or "day"

    @staticmethod
    def _language_order(locale: str | None, languages: Sequence[str]) -> tuple[str, ...]:
        """The person's language first, then the configured ones; never empty, because an
        empty list would make dateparser detect the language (about a second a call)."""
        first = (locale or "en").split("-")[0].lower()
        ordered = [first] if first in DEFAULT_LANGUAGES else []
        return tuple(dict.fromkeys([*ordered, *languages])) or DEFAULT_LANGUAGES


# ---------------------------------------------------------------------- helpers
def _fold(text: str) -> str:
    """Lower-case, accents off, one character out for each character in (spans stay valid)."""
    folded = []
    for char in text:
        if char in "’‘`´":
            folded.append("'")
            continue
        if char.isspace():
            folded.append(" ")
            continue
        base = unicodedata.normalize("NFKD", char)[:1].lower()[:1] or " "
        folded.append(base)
    return "".join(folded)


_AFTER_WITH = re.compile(r"(?:\bwith|\bcom|\bcon|\bw/)\s+$")
_LONE_NUMBER = re.compile(r"(?<![\w:/.,-])(\d{1,2})(?![\w:/,-]|\.\d)")
_DATE_DIGITS = re.compile(r"\d{1,4}(?:[/.-]\d{1,4}){0,2}")
_WORD = re.compile(r"[^\s,;:!?¿¡()\[\]\"]+")
_DAY_FIELDS = (
    "day",
    "day_alternative",
    "day_is_pinned",
    "weekday",
    "weekday_mode",
    "week_offset",
    "calendar_delta",
    "past_delta",
    "month_day_alternative",
    "exact",
)
_TIME_FIELDS = ("hour", "minute", "second", "meridiem", "hour_is_bare", "part_of_day")


def _overlay(base: _Reading, extra: _Reading) -> _Reading:
    """`base` with what a later pass read instead: its day, its clock time, or both."""
    merged = replace(base)
    if any(
        getattr(extra, name) is not None
        for name in ("day", "weekday", "week_offset", "calendar_delta", "exact")
    ):
        for name in _DAY_FIELDS:
            setattr(merged, name, getattr(extra, name))
    if extra.hour is not None or extra.part_of_day is not None:
        for name in _TIME_FIELDS:
            setattr(merged, name, getattr(extra, name))
    return merged


def _choices(error: ParseError, text: str, results: Sequence[ParseResult]) -> ParseResult:
    """A refusal that offers each reading that is a bookable start as a choice."""
    starts = tuple(dict.fromkeys(r.start for r in results if r.start is not None))
    return ParseResult(error=error, text=text, alternatives=starts)


def _conflict(text: str, results: Sequence[ParseResult]) -> ParseResult:
    """Two readings of one phrase: the same moment said twice is fine, else a conflict."""
    starts = {r.start for r in results}
    if None not in starts and len(starts) == 1:
        return results[0]
    moments = list(dict.fromkeys(r.start for r in results if r.start is not None))
    if len(moments) == 1 and all(
        r.error is ParseError.DATE_ONLY and r.date == moments[0].date()
        for r in results
        if r.start is None
    ):
        timed = [r for r in results if r.start is not None]
        return timed[0]  # "today in one hour": the day agrees with the moment
    days = {r.date for r in results if r.start is None}
    if len(starts - {None}) <= 1 and len(days) == 1 and all(r.error for r in results):
        return results[0]  # "Dec 5 5 Dec": one day said twice
    shown = [
        r.start.isoformat() if r.start else f"{r.error} {r.date or ''}".strip() for r in results
    ]
    result = _choices(ParseError.CONFLICT, text, results)
    return replace(result, detail="two different readings: " + " / ".join(shown))


def _strings(value: object, into: set[str]) -> None:
    """Every string in dateparser's language data (keys and values), regexes left out."""
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("name", "date_order", "relative-type-regex", "sentence_splitter_group"):
                _strings(key, into)
                _strings(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, into)


def _blank(work: list[str], start: int, end: int) -> None:
    work[0] = work[0][:start] + " " * (end - start) + work[0][end:]


def _holiday_date(
    rule: Callable[[int], date | None], match: re.Match[str], today: date
) -> date | None:
    """The holiday's day a phrase names: a given year, else the next one ("last": the last)."""
    if match.group("n_pre"):
        # "a year after christmas": counted from the last one (as Duckling reads it).
        text = match.group("n_pre")
        years = int(text) if text.isdigit() else NUMBER_WORDS[text]
        this_year = rule(today.year)
        last_year = today.year if this_year is not None and this_year <= today else today.year - 1
        return rule(last_year + years)
    if match.group("y"):
        return rule(int(match.group("y")))
    if match.group("yrel"):
        return rule(today.year + {"next": 1, "last": -1}.get(match.group("yrel"), 0))
    amount_text = match.group("n_in") or match.group("n_off")
    if amount_text:
        amount = int(amount_text) if amount_text.isdigit() else NUMBER_WORDS[amount_text]
        if match.group("dir") == "ago":
            amount = -amount
        if (match.group("u_in") or match.group("u_off")).startswith("year"):
            # "thanksgiving in 3 years": the coming one's, three years on.
            coming = _holiday_on_or_after(rule, today)
            return None if coming is None else rule(coming.year + amount)
        # "thanksgiving 3 months ago": the first one on or after that day.
        return _holiday_on_or_after(rule, _add_months(today, amount))
    if match.group("mod") == "last":
        this_year = rule(today.year)
        return this_year if this_year is not None and this_year < today else rule(today.year - 1)
    return _holiday_on_or_after(rule, today)


def _holiday_on_or_after(rule: Callable[[int], date | None], day: date) -> date | None:
    this_year = rule(day.year)
    return this_year if this_year is not None and this_year >= day else rule(day.year + 1)


# A phrase holds a handful of time words: past this many matches of one pattern the rest is
# left over (and refused), so a long or repeated text costs linear time, never more.
MAX_MATCHES = 8


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return islice(pattern.finditer(text), MAX_MATCHES)


def _defer(work: list[str], reading: _Reading, start: int, end: int) -> None:
    """Keep a second day or time out of this pass (so no other rule reads a piece of it) and
    give it back at the end of the pass: the next pass reads it, and it becomes a conflict."""
    reading.deferred.append((start, work[0][start:end]))
    _blank(work, start, end)


def _restore(work: list[str], reading: _Reading) -> None:
    for start, piece in reversed(reading.deferred):
        work[0] = work[0][:start] + piece + work[0][start + len(piece) :]
    reading.deferred.clear()


def _consume(work: list[str], reading: _Reading, start: int, end: int) -> None:
    _blank(work, start, end)
    reading.spans.append((start, end))


def _matched_text(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return ""
    return text[min(s for s, _ in spans) : max(e for _, e in spans)].strip(" ,.;")


def _number_value(text: str) -> float | None:
    cleaned = text.strip().replace(",", ".")
    fraction = re.fullmatch(r"(\d+)/(\d+)", cleaned)
    if fraction:
        denominator = int(fraction.group(2))
        return int(fraction.group(1)) / denominator if denominator else None
    if "quarter" in cleaned:
        return 0.75
    cleaned = re.sub(r"^a\s+|\s+of$", "", cleaned)
    if cleaned in ("couple", "pair"):
        return 2.0
    if cleaned == "few":
        return 3.0
    try:
        return float(cleaned)
    except ValueError:
        pass
    total = 0
    for word in re.split(r"[\s-]+", cleaned):
        if word in ("e", "y", "and", "of", "de"):
            continue
        if word not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[word]
    return float(total)


def _amount(match: re.Match[str]) -> tuple[float | None, int]:
    """(minutes, calendar months) of an amount like "2.5 hours", "uma hora e meia", "1h30"."""
    if match.group("compact_h"):
        return int(match.group("compact_h")) * 60 + int(match.group("compact_m")), 0
    if match.group("hour_and_half"):
        return 90.0, 0  # "en hora y media", "daqui a hora e meia"
    if match.group("half_alone"):
        words = match.group("half_alone")
        return (15.0 if "quarter" in words or "quarto" in words else 30.0), 0
    if match.group("num") is None:
        return None, 0
    number = _number_value(match.group("num"))
    unit = match.group("unit").rstrip(".")
    if number is None:
        return None, 0
    if match.group("half") or match.group("half_pre"):
        number += 0.5
    if unit in UNIT_MONTHS:
        return 0.0, int(number * UNIT_MONTHS[unit])
    minutes = number * UNIT_MINUTES[unit]
    if UNIT_MINUTES[unit] == 0:
        minutes = number / 60
    if match.group("num2"):
        extra = _number_value(match.group("num2"))
        minutes += extra or 0
    return minutes, 0


def _spoken_minutes(text: str) -> int:
    """ "meia" -> 30, "cuarto" -> 15, "quarenta e cinco" -> 45, "20" -> 20."""
    special = {"meia": 30, "media": 30, "cuarto": 15, "quarto": 15}
    if text in special:
        return special[text]
    value = _number_value(text)
    return int(value) if value is not None and 0 <= value < 60 else 0


def _day_number(text: str) -> int:
    text = re.sub(r"\s+", " ", text)
    if text in ORDINAL_DAY_WORDS:
        return ORDINAL_DAY_WORDS[text]
    digits = re.sub(r"\D", "", text)
    if digits:
        return int(digits)
    value = _number_value(text.replace("veinti ", "veinte "))
    return int(value) if value is not None else 0


def _hour_value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return HOUR_WORDS.get(text)


def _word_minutes(text: str) -> int | None:
    parts = re.split(r"[\s-]+", text)
    if len(parts) == 2 and parts[0] in ("twenty", "thirty", "forty", "fifty"):
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS.get(parts[1], 0)
    if parts[0] in ("zero", "oh", "o", "ou") and len(parts) == 2:
        value = NUMBER_WORDS.get(parts[1])
        return value if value is not None and value < 10 else None
    value = NUMBER_WORDS.get(text)
    return value if value is not None and 10 <= value < 60 else None


_NTH = {
    **dict.fromkeys(["first", "1st", "primeiro", "primeira", "primer", "primero", "primera"], 0),
    **dict.fromkeys(["second", "2nd", "segundo"], 1),
    **dict.fromkeys(["third", "3rd", "terceiro", "terceira", "tercer", "tercero", "tercera"], 2),
}


def _clock_reason(hour: int, minute: int) -> str:
    if minute > 59:
        return "an hour has 60 minutes"
    if hour > 24 or (hour == 24 and minute):
        return "a day has 24 hours"
    return "a.m. and p.m. go with hours 1 to 12"


def _twelve_to_24(hour: int, meridiem: str) -> int:
    return hour % 12 + (12 if meridiem == "pm" else 0)


def _other_half_of_day(clock: time) -> time | None:
    if 1 <= clock.hour <= 11:
        return clock.replace(hour=clock.hour + 12)
    if 13 <= clock.hour <= 19:
        return clock.replace(hour=clock.hour - 12)
    return None


# English names, not calendar.month_name: that one follows the process locale.
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _missing_day(year: int | None, month: int, day_number: int) -> InvalidDay:
    """What is wrong with a day the calendar lacks (the year only matters for February)."""
    if not 1 <= month <= 12:
        return InvalidDay(month=month, day=day_number, year=None, days=0)
    if month == 2 and year is not None:
        return InvalidDay(month, day_number, year, calendar.monthrange(year, 2)[1])
    days = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    return InvalidDay(month, day_number, None, days)


def _invalid_day(
    span: tuple[int, int], invalid: InvalidDay
) -> tuple[ParseError, tuple[int, int], str, InvalidDay]:
    if invalid.days == 0:
        reason = f"there is no month {invalid.month}"
    else:
        month = _ENGLISH_MONTHS[invalid.month - 1]
        year = f" {invalid.year}" if invalid.year is not None else ""
        reason = f"{month}{year} has {invalid.days} days"
    return ParseError.INVALID_DATE, span, reason, invalid


def _no_such_day(
    span: tuple[int, int], year: int, month: int, day_number: int, year_given: bool
) -> tuple[ParseError, tuple[int, int], str, InvalidDay]:
    return _invalid_day(span, _missing_day(year if year_given else None, month, day_number))


def _safe_date(year: int, month: int, day_number: int) -> date | None:
    try:
        return date(year, month, day_number)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (day.day, 30, 29, 28):
        candidate = _safe_date(year, month, min(day.day, last))
        if candidate is not None:
            return candidate
    raise ValueError("unreachable")


def _offset_zone(text: str) -> tzinfo:
    from datetime import timezone

    if text == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))


def _wall_clock(day: date, clock: time, zone: tzinfo) -> datetime:
    """That wall-clock time on that day, with that day's offset; a time skipped by a DST
    change moves forward by the gap (02:30 on spring-forward day is 03:30)."""
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
