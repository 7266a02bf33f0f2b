"""BookingFlow below HTTP: what the person typed -> checked submission -> booking -> what the
modal and the channel card say, on the real sandbox and ledger (tests/support/core.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import blocks
from bot.devtools.sandbox import Fault
from bot.flow import FormValues
from tests.support.core import ZONE, Core, booking_core


def shown(view: Any) -> str:
    """Every text of a view or message, as one string (what a person can read)."""
    return json.dumps(view, ensure_ascii=False)


def form_for(start: datetime, **fields: Any) -> FormValues:
    values: dict[str, Any] = {
        "slug": "demo",
        "page_name": "Product Demo",
        "when_text": start.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M"),
        "duration_minutes": 30,
        "timezone": ZONE,
        "guest_email": "ana.lima@example.com",
        "guest_first_name": "Ana",
        "guest_last_name": "Lima",
    }
    values.update(fields)
    return FormValues(**values)


async def first_free(core: Core) -> datetime:
    return (await core.free_slots())[0].start


async def test_a_filled_form_books_and_shows_the_card(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta()
        form = form_for(await first_free(core))
        checked = await core.flow.validate(form, meta, view_id="V0FORM")
        assert checked.errors == {} and checked.submission is not None

        outcome = await core.flow.book(checked.submission, meta)
        assert outcome.status == "booked" and core.book_calls() == 1
        result = shown(await core.flow.result_view(outcome, form, meta))
        assert "Product Demo" in result
        _text, card = core.flow.card(outcome, meta)
        assert "Ana Lima" in shown(card)
        # The next form starts from this booking's page, length and zone.
        prefs = await core.store.get_preferences(meta.team_id, meta.user_id)
        assert prefs is not None and prefs.last_page_slug == "demo"


async def test_the_same_form_submitted_twice_books_once(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta()
        form = form_for(await first_free(core))
        first = await core.flow.validate(form, meta, view_id="V0FORM")
        assert first.submission is not None
        await core.flow.book(first.submission, meta)

        # Slack's retry of the same view: the slot is taken by this very booking, no refusal.
        second = await core.flow.validate(form, meta, view_id="V0FORM")
        assert second.errors == {} and second.submission is not None
        assert second.submission.key == first.submission.key
        again = await core.flow.book(second.submission, meta)
        assert again.duplicate and again.status == "booked"
        assert core.book_calls() == 1


async def test_a_time_in_the_past_is_refused_on_the_field_without_a_booking(
    tmp_path: Path,
) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta(locale="pt-BR")
        form = form_for(await first_free(core), when_text="ontem às 15h")
        checked = await core.flow.validate(form, meta, view_id="V0FORM")

        assert checked.submission is None
        t = core.catalog.for_locale("pt-BR")
        assert checked.errors == {
            blocks.when_block_id(0): t.t("error.time.past", when="ontem às 15h")
        }
        assert core.book_calls() == 0


async def test_a_slot_taken_since_the_preview_is_refused_on_the_field(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta()
        start = await first_free(core)
        form = form_for(start)
        # The live preview read the page's free slots; then someone else booked that slot.
        preview = await core.booking.preview(
            slug="demo", when_text=form.when_text, tz=ZONE, locale="en-US", duration_minutes=30
        )
        assert preview.free is True
        await core.booking.book(core.submission(start, key="V0OTHER:x", email="bo@example.com"))
        await core.free_slots()  # Booker's cache now knows (as after the next preview)

        checked = await core.flow.validate(form, meta, view_id="V0FORM")
        assert checked.submission is None
        t = core.catalog.for_locale("en-US")
        assert checked.errors[blocks.when_block_id(0)].startswith(t.t("error.slot_taken"))


async def test_a_slot_taken_between_the_check_and_the_booking_says_so(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta(locale="es")
        start = await first_free(core)
        form = form_for(start)
        checked = await core.flow.validate(form, meta, view_id="V0FORM")
        assert checked.submission is not None
        await core.booking.book(core.submission(start, key="V0OTHER:x", email="bo@example.com"))

        outcome = await core.flow.book(checked.submission, meta)
        assert outcome.status == "failed"
        view = shown(await core.flow.result_view(outcome, form, meta))
        assert core.catalog.for_locale("es").t("error.slot_taken") in view


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        (Fault(operation="book", status=401), "error.hubspot.auth"),
        (Fault(operation="book", status=403), "error.hubspot.scope"),
        (Fault(operation="book", kind="daily"), "error.hubspot.rate_limited_daily"),
        (Fault(operation="book", status=503), "error.hubspot.outcome_unknown"),
    ],
)
@pytest.mark.parametrize("locale", ["en-US", "pt-BR", "es"])
async def test_hubspots_refusal_is_told_in_the_persons_language(
    tmp_path: Path, fault: Fault, key: str, locale: str
) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta(locale=locale)
        form = form_for(await first_free(core))
        checked = await core.flow.validate(form, meta, view_id="V0FORM")
        assert checked.submission is not None
        core.arm(fault)
        outcome = await core.flow.book(checked.submission, meta)

        view = await core.flow.result_view(outcome, form, meta)
        assert core.catalog.for_locale(locale).t(key) in shown(view)


async def test_a_refused_guest_email_comes_back_under_the_email_field(tmp_path: Path) -> None:
    async with booking_core(tmp_path) as core:
        meta = core.meta()
        form = form_for(await first_free(core), guest_email="ana@spam.example")
        checked = await core.flow.validate(form, meta, view_id="V0FORM")
        assert checked.submission is not None
        outcome = await core.flow.book(checked.submission, meta)

        view = await core.flow.result_view(outcome, form, meta)
        assert view["type"] == "modal"
        text = shown(view)
        assert core.catalog.for_locale("en-US").t("error.hubspot.field.email") in text
        assert "ana@spam.example" in text  # what was typed is kept
