"""Without SLACK_CLIENT_ID/SECRET nothing of OAuth mode shows: no install pages, one token."""

from __future__ import annotations

from tests.e2e.conftest import BOT_TOKEN, Booker
from tests.e2e.conftest import booker as booker  # the single-token Booker of the e2e tests


async def test_single_token_mode_has_no_install_pages_and_uses_its_token(
    booker: Booker,
) -> None:
    install = await booker.http.get("/slack/install")
    redirect = await booker.http.get("/slack/oauth_redirect", params={"code": "x", "state": "y"})

    assert install.status_code == 404 and redirect.status_code == 404
    await booker.open_modal("demo")
    tokens = {call.headers.get("Authorization") for call in booker.double.calls}
    assert tokens == {f"Bearer {BOT_TOKEN}"}
    # An uninstall event is acknowledged and changes nothing (nothing is stored).
    answer = await booker.slack.send_event({"type": "app_uninstalled"})
    assert answer.status_code == 200
