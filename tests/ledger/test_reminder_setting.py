"""BOOKBOT_REMINDER_MINUTES: a whole number of minutes, 0 turns reminders off."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_default_is_ten_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOOKBOT_REMINDER_MINUTES", raising=False)
    assert Settings().reminder_minutes == 10


@pytest.mark.parametrize(("text", "minutes"), [("0", 0), ("15", 15), (" 30 ", 30)])
def test_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, text: str, minutes: int
) -> None:
    monkeypatch.setenv("BOOKBOT_REMINDER_MINUTES", text)
    assert Settings().reminder_minutes == minutes


@pytest.mark.parametrize("text", ["-5", "ten", "1.5", "100000"])
def test_nonsense_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("BOOKBOT_REMINDER_MINUTES", text)
    with pytest.raises(ValidationError, match="BOOKBOT_REMINDER_MINUTES"):
        Settings()
