"""Whatever arrives, properly signed: acknowledged (200, a proper response_action), and never a
traceback. Slack only sends well-formed payloads, but a bug of ours, a new Slack field or a
replayed old modal must not crash a listener either."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FaultBooker
from tests.faults.helpers import tracebacks

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BLOCK_IDS = (
    "meeting_page",
    "when",
    "when_1",
    "duration",
    "timezone",
    "guest_email",
    "guest_first_name",
    "guest_last_name",
    "post_to",
    "form_field:company",
    "form_field:",
    "legal_consent",
)
ELEMENT_TYPES = (
    "plain_text_input",
    "email_text_input",
    "static_select",
    "external_select",
    "conversations_select",
    "checkboxes",
    "datepicker",
    "number_input",
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
typed_texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "tomorrow 10am",
            "ana@acme.com",
            "demo",
            "America/New_York",
            "Not/AZone",
            "30",
            "-1",
            "99999999999999999999",
            "2026-12-03T15:00:00+00:00",
            "<!channel>",
            "{}",
            "[]",
            "null",
            '{"meta": 1}',
            '{"meta": {"when_revision": "x"}, "form": []}',
            '{"form": {"form_fields": {"a": 1}, "duration_minutes": "x"}}',
        ]
    ),
)


@st.composite
def element_states(draw: st.DrawFn) -> dict[str, Any]:
    state: dict[str, Any] = {"type": draw(st.sampled_from(ELEMENT_TYPES))}
    for key in ("value", "selected_option", "selected_options", "selected_conversation"):
        if draw(st.booleans()):
            state[key] = draw(
                st.one_of(
                    typed_texts,
                    json_values,
                    st.fixed_dictionaries(
                        {"value": typed_texts, "text": st.fixed_dictionaries({"text": typed_texts})}
                    ),
                )
            )
    return state


@st.composite
def views(draw: st.DrawFn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block_id in draw(st.lists(st.sampled_from(BLOCK_IDS), max_size=len(BLOCK_IDS))):
        action_id = block_id.split(":")[0] if draw(st.booleans()) else block_id
        values[block_id] = {action_id: draw(element_states())}
    if draw(st.booleans()):
        values[draw(st.text(max_size=20))] = draw(json_values)
    view: dict[str, Any] = {
        "id": "V" + draw(st.text("0123456789ABCDEF", min_size=1, max_size=8)),
        "type": "modal",
        "callback_id": "book_meeting",
        "hash": "1.1",
        "private_metadata": draw(typed_texts),
        "state": {"values": values},
        "blocks": [],
    }
    if draw(st.booleans()):
        view["state"] = draw(json_values)
    return view


class Watch:
    def __init__(self, booker: FaultBooker, caplog: pytest.LogCaptureFixture) -> None:
        self.booker = booker
        self.caplog = caplog

    async def settle(self, moved: Any, seconds: float = 5.0) -> None:
        """Wait until the work after the ack shows (`moved()`), or a traceback does."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not moved() and asyncio.get_running_loop().time() < deadline:
            if tracebacks(self.caplog):
                break
            await asyncio.sleep(0.02)
        assert tracebacks(self.caplog) == []


def _acked(answer: Any) -> None:
    assert answer.status_code == 200, answer.text
    if answer.content:
        body = answer.json()
        action = body.get("response_action")
        assert action in (None, "errors", "update", "push", "clear"), body
        if action == "errors":
            errors = body["errors"]
            assert errors and all(
                isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items()
            )
        if action in ("update", "push"):
            assert body["view"]["type"] == "modal"


@FUZZ
@given(text=st.one_of(st.text(max_size=300), typed_texts))
async def test_any_slash_text_is_acked_and_answered(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    caplog.set_level(logging.WARNING)
    watch = Watch(booker, caplog)
    updates = len(booker.double.calls_to("views.update"))
    responses = len(booker.double.responses)
    answer = await booker.slack.slash_command(text, response_url=booker.double.response_url())
    _acked(answer)
    await watch.settle(
        lambda: (
            len(booker.double.calls_to("views.update")) > updates
            or len(booker.double.responses) > responses
        )
    )


@FUZZ
@given(view=views())
async def test_any_modal_state_is_acked_with_a_proper_response(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, view: dict[str, Any]
) -> None:
    caplog.set_level(logging.WARNING)
    watch = Watch(booker, caplog)
    booker.double.views[view["id"]] = view | {"root_view_id": view["id"]}
    updates = len(booker.double.calls_to("views.update"))
    answer = await booker.slack.send_interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0BOOKER"},
            "user": {"id": "U0PERSON", "team_id": "T0BOOKER"},
            "api_app_id": "A0BOOKER",
            "trigger_id": "t",
            "view": view,
            "response_urls": [],
        }
    )
    _acked(answer)
    body = answer.json() if answer.content else {}
    if body.get("response_action") == "update":  # accepted: the booking runs after the ack
        await watch.settle(lambda: len(booker.double.calls_to("views.update")) > updates)
    else:
        await watch.settle(lambda: False, seconds=0.05)


MODAL_ACTIONS = (
    "meeting_page",
    "when",
    "duration",
    "timezone",
    "pick_slot_0",
    "pick_alt_3",
    "pick_slot_99",
    "back_to_form",
    "check_again",
)
MESSAGE_ACTIONS = ("join_meeting", "add_to_calendar", "open_booking_modal")


@st.composite
def actions(draw: st.DrawFn, action_id: str) -> dict[str, Any]:
    """A block action as Slack shapes it, with hostile strings where Slack puts strings."""
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": draw(typed_texts),
        "type": draw(st.sampled_from((*ELEMENT_TYPES, "button"))),
        "action_ts": "1.2",
    }
    if draw(st.booleans()):
        action["value"] = draw(typed_texts)
    if draw(st.booleans()):
        action["selected_option"] = {
            "value": draw(typed_texts),
            "text": {"type": "plain_text", "text": draw(typed_texts)},
        }
    return action


@FUZZ
@given(data=st.data())
async def test_any_click_is_acked(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    caplog.set_level(logging.WARNING)
    watch = Watch(booker, caplog)
    action_id = data.draw(st.sampled_from(MODAL_ACTIONS + MESSAGE_ACTIONS))
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0BOOKER"},
        "user": {"id": "U0PERSON", "team_id": "T0BOOKER"},
        "api_app_id": "A0BOOKER",
        "trigger_id": "t",
        "actions": [data.draw(actions(action_id))],
    }
    if action_id in MODAL_ACTIONS or data.draw(st.booleans()):  # modal inputs come with a view
        view = data.draw(views())
        booker.double.views[view["id"]] = view | {"root_view_id": view["id"]}
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view["id"]}
    else:
        payload["channel"] = {"id": "C0GENERAL"}
        payload["container"] = {"type": "message", "message_ts": "1.1", "channel_id": "C0GENERAL"}
        payload["message"] = {"ts": "1.1", "text": data.draw(typed_texts), "blocks": []}
    _acked(await booker.slack.send_interaction(payload))
    # Work after the ack (HubSpot, views.update) shows within this time in this setup.
    await watch.settle(lambda: False, seconds=0.08)


async def test_a_click_on_a_button_booker_no_longer_knows_is_acked(booker: FaultBooker) -> None:
    answer = await booker.slack.send_interaction(
        {
            "type": "block_actions",
            "team": {"id": "T0BOOKER"},
            "user": {"id": "U0PERSON", "team_id": "T0BOOKER"},
            "api_app_id": "A0BOOKER",
            "trigger_id": "t",
            "channel": {"id": "C0GENERAL"},
            "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0GENERAL"},
            "actions": [{"action_id": "reschedule_v0", "type": "button", "value": "x"}],
        }
    )
    assert answer.status_code == 200


@FUZZ
@given(query=st.one_of(st.text(max_size=100), typed_texts))
async def test_any_page_search_is_answered(
    booker: FaultBooker, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    caplog.set_level(logging.WARNING)
    answer = await booker.slack.block_suggestion({"id": "V1"}, "meeting_page", query)
    assert answer.status_code == 200
    assert isinstance(answer.json()["options"], list)
    assert tracebacks(caplog) == []


def test_json_values_are_json() -> None:
    """The strategies above only produce what Slack could put in a JSON payload."""

    @settings(max_examples=20, deadline=None)
    @given(view=views())
    def check(view: dict[str, Any]) -> None:
        json.dumps(view)

    check()
