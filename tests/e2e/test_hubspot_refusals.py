"""HubSpot's refusals of a booking (400) land where the person looks: on the field they are about,
in the person's language; one no field holds says what HubSpot said (escaped) and its reference.
Real HTTP into Bolt, the Slack double, the sandbox answering as HubSpot does."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from bot.devtools.sandbox import Fault
from tests.e2e.conftest import PERSON, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def _field_errors(view: dict[str, Any]) -> dict[str, str]:
    return {
        block["block_id"].removeprefix("field_error:"): block["elements"][0]["text"]
        for block in view["blocks"]
        if str(block.get("block_id", "")).startswith("field_error:")
    }


def _block_ids(view: dict[str, Any]) -> list[str]:
    return [str(block.get("block_id", "")) for block in view["blocks"]]


def _text(view: dict[str, Any]) -> str:
    parts: list[str] = []
    for block in view["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


async def test_a_spam_filtered_guest_email_is_refused_on_the_email_field(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana@spam.example")
    ack = await booker.submit(view, GUEST)
    assert ack["response_action"] == "update"  # passed Booker's own checks: HubSpot refuses
    form = await booker.result()
    View(**form).validate_json()
    assert form["callback_id"] == "book_meeting"  # the form again, not a dead end
    errors = _field_errors(form)
    assert list(errors) == ["guest_email"]
    assert "spam" in errors["guest_email"]
    ids = _block_ids(form)
    assert ids.index("field_error:guest_email") == ids.index("guest_email") + 1
    inputs = {b["block_id"]: b for b in form["blocks"] if b["type"] == "input"}
    assert inputs["guest_email"]["element"]["initial_value"] == "ana@spam.example"
    assert inputs["guest_first_name"]["element"]["initial_value"] == "Ana"
    assert "nothing was booked" in form["blocks"][0]["elements"][0]["text"]
    assert booker.sandbox.bookings == [] and booker.sandbox.book_calls == 1
    assert booker.double.calls_to("chat.postMessage") == []

    # Fixed on the same form, it books.
    await booker.submit(form, GUEST | {"guest_email": "ana@acme.com"})
    assert len(await booker.posted()) == 1
    assert len(booker.sandbox.bookings) == 1


async def test_the_refusal_is_in_the_persons_language(booker: Booker) -> None:
    for locale, when, words in (("pt-BR", "amanhã 13h", "spam"), ("es", "mañana 14h", "spam")):
        booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale=locale, name="Dani")
        view = await booker.open_modal(f"demo {when} ana@spam.example")
        ack = await booker.submit(view, GUEST)
        assert ack.get("response_action") == "update", ack
        form = await booker.result()
        message = _field_errors(form)["guest_email"]
        assert words in message
        english = "HubSpot refused this email address"
        assert english not in message
        top = form["blocks"][0]["elements"][0]["text"].lower()
        assert ("nada foi agendado" in top) if locale == "pt-BR" else ("no se reservó" in top)


async def test_an_unplaced_refusal_says_what_hubspot_said_escaped_with_its_reference(
    booker: Booker,
) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    view = await booker.open_modal("demo amanhã 13h ana@acme.com")
    booker.sandbox.inject(
        Fault(
            operation="book",
            kind="status",
            status=400,
            message="Blocked by <!channel> policy & rules",
        )
    )
    await booker.submit(view, GUEST)
    result = await booker.result()
    text = _text(result)
    assert "O HubSpot recusou os dados da reunião" in text
    assert "Blocked by &lt;!channel&gt; policy &amp; rules" in text
    assert "<!channel>" not in text
    assert "Referência para o suporte do HubSpot:" in text
    reference = text.split("Referência para o suporte do HubSpot:")[1].split()[0]
    assert len(reference) == 36  # HubSpot's correlation id (a UUID)


async def test_a_daily_limit_is_told_as_such_and_not_retried(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 3pm ana@acme.com")
    booker.sandbox.inject(Fault(operation="book", kind="daily", times=5))
    await booker.submit(view, GUEST)
    result = await booker.result()
    text = _text(result)
    assert "daily API limit" in text and "midnight" in text
    assert booker.sandbox.book_calls == 1
