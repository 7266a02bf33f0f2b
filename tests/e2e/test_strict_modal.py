"""The modal says why a time was refused (issue 11), in the person's language, and offers the
readings of a contradictory phrase as buttons; nothing refused is ever booked.

Now is Wed 2 Dec 2026, 09:00 in New York (tests/e2e/conftest.py); Dec 8 2026 is a Tuesday.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import PERSON, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def preview(view: dict[str, Any]) -> str:
    return next(b["text"]["text"] for b in view["blocks"] if b.get("block_id") == "when_preview")


def choices(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in view["blocks"]
        if block.get("block_id") == "when_alternatives"
        for element in block["elements"]
    ]


def when_error(answer: dict[str, Any]) -> str:
    assert answer["response_action"] == "errors", answer
    return next(message for key, message in answer["errors"].items() if key.startswith("when"))


async def test_an_impossible_day_is_named_in_each_language(booker: Booker) -> None:
    cases = (
        ("en-US", "America/New_York", "demo Sept 31 at 10am",
         "There is no Sept 31: September has 30 days."),
        ("pt-BR", "America/Sao_Paulo", "demo 31 de setembro às 11h",
         "Não existe 31 de setembro: setembro tem 30 dias."),
        ("es-ES", "Europe/Madrid", "demo 31 de septiembre a las 9",
         "No existe el 31 de septiembre: septiembre tiene 30 días."),
    )  # fmt: skip
    for locale, zone, text, message in cases:
        booker.double.add_user(PERSON, tz=zone, locale=locale, name="Dani")
        view = await booker.open_modal(f"{text} ana@acme.com")
        assert preview(view) == message, locale
        assert when_error(await booker.submit(view, GUEST)) == message, locale
    assert booker.sandbox.book_calls == 0


async def test_unknown_words_and_impossible_clock_times_say_why(booker: Booker) -> None:
    cases = {
        "demo thrusday 3pm": "I don't know “thrusday” as a time word. Did you mean “Thursday”?",
        "demo next zorpday 3pm": "I don't know “zorpday” as a time word. Fix or remove it.",
        "demo tomorrow 14pm": "There is no 14pm on the clock. Write it like “3pm” or “15:00”.",
    }
    for text, message in cases.items():
        view = await booker.open_modal(f"{text} ana@acme.com")
        assert preview(view) == message
        assert when_error(await booker.submit(view, GUEST)) == message
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    view = await booker.open_modal("demo amanhã às 27h ana@acme.com")
    assert preview(view) == "Não existe 27h no relógio. Escreva como “15h” ou “15:00”."
    view = await booker.open_modal("demo quinat às 10h ana@acme.com")
    assert "Você quis dizer “quinta”?" in preview(view)
    assert booker.sandbox.book_calls == 0


async def test_two_times_offer_both_and_the_pick_is_booked(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow at 3pm or 4pm ana@acme.com")
    assert preview(view) == "“tomorrow at 3pm or 4pm” names more than one time. Pick one:"
    buttons = choices(view)
    assert [b["value"] for b in buttons] == [
        "2026-12-03T15:00:00-05:00",
        "2026-12-03T16:00:00-05:00",
    ]
    refused = when_error(await booker.submit(view, GUEST))
    assert refused.startswith("“tomorrow at 3pm or 4pm” names more than one time: ")
    assert refused.endswith(". Keep only one.")
    assert booker.sandbox.book_calls == 0

    updates = len(booker.double.calls_to("views.update"))
    await booker.slack.block_action(view, buttons[1], GUEST)
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
    picked = booker.view()
    when = next(
        b for b in picked["blocks"] if b["type"] == "input" and b["element"]["action_id"] == "when"
    )
    assert when["element"]["initial_value"] == "2026-12-03 16:00"
    assert preview(picked).startswith("*Free:*")
    answer = await booker.submit(picked, GUEST | {"when": "2026-12-03 16:00"})
    assert answer["response_action"] == "update", answer
    card = (await booker.posted())[0]
    assert "<!date^1796331600^" in str(card["blocks"])  # 16:00 in New York is 21:00 UTC
    assert booker.sandbox.book_calls == 1


async def test_a_weekday_that_is_not_the_dates_offers_both(booker: Booker) -> None:
    view = await booker.open_modal("demo Monday Dec 8 10am ana@acme.com")
    assert preview(view) == "The weekday and the date in “Monday Dec 8 10am” disagree. Pick one:"
    assert [b["value"] for b in choices(view)] == [
        "2026-12-08T10:00:00-05:00",  # the date's reading (a Tuesday)
        "2026-12-07T10:00:00-05:00",  # the weekday's reading, in the same week
    ]
    booker.double.add_user(PERSON, tz="Europe/Madrid", locale="es-ES", name="Dani")
    view = await booker.open_modal("demo el lunes 8 de diciembre a las 10 ana@acme.com")
    message = "El día de la semana y la fecha de “el lunes 8 de diciembre a las 10” no coinciden"
    assert preview(view) == message + ". Elige una:"
    assert len(choices(view)) == 2
    assert when_error(await booker.submit(view, GUEST)).startswith(message + ": ")
    assert booker.sandbox.book_calls == 0


async def test_the_preview_shows_which_words_were_read(booker: Booker) -> None:
    view = await booker.open_modal("demo thursday 3pm please ana@acme.com")
    assert preview(view).startswith("*Free:* Thu, Dec 3")
    assert preview(view).endswith("(read: “thursday”, “3pm”)")
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    view = await booker.open_modal("demo amanhã às 16h ana@acme.com")
    assert "(lido: “amanhã”, “às 16h”)" in preview(view)
