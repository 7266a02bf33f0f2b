"""A Slack message as the shortcut reads it: what a person sees, not Slack's markup."""

from __future__ import annotations

import pytest

from bot.flow import message_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demo <mailto:ana@acme.com|ana@acme.com> tomorrow", "demo ana@acme.com tomorrow"),
        ("ask <@U0LEAD> and <@U0LEAD|lead> at 3pm", "ask and at 3pm"),
        ("in <#C0SALES|sales> <!here> <!channel>", "in"),
        ("see <https://acme.com/x|the doc> friday", "see the doc friday"),
        ("see <https://acme.com/x> friday", "see friday"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("  many\n\nlines \t here ", "many lines here"),
    ],
)
def test_markup_becomes_plain_words(text: str, expected: str) -> None:
    assert message_words(text) == expected


def test_a_huge_message_is_read_only_in_part() -> None:
    assert len(message_words("word " * 10_000)) <= 2000
