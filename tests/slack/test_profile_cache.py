"""A person's Slack profile (zone, locale) is asked once a minute, not on every request."""

from __future__ import annotations

from pathlib import Path

from bot.devtools.sandbox import SandboxConfig
from tests.conftest import NOW, start_booker


async def test_a_second_book_within_the_minute_asks_slack_for_the_profile_once(
    tmp_path: Path,
) -> None:
    settings = {"BOOKBOT_PROFILE_TTL_SECONDS": 60}
    async with start_booker(
        tmp_path, sandbox=SandboxConfig(clock=lambda: NOW), settings=settings
    ) as booker:
        await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.open_modal("demo tomorrow 11am ana@acme.com")
        assert len(booker.double.views) >= 2  # both modals opened
        assert len(booker.double.calls_to("users.info")) == 1


async def test_a_profile_is_asked_again_once_its_time_is_over(tmp_path: Path) -> None:
    now = [1000.0]
    settings = {"BOOKBOT_PROFILE_TTL_SECONDS": 60}
    async with start_booker(
        tmp_path, sandbox=SandboxConfig(clock=lambda: NOW), settings=settings
    ) as booker:
        flow = booker.services.flow
        flow.profile_clock = lambda: now[0]
        flow.remember_profile("U1", "America/Sao_Paulo", "pt-BR")
        now[0] += 59
        assert flow.fresh_profile("U1") == ("America/Sao_Paulo", "pt-BR")
        now[0] += 1
        assert flow.fresh_profile("U1") is None
        # Still the last known one when Slack does not answer.
        assert flow.cached_profile("U1") == ("America/Sao_Paulo", "pt-BR")
