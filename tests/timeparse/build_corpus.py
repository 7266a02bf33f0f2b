"""Writes tests/data/booking_phrases.jsonl from the hand-written table below.

Every expected value was worked out by hand (calendar and zone offsets checked against the
calendar for that month, never by running the parser). Line format:
    SCENARIO LOCALE | text | expected | category [| duration minutes]
expected is an ISO start with offset, or !empty, !unparseable, !past, or !date_only YYYY-MM-DD.
Run: python tests/timeparse/build_corpus.py
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

SCENARIOS = {
    # key: (now, zone) -- comments give the weekday and why the moment was chosen
    "A": ("2026-11-26T10:00:00-05:00", "America/New_York"),  # Thu, mid-morning
    "L": ("2026-11-29T21:00:00-05:00", "America/New_York"),  # Sun evening, week boundary
    "D": ("2026-03-06T17:45:00-05:00", "America/New_York"),  # Fri before US spring-forward (8 Mar)
    "F": ("2026-10-31T09:00:00-04:00", "America/New_York"),  # Sat before US fall-back (1 Nov)
    "E": ("2026-10-24T11:00:00+01:00", "Europe/Lisbon"),  # Sat before EU fall-back (25 Oct)
    "I": ("2026-03-28T12:00:00+00:00", "Europe/Lisbon"),  # Sat before EU spring-forward (29 Mar)
    "B": ("2026-11-26T10:00:00-03:00", "America/Sao_Paulo"),  # Thu, no DST in Brazil now
    "G": ("2026-12-31T15:00:00-03:00", "America/Sao_Paulo"),  # Thu, year end
    "H": ("2026-01-31T20:00:00+00:00", "Europe/Lisbon"),  # Sat evening, month end
    "C": ("2026-03-02T16:30:00+01:00", "Europe/Madrid"),  # Mon afternoon
    "J": ("2026-06-15T08:00:00-06:00", "America/Mexico_City"),  # Mon early, no DST in Mexico
    "K": ("2026-04-29T13:00:00-03:00", "America/Sao_Paulo"),  # Wed, month end
}

TABLE = """
A en-US | tomorrow 3pm | 2026-11-27T15:00-05:00 | relative_day
A en-US | tmrw 3pm | 2026-11-27T15:00-05:00 | slang
A en-US | tmw at 10am | 2026-11-27T10:00-05:00 | slang
A en-US | 2moro 2pm | 2026-11-27T14:00-05:00 | slang
A en-US | tomorow at 11 | 2026-11-27T11:00-05:00 | slang
A en-US | tmrw 3 | 2026-11-27T15:00-05:00 | bare_hour
A en-US | tomorrow at 9 | 2026-11-27T09:00-05:00 | bare_hour
A en-US | tomorrow at 4 | 2026-11-27T16:00-05:00 | bare_hour
A en-US | tomorrow at 12 | 2026-11-27T12:00-05:00 | bare_hour
A en-US | tomorrow 7 | 2026-11-27T19:00-05:00 | bare_hour
A en-US | at 8 | 2026-11-27T08:00-05:00 | prefer_future
A en-US | at 11 | 2026-11-26T11:00-05:00 | bare_hour
A en-US | 3pm | 2026-11-26T15:00-05:00 | prefer_future
A en-US | 9am | 2026-11-27T09:00-05:00 | prefer_future
A en-US | 9:59am | 2026-11-27T09:59-05:00 | prefer_future
A en-US | 10:30 | 2026-11-26T10:30-05:00 | bare_hour
A en-US | 4:30 | 2026-11-26T16:30-05:00 | bare_hour
A en-US | call @ 4 | 2026-11-26T16:00-05:00 | bare_hour
A en-US | 4p | 2026-11-26T16:00-05:00 | clock
A en-US | 10:45 am | 2026-11-26T10:45-05:00 | clock
A en-US | 5:00 p.m. | 2026-11-26T17:00-05:00 | clock
A en-US | 16:00 | 2026-11-26T16:00-05:00 | clock
A en-US | at 3ish | 2026-11-26T15:00-05:00 | bare_hour
A en-US | around 2pm tomorrow | 2026-11-27T14:00-05:00 | relative_day
A en-US | tomorrow @ 9:30 | 2026-11-27T09:30-05:00 | relative_day
A en-US | the day after tomorrow at 10am | 2026-11-28T10:00-05:00 | relative_day
A en-US | demo thu 4:30pm ana@acme.com | 2026-12-03T16:30-05:00 | weekday_today
A en-US | thursday 3pm | 2026-12-03T15:00-05:00 | weekday_today
A en-US | friday 2pm | 2026-11-27T14:00-05:00 | weekday
A en-US | fri 2pm | 2026-11-27T14:00-05:00 | weekday
A en-US | monday 9am | 2026-11-30T09:00-05:00 | weekday
A en-US | mon 11:15 | 2026-11-30T11:15-05:00 | weekday
A en-US | tues 3pm | 2026-12-01T15:00-05:00 | weekday
A en-US | wed at 1 | 2026-12-02T13:00-05:00 | bare_hour
A en-US | sat 10am | 2026-11-28T10:00-05:00 | weekday
A en-US | sunday at 5pm | 2026-11-29T17:00-05:00 | weekday
A en-US | next thu 11:15 | 2026-12-03T11:15-05:00 | next_weekday
A en-US | next monday 10am | 2026-11-30T10:00-05:00 | next_weekday
A en-US | next friday 2pm | 2026-12-04T14:00-05:00 | next_weekday
A en-US | next saturday at noon | 2026-12-05T12:00-05:00 | next_weekday
A en-US | friday after next 3pm | 2026-12-04T15:00-05:00 | next_weekday
A en-US | this friday 2pm | 2026-11-27T14:00-05:00 | this_weekday
A en-US | this saturday at 11 | 2026-11-28T11:00-05:00 | this_weekday
A en-US | next week tuesday 3pm | 2026-12-01T15:00-05:00 | next_week
A en-US | tuesday next week at 10 | 2026-12-01T10:00-05:00 | next_week
A en-US | wednesday of next week 2pm | 2026-12-02T14:00-05:00 | next_week
A en-US | in 25 min | 2026-11-26T10:25-05:00 | relative
A en-US | in 2.5 hours | 2026-11-26T12:30-05:00 | relative
A en-US | in 4h | 2026-11-26T14:00-05:00 | relative
A en-US | 3 hours from now | 2026-11-26T13:00-05:00 | relative
A en-US | in 75 minutes | 2026-11-26T11:15-05:00 | relative
A en-US | in an hour | 2026-11-26T11:00-05:00 | relative
A en-US | in half an hour | 2026-11-26T10:30-05:00 | relative
A en-US | in an hour and a half | 2026-11-26T11:30-05:00 | relative
A en-US | in 1h30 | 2026-11-26T11:30-05:00 | relative
A en-US | in 90 mins | 2026-11-26T11:30-05:00 | relative
A en-US | in 4 days at 11am | 2026-11-30T11:00-05:00 | relative_day
A en-US | in two weeks | 2026-12-10T10:00-05:00 | relative_day
A en-US | in 3 days | 2026-11-29T10:00-05:00 | relative_day
A en-US | in a week at 9am | 2026-12-03T09:00-05:00 | relative_day
A en-US | now | 2026-11-26T10:00-05:00 | now
A en-US | right now | 2026-11-26T10:00-05:00 | now
A en-US | asap | 2026-11-26T10:00-05:00 | now
A en-US | noon | 2026-11-26T12:00-05:00 | part_of_day
A en-US | tomorrow at noon | 2026-11-27T12:00-05:00 | part_of_day
A en-US | tomorrow morning | 2026-11-27T09:00-05:00 | part_of_day
A en-US | tomorrow afternoon | 2026-11-27T14:00-05:00 | part_of_day
A en-US | tomorrow evening | 2026-11-27T18:00-05:00 | part_of_day
A en-US | tonight | 2026-11-26T20:00-05:00 | part_of_day
A en-US | this afternoon | 2026-11-26T14:00-05:00 | part_of_day
A en-US | this evening at 7 | 2026-11-26T19:00-05:00 | part_of_day
A en-US | tomorrow night | 2026-11-27T20:00-05:00 | part_of_day
A en-US | monday morning | 2026-11-30T09:00-05:00 | part_of_day
A en-US | friday afternoon | 2026-11-27T14:00-05:00 | part_of_day
A en-US | 8 tonight | 2026-11-26T20:00-05:00 | part_of_day
A en-US | 9 in the morning | 2026-11-27T09:00-05:00 | part_of_day
A en-US | 3 in the afternoon | 2026-11-26T15:00-05:00 | part_of_day
A en-US | EOD | 2026-11-26T17:00-05:00 | end_of_day
A en-US | by COB tomorrow | 2026-11-27T17:00-05:00 | end_of_day
A en-US | end of day friday | 2026-11-27T17:00-05:00 | end_of_day
A en-US | end of business today | 2026-11-26T17:00-05:00 | end_of_day
A en-US | 12/3 10am | 2026-12-03T10:00-05:00 | numeric_date
A en-US | 12/3 at 2pm | 2026-12-03T14:00-05:00 | numeric_date
A en-US | 1/15 3pm | 2027-01-15T15:00-05:00 | numeric_date
A en-US | 11/20 3pm | 2027-11-20T15:00-05:00 | numeric_date
A en-US | 12/24/2026 9:30am | 2026-12-24T09:30-05:00 | numeric_date
A en-US | Dec 3 at 4pm | 2026-12-03T16:00-05:00 | month_name
A en-US | December 3rd 4pm | 2026-12-03T16:00-05:00 | month_name
A en-US | 3 dec 11am | 2026-12-03T11:00-05:00 | month_name
A en-US | jan 5 2027 10am | 2027-01-05T10:00-05:00 | month_name
A en-US | on the 30th at 2pm | 2026-11-30T14:00-05:00 | day_of_month
A en-US | the 2nd at 9am | 2026-12-02T09:00-05:00 | day_of_month
A en-US | 2026-12-01 14:00 | 2026-12-01T14:00-05:00 | iso
A en-US | 2026-12-01T14:00:00Z | 2026-12-01T09:00-05:00 | iso
A en-US | 2026-12-01T10:00:00-03:00 | 2026-12-01T08:00-05:00 | iso
A en-US | 4pm PST | 2026-11-26T19:00-05:00 | zone
A en-US | tomorrow 10am PT | 2026-11-27T13:00-05:00 | zone
A en-US | 3pm CET | 2026-11-27T09:00-05:00 | zone
A en-US | 11am GMT | 2026-11-27T06:00-05:00 | zone
A en-US | 2pm ET | 2026-11-26T14:00-05:00 | zone
A en-US | friday 1pm UTC | 2026-11-27T08:00-05:00 | zone
A en-US | 10am UTC-3 | 2026-11-27T08:00-05:00 | zone
A en-US | 9am America/Los_Angeles tomorrow | 2026-11-27T12:00-05:00 | zone
A en-US | tomorrow 3pm for 30 minutes | 2026-11-27T15:00-05:00 | duration | 30
A en-US | demo friday 11am for 45 min | 2026-11-27T11:00-05:00 | duration | 45
A en-US | fri 2pm for an hour | 2026-11-27T14:00-05:00 | duration | 60
A en-US | monday 10am for 1.5 hours | 2026-11-30T10:00-05:00 | duration | 90
A en-US | at 3 for 30 min | 2026-11-26T15:00-05:00 | duration | 30
A en-US | yesterday 3pm | !past | past
A en-US | last friday at 2 | !past | past
A en-US | 2 hours ago | !past | past
A en-US | 11/20/2026 3pm | !past | past
A en-US | today 9am | !past | past
A en-US | this morning at 8 | !past | past
A en-US | friday | !date_only 2026-11-27 | date_only
A en-US | next tuesday | !date_only 2026-12-01 | date_only
A en-US | tomorrow | !date_only 2026-11-27 | date_only
A en-US | dec 15 | !date_only 2026-12-15 | date_only
A en-US | today | !date_only 2026-11-26 | date_only
A en-US |  | !empty | empty
A en-US |     | !empty | empty
A en-US | hello there | !unparseable | noise
A en-US | good morning | !unparseable | noise
A en-US | thanks! | !unparseable | noise
A en-US | asdf | !unparseable | noise
A en-US | quarter past 3 | 2026-11-26T15:15-05:00 | clock
A en-US | half past 10 | 2026-11-26T10:30-05:00 | clock
A en-US | quarter to 5 | 2026-11-26T16:45-05:00 | clock
A en-US | quick sync with Ana tomorrow 11am | 2026-11-27T11:00-05:00 | surrounding_words
A en-US | onboarding call monday at 2:30 | 2026-11-30T14:30-05:00 | surrounding_words
A en-US | pricing demo w/ bob@acme.io fri 10am | 2026-11-27T10:00-05:00 | surrounding_words
A en-US | can we do tmrw at 4? | 2026-11-27T16:00-05:00 | surrounding_words
A en-US | let's say 2pm | 2026-11-26T14:00-05:00 | surrounding_words
A en-US | tomorrow 9:15am EST | 2026-11-27T09:15-05:00 | zone
A en-US | monday 8am pacific time | 2026-11-30T11:00-05:00 | zone
A en-US | in 45 minutes for 30 min | 2026-11-26T10:45-05:00 | duration | 30
L en-US | monday 9am | 2026-11-30T09:00-05:00 | weekday
L en-US | next monday 9am | 2026-11-30T09:00-05:00 | next_weekday
L en-US | this monday | !date_only 2026-11-30 | date_only
L en-US | sunday 3pm | 2026-12-06T15:00-05:00 | weekday_today
L en-US | tonight at 10 | 2026-11-29T22:00-05:00 | part_of_day
L en-US | at 9 | 2026-11-30T09:00-05:00 | prefer_future
L en-US | in 2 hours | 2026-11-29T23:00-05:00 | relative
L en-US | in 4 hours | 2026-11-30T01:00-05:00 | relative
L en-US | tomorrow eod | 2026-11-30T17:00-05:00 | end_of_day
L en-US | next week tuesday at 2 | 2026-12-01T14:00-05:00 | next_week
L en-US | 8pm | 2026-11-30T20:00-05:00 | prefer_future
L en-US | 9:30pm | 2026-11-29T21:30-05:00 | prefer_future
L en-US | next sunday 11am | 2026-12-06T11:00-05:00 | next_weekday
L en-US | the 1st at 10am | 2026-12-01T10:00-05:00 | day_of_month
L en-US | tmrw morning | 2026-11-30T09:00-05:00 | slang
L en-US | tuesday 4:45pm | 2026-12-01T16:45-05:00 | weekday
D en-US | monday 9am | 2026-03-09T09:00-04:00 | dst
D en-US | sunday 10am | 2026-03-08T10:00-04:00 | dst
D en-US | sunday 1:30am | 2026-03-08T01:30-05:00 | dst
D en-US | sunday 2:30am | 2026-03-08T03:30-04:00 | dst
D en-US | in 48 hours | 2026-03-08T18:45-04:00 | dst
D en-US | in 2 days | 2026-03-08T17:45-04:00 | dst
D en-US | tomorrow 9am | 2026-03-07T09:00-05:00 | relative_day
D en-US | next week tuesday 3pm | 2026-03-10T15:00-04:00 | dst
D en-US | in 15 min | 2026-03-06T18:00-05:00 | relative
D en-US | 6pm | 2026-03-06T18:00-05:00 | prefer_future
D en-US | 5pm | 2026-03-07T17:00-05:00 | prefer_future
D en-US | eod | 2026-03-07T17:00-05:00 | end_of_day
D en-US | monday 2pm ET | 2026-03-09T14:00-04:00 | zone
D en-US | monday 2pm EST | 2026-03-09T15:00-04:00 | zone
D en-US | tomorrow 11am CET | 2026-03-07T05:00-05:00 | zone
D pt-BR | segunda às 9h | 2026-03-09T09:00-04:00 | dst
D es-ES | el lunes a las 10 | 2026-03-09T10:00-04:00 | dst
D en-US | 3/9 at 10am | 2026-03-09T10:00-04:00 | dst
F en-US | tomorrow 10am | 2026-11-01T10:00-05:00 | dst
F en-US | monday 9am | 2026-11-02T09:00-05:00 | dst
F en-US | tomorrow 1:30am | 2026-11-01T01:30-04:00 | dst
F en-US | in 24 hours | 2026-11-01T08:00-05:00 | dst
F en-US | in 1 day | 2026-11-01T09:00-05:00 | dst
F en-US | tonight 8pm | 2026-10-31T20:00-04:00 | part_of_day
F en-US | sunday at noon | 2026-11-01T12:00-05:00 | dst
F en-US | next week monday 3pm | 2026-11-02T15:00-05:00 | next_week
F pt-BR | amanhã às 10h | 2026-11-01T10:00-05:00 | dst
F es-ES | mañana a las 10 | 2026-11-01T10:00-05:00 | dst
E pt-BR | amanhã às 10h | 2026-10-25T10:00+00:00 | dst
E pt-BR | segunda às 9h | 2026-10-26T09:00+00:00 | dst
E pt-BR | hoje às 15h | 2026-10-24T15:00+01:00 | relative_day
E pt-BR | daqui a 24 horas | 2026-10-25T10:00+00:00 | dst
E pt-BR | daqui a 2 dias | 2026-10-26T11:00+00:00 | dst
E en-GB | 3/11 10am | 2026-11-03T10:00+00:00 | numeric_date
E en-GB | tomorrow 9am | 2026-10-25T09:00+00:00 | dst
E pt-BR | domingo 1h30 | 2026-10-25T01:30+01:00 | dst
E pt-BR | sexta às 10 horário de Brasília | 2026-10-30T13:00+00:00 | zone
E pt-BR | terça 14h de Brasília | 2026-10-27T17:00+00:00 | zone
E en-GB | 27/10 at 4pm | 2026-10-27T16:00+00:00 | numeric_date
E es-ES | el lunes a las 9 | 2026-10-26T09:00+00:00 | dst
I pt-BR | amanhã às 10h | 2026-03-29T10:00+01:00 | dst
I pt-BR | amanhã 1h30 | 2026-03-29T02:30+01:00 | dst
I pt-BR | daqui a 24 horas | 2026-03-29T13:00+01:00 | dst
I pt-BR | segunda de manhã | 2026-03-30T09:00+01:00 | dst
I pt-BR | hoje às 18h | 2026-03-28T18:00+00:00 | relative_day
I es-ES | mañana a las 9 | 2026-03-29T09:00+01:00 | dst
I en-GB | monday 2pm | 2026-03-30T14:00+01:00 | dst
B pt-BR | amanhã às 16h | 2026-11-27T16:00-03:00 | relative_day
B pt-BR | amanha as 16h | 2026-11-27T16:00-03:00 | slang
B pt-BR | amanhã 16h | 2026-11-27T16:00-03:00 | relative_day
B pt-BR | amanhã às 4 da tarde | 2026-11-27T16:00-03:00 | part_of_day
B pt-BR | amanhã de manhã | 2026-11-27T09:00-03:00 | part_of_day
B pt-BR | amanhã à tarde | 2026-11-27T14:00-03:00 | part_of_day
B pt-BR | amanhã à noite | 2026-11-27T20:00-03:00 | part_of_day
B pt-BR | hoje à tarde | 2026-11-26T14:00-03:00 | part_of_day
B pt-BR | hoje à noite | 2026-11-26T20:00-03:00 | part_of_day
B pt-BR | hoje às 15h30 | 2026-11-26T15:30-03:00 | relative_day
B pt-BR | às 16h | 2026-11-26T16:00-03:00 | clock
B pt-BR | 16h | 2026-11-26T16:00-03:00 | clock
B pt-BR | às 9h | 2026-11-27T09:00-03:00 | prefer_future
B pt-BR | às 10h30 | 2026-11-26T10:30-03:00 | clock
B pt-BR | às 8 | 2026-11-27T08:00-03:00 | bare_hour
B pt-BR | às 3 | 2026-11-26T15:00-03:00 | bare_hour
B pt-BR | às 3 da tarde | 2026-11-26T15:00-03:00 | part_of_day
B pt-BR | 8 da noite | 2026-11-26T20:00-03:00 | part_of_day
B pt-BR | às 8 da manhã | 2026-11-27T08:00-03:00 | part_of_day
B pt-BR | meio dia | 2026-11-26T12:00-03:00 | part_of_day
B pt-BR | meio-dia | 2026-11-26T12:00-03:00 | part_of_day
B pt-BR | amanhã ao meio-dia | 2026-11-27T12:00-03:00 | part_of_day
B pt-BR | sexta às 10h | 2026-11-27T10:00-03:00 | weekday
B pt-BR | sexta-feira às 14h | 2026-11-27T14:00-03:00 | weekday
B pt-BR | quinta às 10h | 2026-12-03T10:00-03:00 | weekday_today
B pt-BR | segunda às 9 | 2026-11-30T09:00-03:00 | weekday
B pt-BR | seg 9h | 2026-11-30T09:00-03:00 | slang
B pt-BR | ter 15h | 2026-12-01T15:00-03:00 | slang
B pt-BR | qua 14h | 2026-12-02T14:00-03:00 | slang
B pt-BR | próxima terça às 10h | 2026-12-01T10:00-03:00 | coming_weekday
B pt-BR | proxima terca 10h | 2026-12-01T10:00-03:00 | slang
B pt-BR | terça que vem às 15h | 2026-12-01T15:00-03:00 | coming_weekday
B pt-BR | sexta que vem às 11h | 2026-11-27T11:00-03:00 | coming_weekday
B pt-BR | próxima sexta 9h | 2026-11-27T09:00-03:00 | coming_weekday
B pt-BR | semana que vem na terça às 15h | 2026-12-01T15:00-03:00 | next_week
B pt-BR | na semana que vem, quarta às 10h | 2026-12-02T10:00-03:00 | next_week
B pt-BR | sexta da semana que vem às 14h | 2026-12-04T14:00-03:00 | next_week
B pt-BR | próxima semana na segunda às 9h | 2026-11-30T09:00-03:00 | next_week
B pt-BR | daqui a 3 horas | 2026-11-26T13:00-03:00 | relative
B pt-BR | daqui 40 minutos | 2026-11-26T10:40-03:00 | relative
B pt-BR | em uma hora e meia | 2026-11-26T11:30-03:00 | relative
B pt-BR | daqui a meia hora | 2026-11-26T10:30-03:00 | relative
B pt-BR | em 2 horas | 2026-11-26T12:00-03:00 | relative
B pt-BR | daqui a 2 dias às 10h | 2026-11-28T10:00-03:00 | relative_day
B pt-BR | em 3 dias | 2026-11-29T10:00-03:00 | relative_day
B pt-BR | daqui a uma semana | 2026-12-03T10:00-03:00 | relative_day
B pt-BR | dentro de 2 horas | 2026-11-26T12:00-03:00 | relative
B pt-BR | daqui a 15 min | 2026-11-26T10:15-03:00 | relative
B pt-BR | agora | 2026-11-26T10:00-03:00 | now
B pt-BR | agora mesmo | 2026-11-26T10:00-03:00 | now
B pt-BR | fim do dia | 2026-11-26T17:00-03:00 | end_of_day
B pt-BR | final do expediente | 2026-11-26T17:00-03:00 | end_of_day
B pt-BR | até o final do expediente de amanhã | 2026-11-27T17:00-03:00 | end_of_day
B pt-BR | 3/12 às 10h | 2026-12-03T10:00-03:00 | numeric_date
B pt-BR | 03/12 10h | 2026-12-03T10:00-03:00 | numeric_date
B pt-BR | 15/01 às 14h | 2027-01-15T14:00-03:00 | numeric_date
B pt-BR | 20/11 às 10h | 2027-11-20T10:00-03:00 | numeric_date
B pt-BR | 15 de dezembro às 10h | 2026-12-15T10:00-03:00 | month_name
B pt-BR | 1º de dezembro às 9h | 2026-12-01T09:00-03:00 | month_name
B pt-BR | dia 30 às 15h | 2026-11-30T15:00-03:00 | day_of_month
B pt-BR | no dia 2 às 10h | 2026-12-02T10:00-03:00 | day_of_month
B pt-BR | amanhã às 16h por 30 minutos | 2026-11-27T16:00-03:00 | duration | 30
B pt-BR | sexta às 10h por 1h | 2026-11-27T10:00-03:00 | duration | 60
B pt-BR | segunda 14h durante 45 minutos | 2026-11-30T14:00-03:00 | duration | 45
B pt-BR | reunião de 1 hora amanhã às 9h | 2026-11-27T09:00-03:00 | duration | 60
B pt-BR | ontem às 15h | !past | past
B pt-BR | hoje às 8h | !past | past
B pt-BR | boa tarde | !unparseable | noise
B pt-BR | bom dia! | !unparseable | noise
B pt-BR | obrigado | !unparseable | noise
B pt-BR | amanhã | !date_only 2026-11-27 | date_only
B pt-BR | sexta | !date_only 2026-11-27 | date_only
B pt-BR | 15 de dezembro | !date_only 2026-12-15 | date_only
B pt-BR | 16h horário de Brasília | 2026-11-26T16:00-03:00 | zone
B pt-BR | 10h de Lisboa | 2026-11-27T07:00-03:00 | zone
B pt-BR | 15h ET | 2026-11-26T17:00-03:00 | zone
B pt-BR | amanhã 11h EST | 2026-11-27T13:00-03:00 | zone
B pt-BR | depois de amanhã às 10h | 2026-11-28T10:00-03:00 | relative_day
B pt-BR | às três e meia | 2026-11-26T15:30-03:00 | bare_hour
B pt-BR | às duas da tarde | 2026-11-26T14:00-03:00 | part_of_day
B pt-BR | amanhã às nove | 2026-11-27T09:00-03:00 | relative_day
B pt-BR | demo amanhã às 14h com joao@empresa.com.br | 2026-11-27T14:00-03:00 | surrounding_words
B pt-BR | pode ser sexta 15h? | 2026-11-27T15:00-03:00 | surrounding_words
B pt-BR | call de onboarding segunda 10h30 | 2026-11-30T10:30-03:00 | surrounding_words
B pt-BR | AMANHÃ ÀS 11H | 2026-11-27T11:00-03:00 | slang
B pt-BR | amnh 10h | 2026-11-27T10:00-03:00 | slang
B pt-BR | hj às 17h | 2026-11-26T17:00-03:00 | slang
B pt-BR | sábado às 10h | 2026-11-28T10:00-03:00 | weekday
B pt-BR | domingo 18h | 2026-11-29T18:00-03:00 | weekday
B pt-BR | terça-feira 9h30 | 2026-12-01T09:30-03:00 | weekday
B pt-BR | quarta de tarde | 2026-12-02T14:00-03:00 | part_of_day
B pt-BR | quinta que vem às 10h | 2026-12-03T10:00-03:00 | coming_weekday
B pt-BR | às 14h UTC | 2026-11-26T11:00-03:00 | zone
B pt-BR | amanhã às 9h horário de Lisboa | 2026-11-27T06:00-03:00 | zone
B pt-BR | daqui a 2h | 2026-11-26T12:00-03:00 | relative
B pt-BR | em 30 min | 2026-11-26T10:30-03:00 | relative
B en-US | tomorrow 10am BRT | 2026-11-27T10:00-03:00 | zone
B es-ES | mañana a las 10 | 2026-11-27T10:00-03:00 | relative_day
G pt-BR | amanhã às 10h | 2027-01-01T10:00-03:00 | year_end
G pt-BR | segunda às 9h | 2027-01-04T09:00-03:00 | year_end
G pt-BR | 5/1 às 14h | 2027-01-05T14:00-03:00 | year_end
G en-US | tomorrow 10am | 2027-01-01T10:00-03:00 | year_end
G en-US | 1/5 2pm | 2027-01-05T14:00-03:00 | year_end
G en-US | 12/30 3pm | 2027-12-30T15:00-03:00 | year_end
G pt-BR | às 14h | 2027-01-01T14:00-03:00 | prefer_future
G pt-BR | em 10 horas | 2027-01-01T01:00-03:00 | year_end
G pt-BR | próxima semana na quarta às 10h | 2027-01-06T10:00-03:00 | next_week
G pt-BR | daqui a duas semanas | 2027-01-14T15:00-03:00 | relative_day
G en-US | next friday 9am | 2027-01-08T09:00-03:00 | next_weekday
G en-US | friday 9am | 2027-01-01T09:00-03:00 | year_end
G es-LA | el viernes a las 9 | 2027-01-01T09:00-03:00 | year_end
G pt-BR | hoje às 16h | 2026-12-31T16:00-03:00 | relative_day
G pt-BR | fim do dia | 2026-12-31T17:00-03:00 | end_of_day
G pt-BR | 2 de janeiro às 10h | 2027-01-02T10:00-03:00 | year_end
G pt-BR | 30/12 às 10h | 2027-12-30T10:00-03:00 | year_end
G en-US | dec 30 | !date_only 2027-12-30 | date_only
G pt-BR | 31/12/2026 às 9h | !past | past
H en-GB | tomorrow 9am | 2026-02-01T09:00+00:00 | month_end
H en-GB | monday 10am | 2026-02-02T10:00+00:00 | month_end
H en-GB | 3/2 10am | 2026-02-03T10:00+00:00 | numeric_date
H en-GB | 1st feb at 2pm | 2026-02-01T14:00+00:00 | month_name
H en-GB | the 2nd at 11 | 2026-02-02T11:00+00:00 | day_of_month
H es-ES | el lunes a las 10 | 2026-02-02T10:00+00:00 | month_end
H en-GB | next week wednesday 3pm | 2026-02-04T15:00+00:00 | next_week
H en-GB | 9pm | 2026-01-31T21:00+00:00 | prefer_future
H en-GB | 7pm | 2026-02-01T19:00+00:00 | prefer_future
H en-GB | in 30 minutes | 2026-01-31T20:30+00:00 | relative
H es-ES | en 30 minutos | 2026-01-31T20:30+00:00 | relative
H en-GB | 31/01 at 9am | !past | past
H en-GB | 14/02 | !date_only 2026-02-14 | date_only
C es-ES | mañana a las 10 | 2026-03-03T10:00+01:00 | relative_day
C es-ES | manana a las 10 | 2026-03-03T10:00+01:00 | slang
C es-ES | mañana por la mañana | 2026-03-03T09:00+01:00 | part_of_day
C es-ES | mañana por la tarde | 2026-03-03T14:00+01:00 | part_of_day
C es-ES | mañana a las 3 de la tarde | 2026-03-03T15:00+01:00 | part_of_day
C es-ES | esta tarde a las 5 | 2026-03-02T17:00+01:00 | part_of_day
C es-ES | esta noche | 2026-03-02T20:00+01:00 | part_of_day
C es-ES | hoy a las 18:00 | 2026-03-02T18:00+01:00 | relative_day
C es-ES | a las 6 de la tarde | 2026-03-02T18:00+01:00 | part_of_day
C es-ES | a las 9 de la mañana | 2026-03-03T09:00+01:00 | part_of_day
C es-ES | a las 5 | 2026-03-02T17:00+01:00 | bare_hour
C es-ES | a las 4 | 2026-03-03T16:00+01:00 | prefer_future
C es-ES | el martes a las 11 | 2026-03-03T11:00+01:00 | weekday
C es-ES | el jueves a las 12 | 2026-03-05T12:00+01:00 | weekday
C es-ES | el próximo martes a las 10 | 2026-03-03T10:00+01:00 | coming_weekday
C es-ES | el martes que viene a las 10 | 2026-03-03T10:00+01:00 | coming_weekday
C es-ES | el lunes a las 9 | 2026-03-09T09:00+01:00 | weekday_today
C es-ES | la semana que viene el miércoles a las 12 | 2026-03-11T12:00+01:00 | next_week
C es-ES | el miércoles de la semana que viene a las 4 | 2026-03-11T16:00+01:00 | next_week
C es-ES | la próxima semana el jueves a las 10 | 2026-03-12T10:00+01:00 | next_week
C es-ES | pasado mañana a las 11 | 2026-03-04T11:00+01:00 | relative_day
C es-ES | en 30 minutos | 2026-03-02T17:00+01:00 | relative
C es-ES | en una hora | 2026-03-02T17:30+01:00 | relative
C es-ES | en 2 horas | 2026-03-02T18:30+01:00 | relative
C es-ES | dentro de 3 horas | 2026-03-02T19:30+01:00 | relative
C es-ES | en una hora y media | 2026-03-02T18:00+01:00 | relative
C es-ES | en media hora | 2026-03-02T17:00+01:00 | relative
C es-ES | en 3 días a las 10 | 2026-03-05T10:00+01:00 | relative_day
C es-ES | ahora | 2026-03-02T16:30+01:00 | now
C es-ES | ahora mismo | 2026-03-02T16:30+01:00 | now
C es-ES | mañana al mediodía | 2026-03-03T12:00+01:00 | part_of_day
C es-ES | fin del día | 2026-03-02T17:00+01:00 | end_of_day
C es-ES | a las 12 | 2026-03-03T12:00+01:00 | prefer_future
C es-ES | 5/3 a las 10 | 2026-03-05T10:00+01:00 | numeric_date
C es-ES | 15/03 a las 9:30 | 2026-03-15T09:30+01:00 | numeric_date
C es-ES | 1/4 a las 10 | 2026-04-01T10:00+02:00 | numeric_date
C es-ES | el 15 de marzo a las 11 | 2026-03-15T11:00+01:00 | month_name
C es-ES | el día 10 a las 12 | 2026-03-10T12:00+01:00 | day_of_month
C es-ES | mañana a las 10 por 30 minutos | 2026-03-03T10:00+01:00 | duration | 30
C es-ES | el viernes a las 3 durante 45 minutos | 2026-03-06T15:00+01:00 | duration | 45
C es-ES | ayer a las 10 | !past | past
C es-ES | hoy a las 9 | !past | past
C es-ES | buenas tardes | !unparseable | noise
C es-ES | hola | !unparseable | noise
C es-ES | mañana | !date_only 2026-03-03 | date_only
C es-ES | el viernes | !date_only 2026-03-06 | date_only
C es-ES | a las 10 hora de Lisboa | 2026-03-03T11:00+01:00 | zone
C es-ES | a las 3 de la tarde EST | 2026-03-02T21:00+01:00 | zone
C es-ES | las tres y media de la tarde | 2026-03-03T15:30+01:00 | prefer_future
C es-ES | a las cinco | 2026-03-02T17:00+01:00 | bare_hour
C es-ES | a las 10 y cuarto | 2026-03-03T10:15+01:00 | clock
C es-ES | a las 5 menos cuarto | 2026-03-02T16:45+01:00 | clock
C es-ES | demo mañana a las 11 con maria@empresa.es | 2026-03-03T11:00+01:00 | surrounding_words
C es-ES | ¿te va bien el jueves a las 4? | 2026-03-05T16:00+01:00 | surrounding_words
C es-ES | llamada el miércoles 10:30 | 2026-03-04T10:30+01:00 | surrounding_words
C es-ES | el sábado a las 10 | 2026-03-07T10:00+01:00 | weekday
C es-ES | el domingo a las 6 de la tarde | 2026-03-08T18:00+01:00 | part_of_day
C es-ES | hoy a las 7 de la noche | 2026-03-02T19:00+01:00 | part_of_day
C es-ES | mañana a las 8 de la noche | 2026-03-03T20:00+01:00 | part_of_day
C es-ES | en 2 semanas | 2026-03-16T16:30+01:00 | relative_day
C es-ES | dentro de 45 minutos | 2026-03-02T17:15+01:00 | relative
C es-ES | mañana a las 10 UTC | 2026-03-03T11:00+01:00 | zone
C es-ES | mañana a las 9 horario de Brasília | 2026-03-03T13:00+01:00 | zone
C es-ES | el jueves por la mañana | 2026-03-05T09:00+01:00 | part_of_day
C es-ES | el viernes al mediodía | 2026-03-06T12:00+01:00 | part_of_day
C es-ES | proximo jueves a las 3 | 2026-03-05T15:00+01:00 | slang
C es-ES | 20 de marzo | !date_only 2026-03-20 | date_only
C es-ES | el 1 de marzo a las 10 | 2027-03-01T10:00+01:00 | month_name
C en-US | tomorrow 10am | 2026-03-03T10:00+01:00 | relative_day
C pt-BR | amanhã às 10h | 2026-03-03T10:00+01:00 | relative_day
J es-LA | mañana a las 10 | 2026-06-16T10:00-06:00 | relative_day
J es-LA | hoy a las 10 | 2026-06-15T10:00-06:00 | relative_day
J es-LA | a las 9 | 2026-06-15T09:00-06:00 | bare_hour
J es-LA | el viernes a las 4 | 2026-06-19T16:00-06:00 | weekday
J es-LA | el próximo lunes a las 9 | 2026-06-22T09:00-06:00 | coming_weekday
J es-LA | en 45 minutos | 2026-06-15T08:45-06:00 | relative
J es-LA | 16/06 a las 11 | 2026-06-16T11:00-06:00 | numeric_date
J es-LA | en 2 semanas | 2026-06-29T08:00-06:00 | relative_day
J en-US | now | 2026-06-15T08:00-06:00 | now
J es-LA | a las 11 am | 2026-06-15T11:00-06:00 | clock
J es-LA | hoy en la noche | 2026-06-15T20:00-06:00 | part_of_day
J es-LA | mañana en la mañana | 2026-06-16T09:00-06:00 | part_of_day
J es-LA | el lunes a las 10 | 2026-06-22T10:00-06:00 | weekday_today
J es-LA | a las 3 pm hora de Nueva York | 2026-06-15T13:00-06:00 | zone
J es-LA | a las 7 | 2026-06-15T19:00-06:00 | bare_hour
J es-LA | al rato | !unparseable | noise
J es-LA | buenos días | !unparseable | noise
J es-LA | el martes | !date_only 2026-06-16 | date_only
J es-LA | ayer | !past | past
J es-LA | el martes 16 a las 10 | 2026-06-16T10:00-06:00 | weekday
K pt-BR | amanhã às 10h | 2026-04-30T10:00-03:00 | month_end
K pt-BR | depois de amanhã às 10h | 2026-05-01T10:00-03:00 | month_end
K pt-BR | sexta às 9h | 2026-05-01T09:00-03:00 | month_end
K pt-BR | dia 5 às 14h | 2026-05-05T14:00-03:00 | day_of_month
K pt-BR | dia 30 às 10h | 2026-04-30T10:00-03:00 | day_of_month
K pt-BR | em 3 dias | 2026-05-02T13:00-03:00 | relative_day
K pt-BR | 1/5 às 10h | 2026-05-01T10:00-03:00 | numeric_date
K pt-BR | quarta que vem às 15h | 2026-05-06T15:00-03:00 | coming_weekday
K pt-BR | próxima quarta 15h | 2026-05-06T15:00-03:00 | coming_weekday
K pt-BR | segunda que vem de manhã | 2026-05-04T09:00-03:00 | coming_weekday
K pt-BR | quarta às 15h | 2026-05-06T15:00-03:00 | weekday_today
K pt-BR | às 12h | 2026-04-30T12:00-03:00 | prefer_future
K pt-BR | às 13h30 | 2026-04-29T13:30-03:00 | clock
K pt-BR | daqui a 1 hora | 2026-04-29T14:00-03:00 | relative
K pt-BR | ao meio-dia de amanhã | 2026-04-30T12:00-03:00 | part_of_day
K pt-BR | 2 de maio às 11h | 2026-05-02T11:00-03:00 | month_name
K pt-BR | 28/04 às 10h | 2027-04-28T10:00-03:00 | numeric_date
K pt-BR | semana que vem | !date_only 2026-05-04 | date_only
K en-US | may 4th 3pm | 2026-05-04T15:00-03:00 | month_name
K en-US | 5/4 3pm | 2026-05-04T15:00-03:00 | numeric_date
K en-US | next wed 3pm | 2026-05-06T15:00-03:00 | next_weekday
K en-US | this wednesday 4pm | 2026-04-29T16:00-03:00 | this_weekday
"""


def _expectation(cell: str) -> dict[str, str]:
    if cell.startswith("!date_only"):
        return {"expected_error": "date_only", "expected_date": cell.split()[1]}
    if cell.startswith("!"):
        return {"expected_error": cell[1:]}
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}", cell):
        raise ValueError(f"bad expected start {cell!r}")
    start = datetime.fromisoformat(cell[:16] + ":00" + cell[16:])
    return {"expected_start": start.isoformat()}


def rows() -> list[dict[str, object]]:
    built: list[dict[str, object]] = []
    for line in TABLE.strip("\n").splitlines():
        head, text, expected, category, *rest = (cell.strip() for cell in line.split("|"))
        scenario, locale = head.split()
        now, zone = SCENARIOS[scenario]
        raw_text = line.split("|")[1][1:-1]  # keep the blanks of "empty" rows as typed
        row: dict[str, object] = {
            "text": text if text else raw_text,
            "now": now,
            "tz": zone,
            "locale": locale,
            **_expectation(expected),
            "lang": locale.split("-")[0],
            "category": category,
        }
        if rest and rest[0]:
            row["expected_duration_minutes"] = int(rest[0])
        built.append(row)
    return built


def main() -> None:
    target = Path(__file__).resolve().parents[1] / "data" / "booking_phrases.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as handle:
        for row in rows():
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
