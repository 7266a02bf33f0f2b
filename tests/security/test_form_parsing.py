"""The guard's form parsing (bot/guard.py form_fields) gives exactly what parse_qs gives: it
decides which bodies reach Bolt, and Bolt reads them with urllib."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

from hypothesis import given
from hypothesis import strategies as st

from bot.guard import form_fields

FORM_TEXT = st.text(alphabet=st.sampled_from("ab%=&+\\;2F4fzé 1x\n#"), max_size=30)


@given(FORM_TEXT)
def test_any_text_parses_as_urllib_parses_it(text: str) -> None:
    assert form_fields(text) == parse_qs(text)


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=40), max_size=5))
def test_encoded_forms_parse_as_urllib_parses_them(fields: dict[str, str]) -> None:
    text = urlencode(fields)
    assert form_fields(text) == parse_qs(text)


def test_a_submission_with_the_whole_modal_parses_back() -> None:
    payload = {
        "type": "view_submission",
        "view": {"blocks": [{"text": 'Ação <b> & \\ 100% "quoted" 😀'}] * 50},
    }
    text = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    fields = form_fields(text)
    assert fields == parse_qs(text)
    assert json.loads(fields["payload"][0]) == payload
