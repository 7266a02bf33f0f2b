"""Booker in Socket Mode, end to end: `bookbot run` with SLACK_APP_TOKEN set connects to Slack's
WebSocket (the double), answers /book and modal submissions over it, and books on HubSpot."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.socket_mode.conftest import (
    BookerProcess,
    SocketSlack,
    builtin_sandbox_app,
    connected,
    free_slot,
    running,
    socket_env,
    start_bookbot,
    words_for,
)

GUEST = {"guest_first_name": "Ana", "guest_last_name": "Souza"}


def join_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message.get("blocks") or []
        for element in (block.get("elements") or []) + [block.get("accessory") or {}]
        if element.get("action_id") == "join_meeting"
    ]


def texts(view: dict[str, Any]) -> str:
    """Every text of a view, flattened, to look for what the person reads."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(view.get("blocks"))
    return "\n".join(found)


async def started(tmp_path: Path, slack: SocketSlack, name: str = "booker") -> BookerProcess:
    env = socket_env(slack, f"sqlite:///{tmp_path / 'ledger.db'}")
    return await start_bookbot(tmp_path, name, env, "--sandbox")


async def test_book_over_the_socket_opens_the_modal_books_and_posts_the_card(
    tmp_path: Path, slack: SocketSlack
) -> None:
    when = words_for(await free_slot(builtin_sandbox_app()))
    booker = await started(tmp_path, slack)
    async with running([booker]):
        await connected(slack, [booker])
        opened = slack.double.calls_to("apps.connections.open")
        assert (
            opened
            and opened[0].headers["Authorization"]
            == "Bearer " + socket_env(slack, "")["SLACK_APP_TOKEN"]
        )

        ack = await slack.slash_command(f"demo {when} ana@acme.com")
        assert not ack.get("payload"), "the /book ack carries nothing for Slack to show"
        assert slack.count("views.open") == 1
        view = slack.view()
        assert view["callback_id"] == "book_meeting"

        envelope = await slack.double.socket.push(
            "interactive", slack.double.view_submission_payload(view, GUEST, user_id="U0PERSON")
        )
        answer = (await slack.double.socket.ack(envelope, timeout=20))["payload"]
        assert answer["response_action"] == "update", answer
        await slack.until(lambda: slack.count("chat.postMessage") >= 1, "the channel card")
        card = slack.double.messages[-1]
        assert card["channel"] == "C0GENERAL"
        buttons = join_buttons(card)
        assert len(buttons) == 1 and buttons[0]["url"].startswith("https://")
        assert "Ana Souza" in card["text"] or "Ana Souza" in texts(card)
        await slack.until(lambda: "booked" in texts(slack.view()).lower(), "the booked modal")

        # A process manager's SIGTERM: the socket closes and the process exits cleanly.
        assert await booker.stop() == 0
        await slack.until(lambda: not slack.double.socket.live, "the socket closed")


async def test_an_invalid_submission_is_acked_with_errors_on_the_right_blocks(
    tmp_path: Path, slack: SocketSlack
) -> None:
    booker = await started(tmp_path, slack)
    async with running([booker]):
        await connected(slack, [booker])
        await slack.slash_command("demo")
        view = slack.view()
        envelope = await slack.double.socket.push(
            "interactive",
            slack.double.view_submission_payload(
                view, {"when": "whenever", "guest_email": "not-an-email"} | GUEST
            ),
        )
        answer = (await slack.double.socket.ack(envelope, timeout=20))["payload"]
        assert answer["response_action"] == "errors"
        assert "guest_email" in answer["errors"]
        assert any(block.startswith("when") for block in answer["errors"]), answer["errors"]
        assert slack.count("chat.postMessage") == 0


async def test_an_app_token_slack_refuses_stops_start_up_with_one_line(
    tmp_path: Path, slack: SocketSlack
) -> None:
    secret_looking = "xapp-1-A0BOOKER-revoked-token-0123456789"
    env = socket_env(slack, f"sqlite:///{tmp_path / 'ledger.db'}") | {
        "SLACK_APP_TOKEN": secret_looking
    }
    booker = await start_bookbot(tmp_path, "refused", env, "--sandbox")
    code = await booker.process.wait()  # exits by itself: no retrying forever
    lines = [line for line in booker.log().splitlines() if line.startswith("bookbot:")]
    assert code == 2
    assert lines == [
        "bookbot: Slack refused SLACK_APP_TOKEN (invalid_auth): create an app-level token with "
        "the connections:write scope (Basic Information > App-Level Tokens)"
    ]
    assert "Traceback" not in booker.log()
    assert secret_looking not in booker.log()


async def test_a_stop_while_slack_is_unreachable_ends_the_process(
    tmp_path: Path, slack: SocketSlack
) -> None:
    from urllib.parse import urlsplit, urlunsplit

    api = urlsplit(slack.double.base_url)
    closed = urlunsplit(api._replace(netloc=f"{api.hostname}:9"))  # discard port: no listener
    env = socket_env(slack, f"sqlite:///{tmp_path / 'ledger.db'}") | {"SLACK_API_URL": closed}
    booker = await start_bookbot(tmp_path, "unreachable", env, "--sandbox")
    await _until_in_log(booker, "could not reach Slack")
    assert await booker.stop() == 0
    assert "Booker is stopping" in booker.log()


async def _until_in_log(booker: BookerProcess, text: str, seconds: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while text not in booker.log():
        assert booker.process.returncode is None, booker.log()
        assert asyncio.get_running_loop().time() < deadline, booker.log()
        await asyncio.sleep(0.1)
