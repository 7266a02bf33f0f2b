"""Every HubSpot form field type can be answered from Slack: the sandbox's "intake" page asks one
question of each type; each is rendered with the element of THE table (bot.blocks
FORM_FIELD_WIDGETS), submitted the way Slack submits it, and reaches HubSpot as HubSpot wants it."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from bot import blocks
from handlers.payloads import STATE_FIELD
from tests.e2e.conftest import Booker

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
REQUIRED = {
    "form_field:plan": "starter",
    "form_field:tools": ["tool-03", "tool-37"],
    "form_field:country": ("Brazil", "BR"),
}
EXPECTED_ELEMENTS = {
    "phone": "plain_text_input",
    "employees": "number_input",
    "start_date": "datepicker",
    "plan": "radio_buttons",
    "industry": "static_select",
    "interests": "checkboxes",
    "tools": "multi_static_select",
    "country": "external_select",
    "markets": "multi_external_select",
    "newsletter": "checkboxes",
    "notes": "plain_text_input",
}


def _questions(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        block["block_id"].removeprefix("form_field:"): block
        for block in view["blocks"]
        if block["type"] == "input" and block["block_id"].startswith("form_field:")
    }


def _sent(booker: Booker) -> dict[str, str]:
    """The form fields of the booking HubSpot recorded, as HubSpot validated them."""
    (booking,) = booker.sandbox.bookings
    return {item["name"]: item["value"] for item in booking["formFields"]}


def test_the_table_covers_every_element_and_each_is_read_from_slacks_payload() -> None:
    elements = {w.element for ws in blocks.FORM_FIELD_WIDGETS.values() for w in ws}
    assert elements <= set(STATE_FIELD)


async def test_each_hubspot_field_type_gets_its_slack_element(booker: Booker) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    View(**view).validate_json()
    questions = _questions(view)
    assert {name: q["element"]["type"] for name, q in questions.items()} == EXPECTED_ELEMENTS
    assert questions["tools"]["optional"] is False
    assert len(questions["tools"]["element"]["options"]) == 40
    assert "options" not in questions["country"]["element"]  # searched, not cut at 100


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"plan": "starter", "tools": "tool-03;tool-37", "country": "BR"}),
        ({"form_field:phone": "+55 11 91234-5678"}, {"phone": "+55 11 91234-5678"}),
        ({"form_field:employees": "42.5"}, {"employees": "42.5"}),
        ({"form_field:start_date": "2027-01-15"}, {"start_date": "2027-01-15"}),
        ({"form_field:plan": ("Enterprise", "enterprise")}, {"plan": "enterprise"}),
        ({"form_field:industry": ("Industry 07", "industry-07")}, {"industry": "industry-07"}),
        ({"form_field:interests": ["sales", "service"]}, {"interests": "sales;service"}),
        ({"form_field:markets": ["m-AR", "m-BR"]}, {"markets": "m-AR;m-BR"}),
        ({"form_field:newsletter": ["true"]}, {"newsletter": "true"}),
        ({"form_field:notes": "line one\nline two"}, {"notes": "line one\nline two"}),
    ],
    ids=lambda v: next(iter(v), "required") if isinstance(v, dict) else None,
)
async def test_a_submit_per_element_type_reaches_hubspot(
    booker: Booker, answers: dict[str, Any], expected: dict[str, str]
) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    ack = await booker.submit(view, GUEST | REQUIRED | answers)
    assert ack.get("response_action") == "update", ack
    await booker.posted()
    sent = _sent(booker)
    for name, value in expected.items():
        assert sent[name] == value
    # Nothing else was sent but what the person answered (and the guest's own fields).
    assert set(sent) - {"firstName", "lastName", "email"} == {
        "plan",
        "tools",
        "country",
        *expected,
    }


async def test_a_required_multi_select_left_empty_is_an_inline_error(booker: Booker) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    answers = GUEST | REQUIRED | {"form_field:tools": []}
    ack = await booker.submit(view, answers)
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"form_field:tools"}
    assert booker.sandbox.book_calls == 0


async def test_the_250_option_question_is_searched_and_any_choice_books(booker: Booker) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    found = await booker.slack.block_suggestion(view, "form_field:country", "zimb")
    assert found.status_code == 200
    options = found.json()["options"]
    assert [(o["text"]["text"], o["value"]) for o in options] == [("Zimbabwe", "ZW")]
    everything = (await booker.slack.block_suggestion(view, "form_field:country", "")).json()
    assert len(everything["options"]) == 100  # Slack's most; typing narrows it
    # Choice 240-something (past the 100 a static select could hold) books.
    ack = await booker.submit(view, GUEST | REQUIRED | {"form_field:country": ("Zimbabwe", "ZW")})
    assert ack.get("response_action") == "update", ack
    await booker.posted()
    assert _sent(booker)["country"] == "ZW"


async def test_a_value_that_is_not_an_option_is_refused_not_guessed(booker: Booker) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    ack = await booker.submit(view, GUEST | REQUIRED | {"form_field:country": ("Atlantis", "AX1")})
    assert ack["response_action"] == "errors"
    assert "form_field:country" in ack["errors"]
    assert booker.sandbox.book_calls == 0


async def test_hubspots_refusal_of_a_phone_number_lands_on_that_question(booker: Booker) -> None:
    view = await booker.open_modal("intake tomorrow 10am ana@acme.com")
    ack = await booker.submit(view, GUEST | REQUIRED | {"form_field:phone": "<!here> call me"})
    assert ack["response_action"] == "update"  # Slack cannot check a phone number: HubSpot does
    form = await booker.result()
    marks = {
        b["block_id"]: b["elements"][0]["text"]
        for b in form["blocks"]
        if str(b.get("block_id", "")).startswith("field_error:")
    }
    assert list(marks) == ["field_error:form_field:phone"]
    assert "not a valid phone number" in marks["field_error:form_field:phone"]
    assert "&lt;!here&gt;" in marks["field_error:form_field:phone"]
    shown = [b["elements"][0]["text"] for b in form["blocks"] if b["type"] == "context"]
    assert not any("<!here>" in text for text in shown)
    kept = _questions(form)
    assert kept["phone"]["element"]["initial_value"] == "<!here> call me"  # kept as typed
    assert kept["tools"]["element"]["initial_options"][0]["value"] == "tool-03"
    assert kept["country"]["element"]["initial_option"]["value"] == "BR"
    assert booker.sandbox.bookings == []
