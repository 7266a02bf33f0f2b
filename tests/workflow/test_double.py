"""The Slack double's workflow functions and unfurls answer like Slack (over real HTTP, through
slack_sdk's own client), so the end-to-end tests cannot pass against shapes Slack would refuse."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.devtools.slack_double import SlackDouble
from tests.workflow.conftest import manifest_functions, step_inputs


@pytest.fixture
async def double() -> AsyncIterator[SlackDouble]:
    async with SlackDouble() as running:
        running.functions.define(manifest_functions())
        running.add_user("U0PERSON")
        yield running


def _client(double: SlackDouble, token: str) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=double.base_url)


async def _error(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.response["error"])


async def test_an_execution_completes_once_with_outputs_its_manifest_declares(
    double: SlackDouble,
) -> None:
    body = double.functions.run_function("book_hubspot_meeting", step_inputs())
    event = body["event"]
    assert event["bot_access_token"].startswith("xwfp-")
    assert {p["name"] for p in event["function"]["output_parameters"]} >= {"join_url", "status"}
    client = _client(double, event["bot_access_token"])
    execution_id = event["function_execution_id"]

    wrong = client.functions_completeSuccess(
        function_execution_id=execution_id, outputs={"start_time": "soon", "status": "booked"}
    )
    assert await _error(wrong) == "parameter_validation_failed"
    outputs = {"start_time": 1, "end_time": 2, "status": "booked", "join_url": "https://x"}
    await client.functions_completeSuccess(function_execution_id=execution_id, outputs=outputs)
    assert double.functions.executions[execution_id].outputs == outputs
    again = client.functions_completeError(function_execution_id=execution_id, error="late")
    assert await _error(again) == "execution_not_in_running_state"
    unknown = client.functions_completeError(function_execution_id="Fx0NOPE", error="x")
    assert await _error(unknown) == "function_execution_not_found"


async def test_a_message_posted_with_the_executions_token_brings_clicks_back_to_it(
    double: SlackDouble,
) -> None:
    body = double.functions.run_function("book_hubspot_meeting", step_inputs())
    token = body["event"]["bot_access_token"]
    button = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
    blocks = [{"type": "actions", "block_id": "b", "elements": [{**button, "value": "1"}]}]
    await _client(double, token).chat_postMessage(channel="D0PERSON", text="pick", blocks=blocks)
    click = double.functions.block_actions_payload(
        double.messages[-1], "go", user_id="U0PERSON", response_url="https://r"
    )
    assert click["function_data"]["execution_id"] == body["event"]["function_execution_id"]
    assert click["function_data"]["inputs"] == body["event"]["inputs"]
    assert click["bot_access_token"] == token
    assert click["actions"][0]["value"] == "1"


async def test_chat_unfurl_only_unfurls_links_of_the_shared_message(double: SlackDouble) -> None:
    client = _client(double, "xoxb-booker-test-token")
    event = double.links.share_links(["https://meetings.hubspot.com/demo"])["event"]
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Demo*"}}]
    other = client.chat_unfurl(
        channel=event["channel"],
        ts=event["message_ts"],
        unfurls={"https://meetings.hubspot.com/other": {"blocks": blocks}},
    )
    assert await _error(other) == "cannot_unfurl_url"
    broken = client.chat_unfurl(
        unfurl_id=event["unfurl_id"],
        source=event["source"],
        unfurls={"https://meetings.hubspot.com/demo": {"blocks": [{"type": "section"}]}},
    )
    assert await _error(broken) == "invalid_blocks"
    await client.chat_unfurl(
        unfurl_id=event["unfurl_id"],
        source=event["source"],
        unfurls={"https://meetings.hubspot.com/demo": {"blocks": blocks}},
    )
    assert [u.url for u in double.links.unfurls] == ["https://meetings.hubspot.com/demo"]
