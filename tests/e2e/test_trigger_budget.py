"""The modal opens inside Slack's 3-second trigger window even when Slack's users.info and the
database are slow: views.open goes first with what is known at once, and the person's language,
zone and last booking fill in by views.update afterwards. The Slack double expires triggers after
3 s, as Slack does, so a modal opened too late is refused. (How fast: bench/trigger_budget.py.)
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.store import Preferences
from tests.e2e.conftest import PERSON, Booker


def slow_database(booker: Booker, seconds: float) -> None:
    """The preferences read takes `seconds` (a database on a slow network)."""
    store = booker.services.store
    read = store.get_preferences

    async def slowly(team_id: str, user_id: str) -> Any:
        await asyncio.sleep(seconds)
        return await read(team_id, user_id)

    store.get_preferences = slowly  # type: ignore[method-assign]


async def test_slow_slack_and_database_still_open_the_form_then_fill_it_in(
    booker: Booker,
) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    await booker.services.store.save_preferences(
        Preferences(team_id="T0BOOKER", user_id=PERSON, last_page_slug="sales-intro")
    )
    booker.double.method_latency["users.info"] = 1.1
    slow_database(booker, 2.0)  # before: 1.1 s + 2.0 s of waiting, then a refused views.open

    answer = await booker.slack.slash_command("amanhã 13h ana@acme.com")
    assert answer.status_code == 200
    await booker.until(lambda: bool(booker.double.calls_to("views.update")), seconds=15)
    opened = booker.double.calls_to("views.open")
    assert len(opened) == 1
    assert booker.double.responses == []  # no "the form expired" message
    view = booker.view()
    # Filled in afterwards: the person's language (users.info) and last page (database).
    assert view["title"]["text"] == "Agendar reunião"
    page = next(b for b in view["blocks"] if b.get("block_id") == "meeting_page")
    assert page["element"]["initial_option"]["value"] == "sales-intro"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["guest_email"]["element"]["initial_value"] == "ana@acme.com"


async def test_what_was_learnt_before_opens_the_next_form_at_once_in_the_right_language(
    booker: Booker,
) -> None:
    booker.double.add_user(PERSON, tz="America/Sao_Paulo", locale="pt-BR", name="Dani")
    await booker.slack.slash_command("")
    await booker.until(lambda: bool(booker.double.calls_to("views.update")))
    booker.double.method_latency["users.info"] = 1.5
    updates = len(booker.double.calls_to("views.update"))
    await booker.slack.slash_command("")
    await booker.until(lambda: len(booker.double.calls_to("views.open")) == 2)
    # The form opened before users.info answered, already in the person's language.
    assert booker.double.calls_to("views.open")[-1].params["view"]["title"]["text"] == (
        "Agendar reunião"
    )
    await booker.until(lambda: len(booker.double.calls_to("views.update")) > updates)
