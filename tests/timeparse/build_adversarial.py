# ruff: noqa: E501  (the table keeps one phrase a line)
"""Writes tests/data/adversarial_phrases.jsonl from the hand-written table below (issue 11).

Phrases a person could type that must NOT book the time the words seem to give: impossible
dates and clock times, unknown words where a day or time belongs, two days or two times in one
phrase, a weekday that is not the date's, digits that are no time, text far too long; and, beside
them, the valid phrases they are easily confused with, ranges and constructs that must read.

Every expected value was worked out by hand with a calendar (never by running the parser); the
builder only appends the zone's UTC offset to the local times written here. Line format:
    SCENARIO LOCALE | text | expected | category [| extra]
expected: a local start "YYYY-MM-DDTHH:MM", or !error_code, or !date_only YYYY-MM-DD.
extra (space-separated): dur=MINUTES, word=WORD (the word named), suggest=WORD,
alts=LOCAL,LOCAL (the readings offered, in order).
Run: python tests/timeparse/build_adversarial.py
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SCENARIOS = {
    # key: (now, zone) -- comments give the weekday and why the moment was chosen
    "A": ("2026-12-03T10:00:00-05:00", "America/New_York"),  # Thu; Dec 2026 starts on a Tue
    "B": ("2026-11-26T10:00:00-03:00", "America/Sao_Paulo"),  # Thu; November has 30 days
    "C": ("2026-03-02T16:30:00+01:00", "Europe/Madrid"),  # Mon afternoon; DST on 29 Mar
    "M": ("2027-01-29T16:00:00+09:00", "Asia/Tokyo"),  # Fri; next month is a 28-day February
    "J": ("2026-06-15T08:00:00-06:00", "America/Mexico_City"),  # Mon; June has 30 days
    "P": ("2026-09-10T14:00:00-03:00", "America/Sao_Paulo"),  # Thu; September has 30 days
    "L": ("2028-02-10T09:00:00+00:00", "Europe/Lisbon"),  # Thu in a leap year; DST 26 Mar
}

LONG = "tomorrow at 3pm " * 40  # 640 characters

TABLE = """
# ---- impossible dates (en)
A en-US | Sept 31 at 10am | !invalid_date | invalid_date | word=Sept 31
A en-US | September 31st 3pm | !invalid_date | invalid_date
A en-US | Feb 30 at 2pm | !invalid_date | invalid_date
A en-US | feb 29 3pm | !invalid_date | invalid_date
A en-US | April 31 | !invalid_date | invalid_date
A en-US | June 31 at noon | !invalid_date | invalid_date
A en-US | 11/31 at 4pm | !invalid_date | invalid_date | word=11/31
A en-US | 2/30 10am | !invalid_date | invalid_date
A en-US | 13/13 at 3pm | !invalid_date | invalid_date
A en-US | 2027-02-29 15:00 | !invalid_date | invalid_date
A en-US | the 32nd at 3pm | !invalid_date | invalid_date
A en-US | Nov 31 2026 9am | !invalid_date | invalid_date
A en-US | Dec 32 at 10am | !invalid_date | invalid_date
A en-US | on April 31st at 9:30 | !invalid_date | invalid_date
A en-US | meet Sept 31 | !invalid_date | invalid_date
M en-US | feb 29 at 3pm | !invalid_date | invalid_date
M en-US | the 30th of next month | !invalid_date | invalid_date
M en-US | 2/29 10am | !invalid_date | invalid_date
M en-US | February 29th at 9 | !invalid_date | invalid_date
J en-US | June 31 at 10am | !invalid_date | invalid_date
J en-US | 6/31 at 3pm | !invalid_date | invalid_date
L en-GB | 30/02 at 10am | !invalid_date | invalid_date
L en-GB | Feb 30 | !invalid_date | invalid_date
L en-GB | 31 April at 2pm | !invalid_date | invalid_date
P en-US | Sep 31 at 9am | !invalid_date | invalid_date
# ---- impossible dates (pt)
B pt-BR | 31 de setembro às 11h | !invalid_date | invalid_date | word=31 de setembro
B pt-BR | 31/06 às 10h | !invalid_date | invalid_date | word=31/06
B pt-BR | 30 de fevereiro às 9h | !invalid_date | invalid_date
B pt-BR | 29 de fevereiro 15h | !invalid_date | invalid_date
B pt-BR | 31 de abril | !invalid_date | invalid_date
B pt-BR | 31/11 às 14h | !invalid_date | invalid_date
B pt-BR | dia 32 às 10h | !invalid_date | invalid_date
B pt-BR | 32 de dezembro | !invalid_date | invalid_date
B pt-BR | 31 de junho de 2027 às 10h | !invalid_date | invalid_date
B pt-BR | 2027-06-31 10:00 | !invalid_date | invalid_date
B pt-BR | dia 31 de novembro | !invalid_date | invalid_date
B pt-BR | reunião 31/09 às 16h | !invalid_date | invalid_date
P pt-BR | 31 de setembro às 11h | !invalid_date | invalid_date
P pt-BR | 31/09 às 15h | !invalid_date | invalid_date
M pt-BR | 29/02 às 10h | !invalid_date | invalid_date
M pt-BR | 30 de fevereiro | !invalid_date | invalid_date
J pt-BR | 31 de junho às 10h | !invalid_date | invalid_date
L pt-BR | 30 de fevereiro às 10h | !invalid_date | invalid_date
# ---- impossible dates (es)
C es-ES | 31 de septiembre a las 9 | !invalid_date | invalid_date | word=31 de septiembre
C es-ES | 30 de febrero a las 10 | !invalid_date | invalid_date
C es-ES | 29 de febrero | !invalid_date | invalid_date
C es-ES | 31/04 a las 11 | !invalid_date | invalid_date
C es-ES | 31 de junio | !invalid_date | invalid_date
C es-ES | el 31 de noviembre a las 5 de la tarde | !invalid_date | invalid_date
C es-ES | día 32 a las 10 | !invalid_date | invalid_date
C es-ES | 2026-04-31 10:00 | !invalid_date | invalid_date
C es-ES | 31/09/2026 a las 9 | !invalid_date | invalid_date
C es-ES | el 30 de febrero de 2028 | !invalid_date | invalid_date
M es-ES | 29 de febrero a las 10 | !invalid_date | invalid_date
J es-ES | 31 de junio a las 10 | !invalid_date | invalid_date
J es-ES | 31/06 a las 12 | !invalid_date | invalid_date
P es-ES | 31 de septiembre a las 10 | !invalid_date | invalid_date
L es-ES | 30 de febrero a las 10 | !invalid_date | invalid_date
A en-US | dec 31 9999 11pm | !invalid_date | invalid_date
B pt-BR | março de 0000 às 10h | !invalid_date | invalid_date
C es-ES | 31/12/0000 a las 10 | !invalid_date | invalid_date
# ---- impossible clock times
A en-US | 14pm | !invalid_time | invalid_time | word=14pm
A en-US | tomorrow 25:00 | !invalid_time | invalid_time | word=25:00
A en-US | 3:75pm | !invalid_time | invalid_time
A en-US | 13am tomorrow | !invalid_time | invalid_time
A en-US | tomorrow at 0pm | !invalid_time | invalid_time
A en-US | friday 10:60 | !invalid_time | invalid_time
A en-US | tomorrow 24:30 | !invalid_time | invalid_time
A en-US | at 25 tomorrow | !invalid_time | invalid_time
A en-US | monday 99:00 | !invalid_time | invalid_time
A en-US | tomorrow at 13 pm | !invalid_time | invalid_time
M en-US | 14pm tomorrow | !invalid_time | invalid_time
M en-US | tomorrow at 11:65am | !invalid_time | invalid_time
J en-US | 15pm | !invalid_time | invalid_time
B pt-BR | às 27h | !invalid_time | invalid_time | word=27h
B pt-BR | amanhã às 25h | !invalid_time | invalid_time
B pt-BR | amanhã 24:30 | !invalid_time | invalid_time
B pt-BR | sexta às 10h75 | !invalid_time | invalid_time
B pt-BR | às 15h61 | !invalid_time | invalid_time
B pt-BR | amanhã às 99h | !invalid_time | invalid_time
B pt-BR | segunda às 30h | !invalid_time | invalid_time
P pt-BR | às 14pm | !invalid_time | invalid_time
P pt-BR | amanhã às 26:00 | !invalid_time | invalid_time
C es-ES | mañana a las 25:00 | !invalid_time | invalid_time
C es-ES | a las 13pm | !invalid_time | invalid_time
C es-ES | el lunes a las 10:70 | !invalid_time | invalid_time
C es-ES | mañana a las 30 | !invalid_time | invalid_time
C es-ES | hoy a las 24:15 | !invalid_time | invalid_time
J es-ES | a las 26 | !invalid_time | invalid_time
J es-ES | mañana a las 9:99 | !invalid_time | invalid_time
M es-ES | el sábado a las 27 | !invalid_time | invalid_time
# ---- unknown words where a day or time belongs
A en-US | next zorpday 3pm | !unknown_word | unknown_word | word=zorpday
A en-US | thrusday 3pm | !unknown_word | unknown_word | word=thrusday suggest=Thursday
A en-US | tomorrow blorf 3pm | !unknown_word | unknown_word | word=blorf
A en-US | 3pm flurbsday | !unknown_word | unknown_word | word=flurbsday
A en-US | wensday at 2 | !unknown_word | unknown_word | word=wensday suggest=Wednesday
A en-US | next munday 10am | !unknown_word | unknown_word | word=munday suggest=Monday
A en-US | frday 4pm | !unknown_word | unknown_word | word=frday suggest=Friday
A en-US | Decmber 10 3pm | !unknown_word | unknown_word | word=Decmber suggest=December
A en-US | tomorrow at 3pm in the qwerty | !unknown_word | unknown_word | word=qwerty
A en-US | the 5th of Octobr at 10 | !unknown_word | unknown_word | word=Octobr suggest=October
A en-US | monday xyzzy | !unknown_word | unknown_word | word=xyzzy
A en-US | xq tomorrow 3pm | !unknown_word | unknown_word | word=xq
A en-US | tomorrow 3pm blorf | !unknown_word | unknown_word | word=blorf
M en-US | sturday 10am | !unknown_word | unknown_word | word=sturday suggest=Saturday
M en-US | tomorrow glarp at noon | !unknown_word | unknown_word | word=glarp
J en-US | tuesdya at 9am | !unknown_word | unknown_word | word=tuesdya suggest=Tuesday
P en-US | next frooday at 11 | !unknown_word | unknown_word | word=frooday
B pt-BR | próxima zorpeira às 15h | !unknown_word | unknown_word | word=zorpeira
B pt-BR | amanhã blah às 15h | !unknown_word | unknown_word | word=blah
B pt-BR | quinat às 10h | !unknown_word | unknown_word | word=quinat suggest=quinta
B pt-BR | segnda 14h | !unknown_word | unknown_word | word=segnda suggest=segunda
B pt-BR | amanah às 9h | !unknown_word | unknown_word | word=amanah suggest=amanhã
B pt-BR | amanhã às 15h xpto | !unknown_word | unknown_word | word=xpto
B pt-BR | dezembor 10 às 15h | !unknown_word | unknown_word | word=dezembor suggest=dezembro
B pt-BR | sexta plim às 10h | !unknown_word | unknown_word | word=plim
P pt-BR | terça zuzu 16h | !unknown_word | unknown_word | word=zuzu
P pt-BR | depois de amanhã às 10h blergh | !unknown_word | unknown_word | word=blergh
J pt-BR | qunita às 11h | !unknown_word | unknown_word | word=qunita suggest=quinta
C es-ES | el próximo zorpes a las 3 | !unknown_word | unknown_word | word=zorpes
C es-ES | mañana xyz a las 10 | !unknown_word | unknown_word | word=xyz
C es-ES | jeuves a las 10 | !unknown_word | unknown_word | word=jeuves suggest=jueves
C es-ES | viernez a las 4 | !unknown_word | unknown_word | word=viernez suggest=viernes
C es-ES | mañna a las 9 | !unknown_word | unknown_word | word=mañna suggest=mañana
C es-ES | el lunes a las 3 blablá | !unknown_word | unknown_word | word=blablá
C es-ES | septiembr 5 a las 10 | !unknown_word | unknown_word | word=septiembr suggest=septiembre
J es-ES | miercles a las 10 | !unknown_word | unknown_word | word=miercles suggest=miércoles
J es-ES | mañana grumf a las 9 | !unknown_word | unknown_word | word=grumf
M es-ES | el sábdo a las 11 | !unknown_word | unknown_word | word=sábdo suggest=sábado
# ---- two days or two times in one phrase
A en-US | monday tuesday 3pm | !conflict | conflict | alts=2026-12-07T15:00,2026-12-08T15:00
A en-US | tomorrow 3pm 4pm | !conflict | conflict | alts=2026-12-04T15:00,2026-12-04T16:00
A en-US | tomorrow at 3pm or 4pm | !conflict | conflict | alts=2026-12-04T15:00,2026-12-04T16:00
A en-US | Dec 10 Dec 11 at 2pm | !conflict | conflict | alts=2026-12-10T14:00,2026-12-11T14:00
A en-US | today tomorrow 11am | !conflict | conflict | alts=2026-12-03T11:00,2026-12-04T11:00
A en-US | 9am 10am tomorrow | !conflict | conflict | alts=2026-12-04T09:00,2026-12-04T10:00
A en-US | next monday this friday at 1pm | !conflict | conflict | alts=2026-12-07T13:00,2026-12-04T13:00
A en-US | tomorrow in 2 hours | !conflict | conflict | alts=2026-12-03T12:00
M en-US | monday tuesday 10am | !conflict | conflict | alts=2027-02-01T10:00,2027-02-02T10:00
J en-US | friday 2pm 5pm | !conflict | conflict | alts=2026-06-19T14:00,2026-06-19T17:00
B pt-BR | segunda terça às 15h | !conflict | conflict | alts=2026-11-30T15:00,2026-12-01T15:00
B pt-BR | amanhã às 15h ou 16h | !conflict | conflict | alts=2026-11-27T15:00,2026-11-27T16:00
B pt-BR | amanhã às 15h e às 17h | !conflict | conflict | alts=2026-11-27T15:00,2026-11-27T17:00
B pt-BR | hoje amanhã às 11h | !conflict | conflict | alts=2026-11-26T11:00,2026-11-27T11:00
B pt-BR | 10/12 11/12 às 14h | !conflict | conflict | alts=2026-12-10T14:00,2026-12-11T14:00
P pt-BR | amanhã 14h 15h | !conflict | conflict | alts=2026-09-11T14:00,2026-09-11T15:00
M pt-BR | sábado domingo às 10h | !conflict | conflict | alts=2027-01-30T10:00,2027-01-31T10:00
C es-ES | lunes martes a las 3 | !conflict | conflict | alts=2026-03-09T15:00,2026-03-03T15:00
C es-ES | mañana a las 3 o a las 4 | !conflict | conflict | alts=2026-03-03T15:00,2026-03-03T16:00
C es-ES | hoy mañana a las 10 | !conflict | conflict | alts=2026-03-03T10:00
C es-ES | el 10 de marzo el 11 de marzo a las 12 | !conflict | conflict | alts=2026-03-10T12:00,2026-03-11T12:00
J es-ES | mañana a las 10 o a las 11 | !conflict | conflict | alts=2026-06-16T10:00,2026-06-16T11:00
J es-ES | jueves viernes a las 9 | !conflict | conflict | alts=2026-06-18T09:00,2026-06-19T09:00
# ---- a weekday that is not the date's
A en-US | Monday Dec 8 3pm | !weekday_mismatch | weekday_mismatch | alts=2026-12-08T15:00,2026-12-07T15:00
A en-US | Friday, December 10 at 11am | !weekday_mismatch | weekday_mismatch | alts=2026-12-10T11:00,2026-12-11T11:00
A en-US | tuesday 12/9 at 2pm | !weekday_mismatch | weekday_mismatch | alts=2026-12-09T14:00,2026-12-08T14:00
A en-US | tomorrow monday 9am | !weekday_mismatch | weekday_mismatch | alts=2026-12-04T09:00,2026-12-07T09:00
M en-US | Monday Feb 2 9am | !weekday_mismatch | weekday_mismatch | alts=2027-02-02T09:00,2027-02-01T09:00
J en-US | thursday june 16 3pm | !weekday_mismatch | weekday_mismatch | alts=2026-06-16T15:00,2026-06-18T15:00
L en-GB | Thursday 29 Feb 3pm | !weekday_mismatch | weekday_mismatch | alts=2028-02-29T15:00,2028-03-02T15:00
B pt-BR | segunda, 1 de dezembro às 15h | !weekday_mismatch | weekday_mismatch | alts=2026-12-01T15:00,2026-11-30T15:00
B pt-BR | sexta 3/12 às 10h | !weekday_mismatch | weekday_mismatch | alts=2026-12-03T10:00,2026-12-04T10:00
B pt-BR | amanhã segunda às 9h | !weekday_mismatch | weekday_mismatch | alts=2026-11-27T09:00,2026-11-30T09:00
P pt-BR | quinta 11/09 às 16h | !weekday_mismatch | weekday_mismatch | alts=2026-09-11T16:00,2026-09-10T16:00
C es-ES | el lunes 4 de marzo a las 18h | !weekday_mismatch | weekday_mismatch | alts=2026-03-04T18:00,2026-03-02T18:00
C es-ES | viernes 10 de marzo a las 11 | !weekday_mismatch | weekday_mismatch | alts=2026-03-10T11:00,2026-03-13T11:00
C es-ES | mañana jueves a las 9 | !weekday_mismatch | weekday_mismatch | alts=2026-03-03T09:00,2026-03-05T09:00
J es-ES | el martes 17 de junio a las 10 | !weekday_mismatch | weekday_mismatch | alts=2026-06-17T10:00,2026-06-16T10:00
M es-ES | sábado 31 de enero a las 10 | !weekday_mismatch | weekday_mismatch | alts=2027-01-31T10:00,2027-01-30T10:00
# ---- digits that are not a time
A en-US | call me at 555-1234 | !unparseable | digits
A en-US | order 12345 tomorrow | !unknown_word | digits | word=order
A en-US | +1 212 555 0100 | !unparseable | digits
A en-US | ticket #4521 friday 3pm | !unknown_word | digits
A en-US | room 12 at 3pm | !unknown_word | digits | word=room
A en-US | 5551234 | !unparseable | digits
A en-US | invoice 20261203 | !unparseable | digits
M en-US | my number is 090-1234-5678 | !unparseable | digits
B pt-BR | meu telefone 11 98765-4321 | !unknown_word | digits
B pt-BR | pedido 12345 amanhã às 15h | !unknown_word | digits | word=pedido
B pt-BR | liga no 3456-7890 | !unparseable | digits
B pt-BR | +55 11 98765-4321 | !unparseable | digits
P pt-BR | CPF 123.456.789-00 | !unparseable | digits
C es-ES | mi teléfono es 612 345 678 | !unparseable | digits
C es-ES | pedido 98765 mañana a las 10 | !unknown_word | digits | word=pedido
C es-ES | 612345678 | !unparseable | digits
J es-ES | factura 4521 el viernes | !unknown_word | digits | word=factura
# ---- far too long
A en-US | {LONG} | !too_long | too_long
B pt-BR | {LONG} | !too_long | too_long
C es-ES | {LONG} | !too_long | too_long
# ---- more, in other zones and at other moments
P pt-BR | 31 de setembro | !invalid_date | invalid_date
P pt-BR | dia 31 de setembro às 9h | !invalid_date | invalid_date
P pt-BR | 29/02/2027 às 10h | !invalid_date | invalid_date
J pt-BR | 31/04 às 15h | !invalid_date | invalid_date
L pt-BR | 31 de fevereiro | !invalid_date | invalid_date
J es-ES | 31 de abril a las 9 | !invalid_date | invalid_date
L es-ES | 31/02 a las 10 | !invalid_date | invalid_date
M es-ES | 30/02 a las 12 | !invalid_date | invalid_date
P es-ES | el 31 de septiembre | !invalid_date | invalid_date
J pt-BR | amanhã às 25h | !invalid_time | invalid_time
M pt-BR | às 13pm | !invalid_time | invalid_time
L pt-BR | sexta às 9h60 | !invalid_time | invalid_time
P es-ES | mañana a las 25 | !invalid_time | invalid_time
L es-ES | el jueves a las 14pm | !invalid_time | invalid_time
M pt-BR | amanhã quarta às 10h | !weekday_mismatch | weekday_mismatch | alts=2027-01-30T10:00,2027-02-03T10:00
J pt-BR | quinta 16/06 às 15h | !weekday_mismatch | weekday_mismatch | alts=2026-06-16T15:00,2026-06-18T15:00
L pt-BR | segunda 29/02 às 10h | !weekday_mismatch | weekday_mismatch | alts=2028-02-29T10:00,2028-02-28T10:00
P es-ES | lunes 15 de septiembre a las 10 | !weekday_mismatch | weekday_mismatch | alts=2026-09-15T10:00,2026-09-14T10:00
L es-ES | miércoles 1 de marzo a las 9 | 2028-03-01T09:00 | valid
L es-ES | jueves 1 de marzo a las 9 | !weekday_mismatch | weekday_mismatch | alts=2028-03-01T09:00,2028-03-02T09:00
J pt-BR | segunda terça às 10h | !conflict | conflict | alts=2026-06-22T10:00,2026-06-16T10:00
L pt-BR | amanhã às 9h ou às 10h | !conflict | conflict | alts=2028-02-11T09:00,2028-02-11T10:00
P es-ES | mañana a las 9 y a las 11 | !conflict | conflict | alts=2026-09-11T09:00,2026-09-11T11:00
M es-ES | lunes martes a las 10 | !conflict | conflict | alts=2027-02-01T10:00,2027-02-02T10:00
L es-ES | hoy mañana a las 12 | !conflict | conflict | alts=2028-02-10T12:00,2028-02-11T12:00
M pt-BR | amanhã zorp às 10h | !unknown_word | unknown_word | word=zorp
L pt-BR | sábdo às 10h | !unknown_word | unknown_word | word=sábdo suggest=sábado
P es-ES | el mirecoles a las 10 | !unknown_word | unknown_word | word=mirecoles suggest=miércoles
L es-ES | mañana a las 10 ñam | !unknown_word | unknown_word | word=ñam
J es-ES | el viernes plof a las 3 | !unknown_word | unknown_word | word=plof
M es-ES | tel 080-1234-5678 | !unparseable | digits
L pt-BR | pedido 4521 sexta às 10h | !unknown_word | digits | word=pedido
J es-ES | orden 777 mañana a las 9 | !unknown_word | digits | word=orden
P pt-BR | 30 de setembro às 10h | 2026-09-30T10:00 | valid
J pt-BR | 30/06 às 15h | 2026-06-30T15:00 | valid
M es-ES | 28 de febrero a las 12 | 2027-02-28T12:00 | valid
P es-ES | 30 de septiembre a las 10 | 2026-09-30T10:00 | valid
L es-ES | el martes 29 de febrero a las 10 | 2028-02-29T10:00 | valid
L pt-BR | terça 29/02 às 10h | 2028-02-29T10:00 | valid
J es-ES | mañana martes a las 10 | 2026-06-16T10:00 | valid
# ---- valid phrases beside the refused ones
A en-US | Sept 30 at 10am | 2027-09-30T10:00 | valid
A en-US | Dec 31 at 10am | 2026-12-31T10:00 | valid
A en-US | feb 28 3pm | 2027-02-28T15:00 | valid
A en-US | 12pm | 2026-12-03T12:00 | valid
A en-US | tomorrow 23:59 | 2026-12-04T23:59 | valid
A en-US | Thursday Dec 10 3pm | 2026-12-10T15:00 | valid
A en-US | tomorrow friday 3pm | 2026-12-04T15:00 | valid
A en-US | demo with Ana tomorrow at 2pm | 2026-12-04T14:00 | valid
A en-US | 15:00 3pm | 2026-12-03T15:00 | valid
A en-US | 12/10 at 11am | 2026-12-10T11:00 | valid
M en-US | feb 28 at 3pm | 2027-02-28T15:00 | valid
M en-US | tomorrow 10am | 2027-01-30T10:00 | valid
J en-US | tuesday june 16 at 10am | 2026-06-16T10:00 | valid
L en-GB | Feb 29 at 10am | 2028-02-29T10:00 | valid
L en-GB | 29/02 at 10am | 2028-02-29T10:00 | valid
L en-GB | the 30th at 3pm | 2028-03-30T15:00 | valid
B pt-BR | 30 de setembro às 11h | 2027-09-30T11:00 | valid
B pt-BR | amanhã às 15h | 2026-11-27T15:00 | valid
B pt-BR | sexta 27/11 às 10h | 2026-11-27T10:00 | valid
B pt-BR | 29 de fevereiro de 2028 às 10h | 2028-02-29T10:00 | valid
B pt-BR | dia 30 às 14h | 2026-11-30T14:00 | valid
B pt-BR | amanhã sexta às 16h | 2026-11-27T16:00 | valid
B pt-BR | 15h às 15:00 | 2026-11-26T15:00 | valid
P pt-BR | 30/09 às 10h | 2026-09-30T10:00 | valid
P pt-BR | dia 31 às 10h | 2026-10-31T10:00 | valid
M pt-BR | 31/01 às 10h | 2027-01-31T10:00 | valid
L pt-BR | 29 de fevereiro às 10h | 2028-02-29T10:00 | valid
C es-ES | 30 de septiembre a las 9 | 2026-09-30T09:00 | valid
C es-ES | martes 3 de marzo a las 10 | 2026-03-03T10:00 | valid
C es-ES | mañana a las 23:59 | 2026-03-03T23:59 | valid
C es-ES | mañana martes a las 11 | 2026-03-03T11:00 | valid
J es-ES | 30 de junio a las 10 | 2026-06-30T10:00 | valid
L es-ES | 29 de febrero a las 10 | 2028-02-29T10:00 | valid
A en-US | tomorrow 3pm sharp | 2026-12-04T15:00 | valid
A en-US | tomorrow 3pm-ish | 2026-12-04T15:00 | valid
A en-US | tomorrow at 3pm if possible | 2026-12-04T15:00 | valid
B pt-BR | amanhã às 15h em ponto | 2026-11-27T15:00 | valid
C es-ES | mañana a las 3 en punto | 2026-03-03T15:00 | valid
# ---- ranges: a start and a length
A en-US | tomorrow 9-10am | 2026-12-04T09:00 | range | dur=60
A en-US | from 2 to 3pm tomorrow | 2026-12-04T14:00 | range | dur=60
A en-US | between 3 and 4 tomorrow | 2026-12-04T15:00 | range | dur=60
A en-US | friday 1:30-2:15pm | 2026-12-04T13:30 | range | dur=45
A en-US | tomorrow 10am-11:30am | 2026-12-04T10:00 | range | dur=90
M en-US | monday from 9am to 11am | 2027-02-01T09:00 | range | dur=120
B pt-BR | amanhã das 14h às 15h | 2026-11-27T14:00 | range | dur=60
B pt-BR | das 9h às 10h30 amanhã | 2026-11-27T09:00 | range | dur=90
B pt-BR | sexta de 14h a 16h | 2026-11-27T14:00 | range | dur=120
P pt-BR | amanhã entre 15h e 16h | 2026-09-11T15:00 | range | dur=60
C es-ES | mañana de 4 a 5 de la tarde | 2026-03-03T16:00 | range | dur=60
C es-ES | mañana de 10 a 11 | 2026-03-03T10:00 | range | dur=60
C es-ES | el viernes entre las 3 y las 4 | 2026-03-06T15:00 | range | dur=60
J es-ES | de 9 a 10 mañana | 2026-06-16T09:00 | range | dur=60
# ---- constructs people use
A en-US | 2 weeks from tuesday | !date_only 2026-12-22 | construct
A en-US | 2 weeks from tuesday at 3pm | 2026-12-22T15:00 | construct
A en-US | last friday of the month at 2pm | 2026-12-25T14:00 | construct
A en-US | first monday of january 10am | 2027-01-04T10:00 | construct
A en-US | end of the month | !date_only 2026-12-31 | construct
A en-US | end of month at 3pm | 2026-12-31T15:00 | construct
A en-US | 3ish | 2026-12-03T15:00 | construct
A en-US | tomorrow 3ish | 2026-12-04T15:00 | construct
M en-US | end of the month 5pm | 2027-01-31T17:00 | construct
M en-US | 3 weeks from monday at 10am | 2027-02-22T10:00 | construct
B pt-BR | dia 2º às 10h | 2026-12-02T10:00 | construct
B pt-BR | 01:30 da madrugada | 2026-11-27T01:30 | construct
B pt-BR | amanhã às 3 da madrugada | 2026-11-27T03:00 | construct
B pt-BR | daqui a uma hora e meia | 2026-11-26T11:30 | construct
B pt-BR | em 2 horas e meia | 2026-11-26T12:30 | construct
B pt-BR | por volta das 3 | 2026-11-26T15:00 | construct
B pt-BR | amanhã por volta das 10h | 2026-11-27T10:00 | construct
B pt-BR | última sexta-feira do mês às 15h | 2026-11-27T15:00 | construct
B pt-BR | primeira segunda-feira de dezembro às 10h | 2026-12-07T10:00 | construct
B pt-BR | fim do mês | !date_only 2026-11-30 | construct
B pt-BR | no fim do mês às 16h | 2026-11-30T16:00 | construct
P pt-BR | amanhã às 2 da madrugada | 2026-09-11T02:00 | construct
P pt-BR | por volta das 4 | 2026-09-10T16:00 | construct
C es-ES | el último viernes del mes a las 10 | 2026-03-27T10:00 | construct
C es-ES | el primer lunes de abril a las 9 | 2026-04-06T09:00 | construct
C es-ES | a fin de mes | !date_only 2026-03-31 | construct
C es-ES | a fin de mes a las 12 | 2026-03-31T12:00 | construct
C es-ES | a las 2 de la madrugada | 2026-03-03T02:00 | construct
C es-ES | en una hora y media | 2026-03-02T18:00 | construct
C es-ES | dentro de 2 horas y media | 2026-03-02T19:00 | construct
C es-ES | sobre las 3 | 2026-03-03T15:00 | construct
C es-ES | mañana sobre las 11 | 2026-03-03T11:00 | construct
J es-ES | el último viernes del mes a las 10 | 2026-06-26T10:00 | construct
C es-ES | en hora y media | 2026-03-02T18:00 | construct
C es-ES | el último día del mes | !date_only 2026-03-31 | construct
C es-ES | 2 semanas después del martes | !date_only 2026-03-17 | construct
B pt-BR | daqui a hora e meia | 2026-11-26T11:30 | construct
B pt-BR | reunião de hora e meia amanhã às 10h | 2026-11-27T10:00 | construct | dur=90
B pt-BR | o último dia do mês | !date_only 2026-11-30 | construct
B pt-BR | fim do mês que vem | !date_only 2026-12-31 | construct
B pt-BR | 2 semanas depois de terça às 10h | 2026-12-15T10:00 | construct
A en-US | 3 weeks after friday | !date_only 2026-12-25 | construct
A en-US | end of next month | !date_only 2027-01-31 | construct
"""

OUT = Path(__file__).resolve().parents[1] / "data" / "adversarial_phrases.jsonl"


def _aware(local: str, zone: str) -> str:
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).isoformat()


def rows() -> list[dict[str, object]]:
    built: list[dict[str, object]] = []
    for line in TABLE.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        head, text, expected, category = parts[:4]
        extra = parts[4] if len(parts) > 4 else ""
        scenario, locale = head.split()
        now, zone = SCENARIOS[scenario]
        text = text.replace("{LONG}", LONG)
        row: dict[str, object] = {"text": text, "now": now, "tz": zone, "locale": locale}
        if expected.startswith("!date_only"):
            row["expected_error"] = "date_only"
            row["expected_date"] = expected.split()[1]
        elif expected.startswith("!"):
            row["expected_error"] = expected[1:]
        else:
            row["expected_start"] = _aware(expected, zone)
        for item in _extras(extra):
            key, value = item
            if key == "dur":
                row["expected_duration_minutes"] = int(value)
            elif key == "alts":
                row["expected_alternatives"] = [_aware(v, zone) for v in value.split(",")]
            elif key == "word":
                row["expected_word"] = value
            elif key == "suggest":
                row["expected_suggestion"] = value
        row["lang"] = locale.split("-")[0]
        row["category"] = category
        built.append(row)
    return built


def _extras(extra: str) -> list[tuple[str, str]]:
    """ "word=Sept 31 suggest=X" -> [("word", "Sept 31"), ("suggest", "X")]."""
    found: list[tuple[str, str]] = []
    pieces = extra.replace(" dur=", "\0dur=").replace(" alts=", "\0alts=")
    pieces = pieces.replace(" word=", "\0word=").replace(" suggest=", "\0suggest=")
    for piece in pieces.split("\0"):
        if "=" in piece:
            key, value = piece.split("=", 1)
            found.append((key.strip(), value.strip()))
    return found


def main() -> None:
    built = rows()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in built:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(built)} rows to {OUT}")


if __name__ == "__main__":
    main()
