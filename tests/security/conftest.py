"""A running Booker for the security tests (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import FaultBooker, start_booker


@pytest.fixture
async def booker(tmp_path: Path) -> AsyncIterator[FaultBooker]:
    async with start_booker(tmp_path) as running:
        yield running
