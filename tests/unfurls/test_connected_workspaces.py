"""Connect HubSpot mode (a HubSpot account per workspace): a pasted meeting link unfurls only in
a workspace whose own, connected account has that page; elsewhere it is left alone, quietly."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.oauth.test_hubspot_connect import Harness, Person, running

DEMO_LINK = "https://meetings.hubspot.com/demo"


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(tmp_path) as running_harness:
        yield running_harness


async def share(harness: Harness, person: Person) -> None:
    body = harness.double.links.share_links([DEMO_LINK], user=person.user_id)
    body["team_id"] = person.team_id
    answer = await person.slack.send_event_body(body)
    assert answer.status_code == 200


async def test_only_a_workspace_whose_connected_account_has_the_page_unfurls_it(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    acme = harness.person("T0ACME", "U0ACME")
    globex = harness.person("T0GLOBEX", "U0GLOBEX")
    caplog.set_level(logging.INFO)

    await share(harness, acme)  # Acme has not connected HubSpot yet
    await harness.until(lambda: "no unfurl" in caplog.text)
    assert harness.double.calls_to("chat.unfurl") == []
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []

    connected = await harness.connect(acme)
    assert connected.status_code == 200
    await share(harness, acme)
    await harness.until(lambda: bool(harness.double.links.unfurls))
    (unfurl,) = harness.double.links.unfurls
    assert unfurl.url == DEMO_LINK and "*Product Demo*" in str(unfurl.unfurl["blocks"])

    # Globex, in the same Booker, has no account of its own: Acme's page stays Acme's.
    caplog.clear()
    await share(harness, globex)
    await harness.until(lambda: "no unfurl" in caplog.text)
    assert len(harness.double.calls_to("chat.unfurl")) == 1
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []
