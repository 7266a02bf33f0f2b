"""Words of English, Portuguese and Spanish that name times, read-only tables.

Every word here is written lower-case without accents: the parser folds the text the same way
before matching, so "amanhã", "amanha" and "AMANHÃ" are one word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType


def _words(text: str) -> list[str]:
    """Space-separated words (long word lists read better as text)."""
    return text.split()


def _frozen(table: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(table))


NUMBER_WORDS: Mapping[str, int] = _frozen(
    {
        # English
        "zero": 0,
        "a": 1,
        "an": 1,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "couple": 2,
        "few": 3,
        # Portuguese
        "um": 1,
        "uma": 1,
        "dois": 2,
        "duas": 2,
        "tres": 3,
        "quatro": 4,
        "cinco": 5,
        "seis": 6,
        "sete": 7,
        "oito": 8,
        "nove": 9,
        "dez": 10,
        "onze": 11,
        "doze": 12,
        "treze": 13,
        "catorze": 14,
        "quatorze": 14,
        "quinze": 15,
        "dezesseis": 16,
        "dezessete": 17,
        "dezoito": 18,
        "dezenove": 19,
        "vinte": 20,
        "trinta": 30,
        "quarenta": 40,
        "cinquenta": 50,
        # Spanish
        "un": 1,
        "uno": 1,
        "una": 1,
        "dos": 2,
        "cuatro": 4,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
        "trece": 13,
        "catorce": 14,
        "quince": 15,
        "dieciseis": 16,
        "diecisiete": 17,
        "dieciocho": 18,
        "diecinueve": 19,
        "veinte": 20,
        "veinticinco": 25,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
    }
)

# Words that can name a clock hour ("at three", "às tres", "a las tres"); "a"/"an" cannot.
HOUR_WORDS: Mapping[str, int] = _frozen(
    {word: value for word, value in NUMBER_WORDS.items() if 1 <= value <= 23 and len(word) > 2}
    | {"una": 1, "uma": 1, "um": 1, "dos": 2}
)
# Words for a day of the month ("cinco de maio", "el uno de marzo", "the first of March").
DAY_WORDS: Mapping[str, int] = _frozen(
    {word: value for word, value in NUMBER_WORDS.items() if 1 <= value <= 31 and len(word) > 2}
    | {"uno": 1, "um": 1}
)

ORDINAL_DAY_WORDS: Mapping[str, int] = _frozen(
    {
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "fifth": 5,
        "primeiro": 1,
        "primero": 1,
        "1o": 1,
        "1ro": 1,
        "1er": 1,
    }
)

# Unit words -> minutes (months and years are counted on the calendar, not in minutes).
UNIT_MINUTES: Mapping[str, int] = _frozen(
    {
        **dict.fromkeys(["s", "sec", "secs", "second", "seconds", "segundo", "segundos"], 0),
        **dict.fromkeys(
            ["m", "mn", "min", "mins", "minute", "minutes", "minuto", "minutos", "'"], 1
        ),
        **dict.fromkeys(["h", "hr", "hrs", "hs", "hour", "hours", "hora", "horas", "hors"], 60),
        **dict.fromkeys(["d", "day", "days", "dia", "dias"], 24 * 60),
        **dict.fromkeys(["wk", "wks", "week", "weeks", "semana", "semanas"], 7 * 24 * 60),
        **dict.fromkeys(["fortnight", "fortnights", "quinzena", "quincena"], 14 * 24 * 60),
    }
)
UNIT_MONTHS: Mapping[str, int] = _frozen(
    {
        **dict.fromkeys(["month", "months", "mo", "mes", "meses"], 1),
        **dict.fromkeys(["year", "years", "yr", "yrs", "ano", "anos", "ano", "anos"], 12),
    }
)

MONTHS: Mapping[str, int] = _frozen(
    {
        "january": 1,
        "jan": 1,
        "janeiro": 1,
        "enero": 1,
        "ene": 1,
        "february": 2,
        "feb": 2,
        "fevereiro": 2,
        "fev": 2,
        "febrero": 2,
        "march": 3,
        "mar": 3,
        "marco": 3,
        "marzo": 3,
        "april": 4,
        "apr": 4,
        "abril": 4,
        "abr": 4,
        "may": 5,
        "maio": 5,
        "mai": 5,
        "mayo": 5,
        "june": 6,
        "jun": 6,
        "junho": 6,
        "junio": 6,
        "july": 7,
        "jul": 7,
        "julho": 7,
        "julio": 7,
        "august": 8,
        "aug": 8,
        "agosto": 8,
        "ago": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "setembro": 9,
        "set": 9,
        "septiembre": 9,
        "setiembre": 9,
        "october": 10,
        "oct": 10,
        "outubro": 10,
        "out": 10,
        "octubre": 10,
        "november": 11,
        "nov": 11,
        "novembro": 11,
        "noviembre": 11,
        "december": 12,
        "dec": 12,
        "dezembro": 12,
        "dez": 12,
        "diciembre": 12,
        "dic": 12,
    }
)

# Monday is 0, as in datetime.weekday().
WEEKDAYS: Mapping[str, int] = _frozen(
    {
        "monday": 0,
        "mon": 0,
        "segunda": 0,
        "seg": 0,
        "lunes": 0,
        "lun": 0,
        "tuesday": 1,
        "tue": 1,
        "tues": 1,
        "terca": 1,
        "ter": 1,
        "martes": 1,
        "wednesday": 2,
        "wed": 2,
        "weds": 2,
        "quarta": 2,
        "qua": 2,
        "miercoles": 2,
        "mie": 2,
        "thursday": 3,
        "thu": 3,
        "thur": 3,
        "thurs": 3,
        "quinta": 3,
        "qui": 3,
        "jueves": 3,
        "jue": 3,
        "friday": 4,
        "fri": 4,
        "sexta": 4,
        "sex": 4,
        "viernes": 4,
        "vie": 4,
        "saturday": 5,
        "sat": 5,
        "sabado": 5,
        "sab": 5,
        "sunday": 6,
        "sun": 6,
        "domingo": 6,
        "dom": 6,
    }
)

# Parts of the day -> the hour they mean alone, and how they turn a 1-12 hour into 24 h.
PART_OF_DAY_HOURS: Mapping[str, int] = _frozen(
    {"morning": 9, "afternoon": 14, "evening": 18, "night": 20, "early": 6}
)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation, longest first so "tues" wins over "tue"."""
    return "|".join(sorted({word.replace(" ", r"\s+") for word in words}, key=len, reverse=True))


# Every word the grammar may read as time: a left-over one is reported only when no word
# foreign to time is left ("next zorpday 3pm" names "zorpday", not "next").
TIME_WORDS: frozenset[str] = frozenset(
    [
        *NUMBER_WORDS,
        *UNIT_MINUTES,
        *UNIT_MONTHS,
        *MONTHS,
        *WEEKDAYS,
        *PART_OF_DAY_HOURS,
        *_words("""
    next last this coming upcoming past previous following after before ago later now today
    tomorrow tonight yesterday noon midnight am pm week month year quarter
    proximo proxima passado passada ultimo ultima que vem hoje amanha ontem agora manha tarde
    noite madrugada meio meia
    pasado pasada viene siguiente hoy manana ayer ahora noche mediodia medianoche
    """),
    ]
)


# Words that may sit around time words without meaning anything about the time: the strict
# reading (issue 11) lets these through and refuses every other word left over.
FILLER_WORDS: frozenset[str] = frozenset(
    _words("""
    at on in the of for by and or to from a an this that is it be we us me my our let lets let's
    can could would will shall should how about what like maybe perhaps please pls plz ok okay
    meet meeting call chat sync catch up book schedule set sounds good works for you then
    starting start time sometime some date day say works work suit suits free available
    around about approx approximately roughly ad a.d sharp exactly if possible fine
    with w w/ quick short brief demo intro kickoff onboarding pricing sales review standup
    sync catchup catch-up follow-up followup interview coffee lunch check-in checkin 1:1 call
    as às a o os em no na nos nas de do da das para pra pro pelo pela e ou um uma que
    vamos podemos pode marcar agendar reuniao reunião encontro ligacao ligação conversa
    este esta esse essa neste nesta nesse nessa dia cerca volta ponto possivel possível
    horario horário tal tipo talvez ser fica bom boa com demonstracao demonstração papo
    el la los las en del al por y o u que un una con
    podemos puede agendar reunion reunión llamada cita horario tal vez quizas quizás
    te le nos va bien parece viene sirve es demostracion demostración punto si posible
    """)
)


# Words a mistyped word may have meant, per language, as the person would read them.
SUGGESTION_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": tuple(
            _words(
                "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
                "April May June July August September October November December today tomorrow "
                "tonight yesterday morning afternoon evening night noon midnight next this week "
                "month hour hours minutes"
            )
        ),
        "pt": tuple(
            _words(
                "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo "
                "segunda terça quarta quinta sexta janeiro fevereiro março abril maio junho julho "
                "agosto setembro outubro novembro dezembro hoje amanhã ontem manhã tarde noite "
                "madrugada meio-dia meia-noite próxima próximo semana mês hora horas minutos"
            )
        ),
        "es": tuple(
            _words(
                "lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril "
                "mayo "
                "junio julio agosto septiembre octubre noviembre diciembre hoy mañana ayer tarde "
                "noche madrugada mediodía medianoche próximo próxima semana mes hora horas "
                "minutos"
            )
        ),
    }
)


def _plain(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or limit + 1 when above it."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            cost = a != b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def suggest(word: str, languages: Iterable[str]) -> str | None:
    """The known word closest to `word` in the person's languages (theirs first), if close:
    one edit for short words, two from seven letters on. None when nothing is that close."""
    plain = _plain(word)
    if len(plain) < 3 or not plain.isalpha():
        return None
    limit = 1 if len(plain) < 7 else 2
    best: tuple[int, str] | None = None
    for language in languages:
        for candidate in SUGGESTION_WORDS.get(language, ()):
            target = _plain(candidate).replace("-", "")
            distance = edit_distance(plain, target, limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, candidate)
    return best[1] if best else None
