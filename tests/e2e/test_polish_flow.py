"""Through the running app: the modal as it opens says it is checking (never "could not check"),
suggests the guest's names, names zones in the person's language; HubSpot's refusal reaches a
pt-BR person fully in Portuguese; the channel card leaves the guest's email out by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import start_booker
from tests.e2e.conftest import PERSON, Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def _preview(view: dict[str, Any]) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == "when_preview")
    return str(block["text"]["text"])


def _initial(view: dict[str, Any], block_id: str) -> Any:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    return element.get("initial_value") or element.get("initial_option", {}).get("text", {})


@pytest.mark.parametrize(
    ("locale", "checking", "verdict", "zone"),
    [
        ("en-US", "Checking whether", "*Free:*", "New York (UTC−5)"),
        ("pt-BR", "Verificando se", "*Livre:*", "Nova York (UTC−5)"),
        ("es-419", "Comprobando si", "*Libre:*", "Nueva York (UTC−5)"),
    ],
)
async def test_the_modal_opens_checking_then_gives_the_verdict(
    booker: Booker, locale: str, checking: str, verdict: str, zone: str
) -> None:
    booker.double.add_user(PERSON, tz="America/New_York", locale=locale, name="Dana")
    view = await booker.open_modal("demo tomorrow 10am ana.souza@acme.com")
    opened = booker.double.calls_to("views.open")[-1].params["view"]
    opened = opened if isinstance(opened, dict) else __import__("json").loads(opened)
    first = _preview(opened)
    assert first.startswith(checking) and zone in first
    t = booker.services.catalog.for_locale(locale)
    assert t.t("preview.unchecked", when="x").split("x")[0] not in first
    # Then HubSpot's answer: the verdict first, then the time in the person's words, then the
    # words that were read as the time (issue 11).
    assert _preview(view).startswith(verdict) and zone in _preview(view)
    assert _preview(view).endswith("“tomorrow”, “10am”)")
    assert _initial(view, "guest_first_name") == "Ana"
    assert _initial(view, "guest_last_name") == "Souza"
    assert _initial(view, "timezone")["text"] == zone


async def test_a_date_without_a_time_offers_times_under_the_day(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow ana.souza@acme.com")
    assert _preview(view) == "Free times on Thu, Dec 3:"
    slots = [e for b in view["blocks"] if b.get("block_id") == "when_slots" for e in b["elements"]]
    assert slots and all(
        b["text"]["text"].endswith(("AM", "PM")) and "Dec" not in b["text"]["text"] for b in slots
    )


async def test_the_channel_card_leaves_the_guest_email_out_by_default(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow 10am ana.souza@acme.com")
    await booker.submit(view, GUEST)
    [card] = await booker.posted()
    assert "ana.souza@acme.com" not in str(card)
    assert card["text"].startswith("Product Demo with Ana Souza — Thu, Dec 3 · 10:00–10:30 AM")
    assert card["text"].endswith(f"Booked by <@{PERSON}>.")


async def test_the_guest_email_is_shown_when_configured(tmp_path: Path) -> None:
    async with start_booker(tmp_path, settings={"BOOKBOT_CARD_GUEST_EMAIL": "true"}) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana.souza@acme.com")
        await booker.submit(view, GUEST)
        [card] = await booker.posted()
        assert "ana.souza@acme.com" in str(card["blocks"])


async def test_hubspots_refusal_reaches_a_portuguese_speaker_in_portuguese(
    tmp_path: Path,
) -> None:
    from bot.devtools.sandbox import Fault

    async with start_booker(tmp_path, locale="pt-BR", tz="America/Sao_Paulo") as booker:
        view = await booker.open_modal("demo amanhã 12h ana.souza@acme.com")
        booker.sandbox.inject(Fault(operation="book", kind="status", status=400, times=1))
        answer = await booker.submit(view, GUEST)
        assert answer.get("response_action") == "update", answer
        result = await booker.result()
        text = str(result["blocks"])
        assert "O HubSpot recusou os dados da reunião" in text
        assert "HubSpot refused" not in text and "booking details" not in text


async def test_a_date_without_a_page_asks_for_a_time_and_claims_nothing(booker: Booker) -> None:
    view = await booker.open_modal("tomorrow ana.souza@acme.com")
    assert _preview(view) == "Which time on Thu, Dec 3? Pick a meeting page to see its free times."
    answer = await booker.submit(view, GUEST)
    when_error = next(v for k, v in answer["errors"].items() if k.startswith("when"))
    assert when_error == "Add a time to Thu, Dec 3, e.g. “tomorrow 10:00”."


async def test_a_day_hubspot_cannot_show_is_not_called_full(booker: Booker) -> None:
    from bot.devtools.sandbox import Fault

    booker.sandbox.inject(Fault(operation="availability", kind="status", status=500, times=50))
    view = await booker.open_modal("demo tomorrow ana.souza@acme.com")
    assert _preview(view).startswith("*Not checked:*")
    assert "No free time" not in _preview(view)
    answer = await booker.submit(view, GUEST)
    when_error = next(v for k, v in answer["errors"].items() if k.startswith("when"))
    assert "nothing is free" not in when_error and "tomorrow 10:00" in when_error


async def test_time_only_slot_buttons_tell_screen_readers_the_day(booker: Booker) -> None:
    view = await booker.open_modal("demo tomorrow ana.souza@acme.com")
    slots = [e for b in view["blocks"] if b.get("block_id") == "when_slots" for e in b["elements"]]
    assert slots
    for button in slots:
        assert button["accessibility_label"] == f"Thu, Dec 3 · {button['text']['text']}"
