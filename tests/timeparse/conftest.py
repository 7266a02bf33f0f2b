from __future__ import annotations

import pytest

from bot.timeparse import TimeParser, warm_up


@pytest.fixture(scope="session")
def time_parser() -> TimeParser:
    return warm_up()
