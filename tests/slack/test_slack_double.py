"""The Slack Web API double behaves like Slack for slack_sdk's real client over a real socket."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import BookingCard, ModalState, booking_card, booking_modal, home_view
from bot.devtools.slack_double import DEFAULT_TOKEN, SlackDouble
from bot.i18n import Catalog

MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "book_meeting",
    "title": {"type": "plain_text", "text": "Book a meeting"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
}


@pytest.fixture
async def double() -> AsyncIterator[SlackDouble]:
    async with SlackDouble() as running:
        yield running


@pytest.fixture
def client(double: SlackDouble) -> AsyncWebClient:
    return AsyncWebClient(token=DEFAULT_TOKEN, base_url=double.base_url)


async def slack_error(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        await call
    data = raised.value.response.data
    assert isinstance(data, dict)
    return data


async def test_serves_on_a_local_port_and_checks_the_bearer_token(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    assert double.base_url.startswith("http://127.0.0.1:")
    assert double.base_url.endswith("/api/")
    auth = await client.auth_test()
    assert auth["ok"] is True and auth["user_id"] == double.bot_user_id
    assert double.calls[-1].headers["Authorization"] == f"Bearer {DEFAULT_TOKEN}"
    wrong = AsyncWebClient(token="xoxb-wrong", base_url=double.base_url)
    assert (await slack_error(wrong.auth_test()))["error"] == "invalid_auth"
    anonymous = AsyncWebClient(base_url=double.base_url)
    assert (await slack_error(anonymous.auth_test()))["error"] == "not_authed"
    assert [c.method for c in double.calls] == ["auth.test"] * 3


async def test_views_open_and_update_like_slack(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    opened = await client.views_open(trigger_id="123.456.abc", view=MODAL)
    view = opened["view"]
    assert view["id"].startswith("V") and view["hash"]
    assert view["callback_id"] == "book_meeting"
    assert view["state"] == {"values": {}}
    call = double.calls_to("views.open")[0]
    assert call.as_json and call.params["view"]["title"]["text"] == "Book a meeting"

    updated = await client.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)
    assert updated["view"]["id"] == view["id"]
    assert updated["view"]["hash"] != view["hash"]
    stale = client.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)
    assert (await slack_error(stale))["error"] == "hash_conflict"
    missing = client.views_update(view_id="V0NOPE", view=MODAL)
    assert (await slack_error(missing))["error"] == "not_found"
    pushed = await client.views_push(trigger_id="1.2.3", view=MODAL)
    assert pushed["view"]["id"] != view["id"]


async def test_views_open_needs_a_trigger(client: AsyncWebClient) -> None:
    data = await slack_error(client.api_call("views.open", json={"view": MODAL}))
    assert data["error"] == "invalid_arguments"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"title": {"type": "plain_text", "text": "A title far longer than Slack allows"}},
            "title",
        ),
        ({"blocks": [MODAL["blocks"][0]] * 101}, "blocks"),
        (
            {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "bogus": 1}]},
            "bogus",
        ),
        ({"blocks": [{"type": "no_such_block"}]}, "unknown block"),
        (
            {
                "blocks": [
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "a",
                                "text": {"type": "plain_text", "text": "x" * 76},
                            }
                        ],
                    }
                ]
            },
            "75",
        ),
    ],
)
async def test_views_slack_would_reject_are_rejected(
    client: AsyncWebClient, change: dict[str, Any], reason: str
) -> None:
    data = await slack_error(client.views_open(trigger_id="1.2", view={**MODAL, **change}))
    assert data["error"] == "invalid_arguments"
    assert reason in " ".join(data["response_metadata"]["messages"])


async def test_our_modal_and_home_tab_are_accepted(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    t = Catalog.load().for_locale("pt-BR")
    modal = booking_modal(ModalState(timezone="America/Sao_Paulo"), t, private_metadata="{}")
    assert (await client.views_open(trigger_id="1.2", view=modal))["ok"]
    published = await client.views_publish(user_id="U1", view=home_view(t, []))
    assert published["view"]["type"] == "home"
    assert double.home_views["U1"]["id"] == published["view"]["id"]
    modal_as_home = client.views_publish(user_id="U1", view=modal)
    assert (await slack_error(modal_as_home))["error"] == "invalid_arguments"


async def test_post_message_returns_ts_and_validates_blocks_in_json_and_form_bodies(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    t = Catalog.load().for_language("en")
    card = BookingCard(
        "Demo", datetime(2026, 12, 3, 14, tzinfo=UTC), 30, "Ana", "ana@acme.com", "U0BOOKER1",
        "https://meet.example.com/x", None, "UTC",
    )  # fmt: skip
    text, blocks = booking_card(card, t)
    posted = await client.chat_postMessage(channel="C0SALES", text=text, blocks=blocks)
    assert posted["channel"] == "C0SALES" and posted["ts"]
    assert posted["message"]["blocks"] == blocks
    assert double.messages[-1]["channel"] == "C0SALES"

    form = await client.api_call(
        "chat.postMessage", data={"channel": "C0SALES", "text": "x", "blocks": json.dumps(blocks)}
    )
    assert form["ok"] and not double.calls[-1].as_json
    assert double.calls[-1].params["blocks"] == blocks

    bad = [{"type": "section", "text": {"type": "mrkdwn", "text": ""}, "accessory": {}}]
    data = await slack_error(
        client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(bad)})
    )
    assert data["error"] == "invalid_blocks"
    too_many = [{"type": "divider"}] * 51
    data = await slack_error(client.chat_postMessage(channel="C1", text="x", blocks=too_many))
    assert data["error"] == "invalid_blocks"
    assert (await slack_error(client.chat_postMessage(channel="C1")))["error"] == "no_text"


async def test_not_in_channel_then_join(double: SlackDouble) -> None:
    strict = SlackDouble(chat_write_public=False, bot_scopes={"chat:write", "channels:join"})
    async with strict:
        client = AsyncWebClient(token=DEFAULT_TOKEN, base_url=strict.base_url)
        strict.add_channel("C0PUBLIC", is_member=False)
        strict.add_channel("G0SECRET", is_private=True, is_member=False)
        post = client.chat_postMessage(channel="C0PUBLIC", text="hi")
        assert (await slack_error(post))["error"] == "not_in_channel"
        joined = await client.conversations_join(channel="C0PUBLIC")
        assert joined["channel"]["is_member"] is True
        assert (await client.chat_postMessage(channel="C0PUBLIC", text="hi"))["ok"]
        secret = client.chat_postMessage(channel="G0SECRET", text="hi")
        assert (await slack_error(secret))["error"] == "channel_not_found"
        join_secret = client.conversations_join(channel="G0SECRET")
        assert (await slack_error(join_secret))["error"] == "method_not_supported_for_channel_type"


async def test_a_trigger_expires_three_seconds_after_it_was_issued(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    fresh = f"trigger.{time.time_ns()}"
    assert (await client.views_open(trigger_id=fresh, view=MODAL))["ok"]
    stale = f"trigger.{time.time_ns() - 3_100_000_000}"
    assert (await slack_error(client.views_open(trigger_id=stale, view=MODAL)))[
        "error"
    ] == "expired_trigger_id"
    double.method_latency["users.info"] = 0.3
    double.add_user("U9", tz="UTC", locale="en-US", name="Slow")
    started = time.monotonic()
    await client.users_info(user="U9")
    assert time.monotonic() - started >= 0.3
    assert double.calls_to("users.info")[-1].at >= started


async def test_scheduling_needs_membership_where_posting_does_not(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.add_channel("C0PUBLIC", is_member=False)
    double.add_channel("G0SECRET", is_private=True, is_member=False)
    later = int(time.time()) + 3600
    assert (await client.chat_postMessage(channel="C0PUBLIC", text="hi"))["ok"]  # .public
    not_in = client.chat_scheduleMessage(channel="C0PUBLIC", post_at=later, text="soon")
    assert (await slack_error(not_in))["error"] == "not_in_channel"
    secret = client.chat_scheduleMessage(channel="G0SECRET", post_at=later, text="soon")
    assert (await slack_error(secret))["error"] == "channel_not_found"
    # The manifest's scopes do not include channels:join.
    join = await slack_error(client.conversations_join(channel="C0PUBLIC"))
    assert (join["error"], join["needed"]) == ("missing_scope", "channels:join")
    far = client.chat_scheduleMessage(
        channel="C1", post_at=int(time.time()) + 121 * 24 * 3600, text="x"
    )
    assert (await slack_error(far))["error"] == "time_too_far"


async def test_thirty_messages_per_channel_per_five_minutes(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    at = int(time.time()) + 3600
    for offset in range(30):
        await client.chat_scheduleMessage(channel="C1", post_at=at + offset * 5, text="x")
    crowded = client.chat_scheduleMessage(channel="C1", post_at=at + 200, text="x")
    assert (await slack_error(crowded))["error"] == "restricted_too_many"
    assert (await client.chat_scheduleMessage(channel="C2", post_at=at, text="x"))["ok"]
    assert (await client.chat_scheduleMessage(channel="C1", post_at=at + 900, text="x"))["ok"]


async def test_chat_write_public_posts_to_public_channels_without_joining(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.add_channel("C0PUBLIC", is_member=False)
    assert (await client.chat_postMessage(channel="C0PUBLIC", text="hi"))["ok"]


async def test_scripted_failures_happen_the_given_number_of_times(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.fail_next("chat.postMessage", "not_in_channel", times=2)
    for _ in range(2):
        post = client.chat_postMessage(channel="C1", text="hi")
        assert (await slack_error(post))["error"] == "not_in_channel"
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"]
    assert len(double.calls_to("chat.postMessage")) == 3


async def test_ratelimited_answers_429_with_retry_after(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.fail_next("views.update", "ratelimited", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        await client.views_update(view_id="V1", view=MODAL)
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response.data["error"] == "ratelimited"


async def test_slack_sdk_retry_handler_honours_the_wait(double: SlackDouble) -> None:
    retrying = AsyncWebClient(
        token=DEFAULT_TOKEN,
        base_url=double.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    double.fail_next("auth.test", "ratelimited", retry_after=1)
    started = time.monotonic()
    assert (await retrying.auth_test())["ok"]
    assert time.monotonic() - started >= 1.0
    assert len(double.calls_to("auth.test")) == 2


async def test_users_info_gives_zone_and_locale_only_when_asked(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.add_user("U0ANA", tz="America/Sao_Paulo", locale="pt-BR", name="ana")
    plain = (await client.users_info(user="U0ANA"))["user"]
    assert plain["tz"] == "America/Sao_Paulo"
    assert plain["tz_offset"] == -3 * 3600
    assert "locale" not in plain
    with_locale = (await client.users_info(user="U0ANA", include_locale=True))["user"]
    assert with_locale["locale"] == "pt-BR"
    assert (await slack_error(client.users_info(user="U0NOBODY")))["error"] == "user_not_found"


async def test_dm_ephemeral_and_scheduled_messages(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    double.add_user("U0ANA")
    dm = (await client.conversations_open(users="U0ANA"))["channel"]["id"]
    assert dm.startswith("D")
    assert (await client.conversations_open(users="U0ANA"))["channel"]["id"] == dm
    assert (await client.chat_postMessage(channel=dm, text="could not post"))["ok"]
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U0ANA", text="help")
    assert ephemeral["message_ts"]
    assert double.ephemeral_messages[-1]["visible_to"] == "U0ANA"
    later = int(time.time()) + 3600
    scheduled = await client.chat_scheduleMessage(channel="C1", post_at=later, text="soon")
    assert scheduled["scheduled_message_id"].startswith("Q")
    assert scheduled["post_at"] == later
    past = client.chat_scheduleMessage(channel="C1", post_at=int(time.time()) - 5, text="x")
    assert (await slack_error(past))["error"] == "time_in_past"


async def test_file_upload_v2_goes_through_the_upload_url(
    double: SlackDouble, client: AsyncWebClient
) -> None:
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    uploaded = await client.files_upload_v2(channel="C1", content=ics, filename="meeting.ics")
    file_id = uploaded["files"][0]["id"]
    assert double.uploads.contents[file_id] == ics.encode()
    assert [c.method for c in double.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


async def test_oauth_and_unknown_methods(double: SlackDouble) -> None:
    anonymous = AsyncWebClient(base_url=double.base_url)
    access = await anonymous.oauth_v2_access(client_id="1", client_secret="s", code="abc")
    assert access["access_token"] == DEFAULT_TOKEN
    assert "chat:write" in access["scope"]
    client = AsyncWebClient(token=DEFAULT_TOKEN, base_url=double.base_url)
    assert (await slack_error(client.api_call("no.such.method")))["error"] == "unknown_method"
