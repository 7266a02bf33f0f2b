"""The Block Kit builders produce views and messages Slack accepts, keep what people typed,
and never let typed text ping a channel or forge a link."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import blocks as bk
from bot.blocks import (
    BookingCard,
    ConsentSpec,
    FormFieldSpec,
    ModalState,
    PageOption,
    Preview,
    booking_card,
    booking_list_blocks,
    booking_modal,
    ephemeral_text_blocks,
    error_modal,
    escape_mrkdwn,
    help_message,
    home_view,
    progress_modal,
    result_modal,
)
from bot.devtools.slack_double import block_problems, view_problems
from bot.i18n import Catalog, Translator

LANGUAGES = ("en", "pt", "es")
NASTY = "<!channel> & <https://evil.example|click here> <@U0ADMIN>"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def t(catalog: Catalog) -> Translator:
    return catalog.for_language("en")


def assert_valid_view(view: dict[str, Any], expected_type: str = "modal") -> None:
    View(**view).validate_json()
    assert view_problems(view, expected_type=expected_type) == []


def assert_valid_message(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    assert block_problems(blocks) == []


def all_texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from all_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_texts(item)


def blocks_by_id(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"] if "block_id" in block}


def full_state(**overrides: Any) -> ModalState:
    values: dict[str, Any] = {
        "page": PageOption(slug="demo-call", name="Demo call"),
        "when_text": "next thu 11:15",
        "duration_minutes": 45,
        "durations": (15, 30, 45, 60),
        "timezone": "America/Sao_Paulo",
        "guest_email": "ana@acme.com",
        "guest_first_name": "Ana",
        "guest_last_name": "Lima",
        "form_values": {
            "company": "Acme",
            "team_size": "50",
            "topics": ("pricing", "security"),
            "newsletter": "true",
            "notes": "Line one\nline two",
            "legal_consent": ("processing", "communication:42"),
        },
        "post_to_channel": "C0SALES",
        "form_fields": (
            FormFieldSpec("firstname", "First name", True, "text"),
            FormFieldSpec("email", "Email", True, "text"),
            FormFieldSpec("company", "Company", True, "text"),
            FormFieldSpec(
                "team_size", "Team size", False, "select", (("10", "1-10"), ("50", "11-50"))
            ),
            FormFieldSpec(
                "topics",
                "Topics",
                False,
                "checkbox",
                (("pricing", "Pricing"), ("security", "Security"), ("api", "API")),
            ),
            FormFieldSpec("newsletter", "Send me news", False, "booleancheckbox"),
            FormFieldSpec("notes", "Notes", False, "textarea"),
        ),
        "consent": ConsentSpec(
            text="Acme processes your data to run the meeting.",
            checkbox_label="I agree to the processing of my data",
            communication=(("42", "Marketing emails", False), ("43", "Product updates", True)),
        ),
        "preview": Preview(
            kind="busy",
            text="*Busy:* Thu, Dec 3 · 11:15–12:00, São Paulo (UTC−3).",
            slot_buttons=(
                ("qui., 3 de dez. · 11:30", "2026-12-03T11:30:00-03:00"),
                ("qui., 3 de dez. · 12:00", "2026-12-03T12:00:00-03:00"),
            ),
            alternative_buttons=(("sex., 4 de dez. · 11:15", "2026-12-04T11:15:00-03:00"),),
        ),
    }
    values.update(overrides)
    return ModalState(**values)


# --- the booking modal -----------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_full_modal_is_valid_in_every_language(catalog: Catalog, language: str) -> None:
    view = booking_modal(full_state(), catalog.for_language(language), private_metadata='{"c":1}')
    assert_valid_view(view)
    assert view["callback_id"] == "book_meeting"
    assert len(view["title"]["text"]) <= 24
    assert view["private_metadata"] == '{"c":1}'


@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_modal_is_valid_and_asks_for_a_page(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    view = booking_modal(ModalState(), t, private_metadata="")
    assert_valid_view(view)
    by_id = blocks_by_id(view)
    assert "initial_option" not in by_id["meeting_page"]["element"]
    assert t.t("modal.choose_page_first") in list(all_texts(view))
    durations = [o["value"] for o in by_id["duration"]["element"]["options"]]
    assert durations == ["15", "30", "45", "60"]


def test_contract_block_ids_equal_action_ids(t: Translator) -> None:
    view = booking_modal(full_state(), t, private_metadata="")
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    for block_id in (
        "meeting_page", "when", "duration", "timezone", "guest_email",
        "guest_first_name", "guest_last_name", "post_to",
        "form_field:company", "form_field:team_size", "form_field:topics",
        "form_field:newsletter", "form_field:notes", "form_field:legal_consent",
    ):  # fmt: skip
        assert inputs[block_id]["element"]["action_id"] == block_id
    assert inputs["meeting_page"]["element"]["type"] == "external_select"
    assert inputs["meeting_page"]["element"]["min_query_length"] == 0
    assert inputs["guest_email"]["element"]["type"] == "email_text_input"
    assert inputs["when"]["dispatch_action"] is True
    assert inputs["when"]["element"]["dispatch_action_config"] == {
        "trigger_actions_on": ["on_enter_pressed"]
    }
    post_to = inputs["post_to"]["element"]
    assert post_to["type"] == "conversations_select"
    assert post_to["default_to_current_conversation"] is True
    assert post_to["response_url_enabled"] is True
    assert post_to["initial_conversation"] == "C0SALES"
    # The page's email/firstname fields are asked by the guest_* inputs, not twice.
    assert "form_field:email" not in inputs
    assert "form_field:firstname" not in inputs


def test_everything_typed_comes_back_as_initial_values(t: Translator) -> None:
    by_id = blocks_by_id(booking_modal(full_state(), t, private_metadata=""))
    assert by_id["meeting_page"]["element"]["initial_option"]["value"] == "demo-call"
    assert by_id["when"]["element"]["initial_value"] == "next thu 11:15"
    assert by_id["duration"]["element"]["initial_option"]["value"] == "45"
    assert by_id["timezone"]["element"]["initial_option"]["value"] == "America/Sao_Paulo"
    assert by_id["guest_email"]["element"]["initial_value"] == "ana@acme.com"
    assert by_id["guest_first_name"]["element"]["initial_value"] == "Ana"
    assert by_id["guest_last_name"]["element"]["initial_value"] == "Lima"
    assert by_id["form_field:company"]["element"]["initial_value"] == "Acme"
    assert by_id["form_field:team_size"]["element"]["initial_option"]["value"] == "50"
    topics = by_id["form_field:topics"]["element"]
    assert topics["type"] == "checkboxes"
    assert [o["value"] for o in topics["initial_options"]] == ["pricing", "security"]
    newsletter = by_id["form_field:newsletter"]["element"]
    assert [o["value"] for o in newsletter["initial_options"]] == ["true"]
    notes = by_id["form_field:notes"]["element"]
    assert notes["multiline"] is True
    assert notes["initial_value"] == "Line one\nline two"
    consent = by_id["form_field:legal_consent"]["element"]
    assert [o["value"] for o in consent["initial_options"]] == ["processing", "communication:42"]


def test_form_fields_map_to_the_right_inputs_and_optionality(t: Translator) -> None:
    by_id = blocks_by_id(booking_modal(full_state(), t, private_metadata=""))
    assert by_id["form_field:company"]["optional"] is False
    assert by_id["form_field:team_size"]["optional"] is True
    assert by_id["form_field:team_size"]["element"]["type"] == "static_select"
    assert by_id["form_field:newsletter"]["element"]["type"] == "checkboxes"
    assert by_id["form_field:notes"]["element"]["type"] == "plain_text_input"
    assert by_id["guest_email"]["optional"] is False


def test_consent_marks_required_boxes_and_keeps_long_legal_wording(t: Translator) -> None:
    long_label = "I agree to receive " + "very " * 30 + "important updates from Acme."
    consent = ConsentSpec(
        text="Acme needs your consent.",
        checkbox_label="I agree to the processing of my data",
        communication=(("7", long_label, False), ("8", "Invoices", True)),
    )
    view = booking_modal(full_state(consent=consent), t, private_metadata="")
    assert_valid_view(view)
    options = blocks_by_id(view)["form_field:legal_consent"]["element"]["options"]
    required = [o["value"] for o in options if o.get("description", {}).get("text") == "Required"]
    assert required == ["processing", "communication:8"]
    assert len(options[1]["text"]["text"]) <= 75
    assert any(long_label in text for text in all_texts(view))


def test_many_checkbox_options_become_a_multi_select(t: Translator) -> None:
    many = tuple((f"v{i}", f"Option {i}") for i in range(30))
    state = full_state(form_fields=(FormFieldSpec("areas", "Areas", True, "checkbox", many),))
    view = booking_modal(state, t, private_metadata="")
    assert_valid_view(view)
    assert blocks_by_id(view)["form_field:areas"]["element"]["type"] == "multi_static_select"


def test_unchosen_values_do_not_become_initial_options(t: Translator) -> None:
    state = full_state(
        duration_minutes=50, form_values={"team_size": "9999"}, page=None, post_to_channel=None
    )
    view = booking_modal(state, t, private_metadata="")
    assert_valid_view(view)
    by_id = blocks_by_id(view)
    assert "initial_option" not in by_id["duration"]["element"]
    assert "initial_option" not in by_id["form_field:team_size"]["element"]
    assert "initial_conversation" not in by_id["post_to"]["element"]
    assert "initial_value" not in by_id["form_field:company"]["element"]


def test_slot_and_alternative_buttons_fill_when_with_iso_starts(t: Translator) -> None:
    by_id = blocks_by_id(booking_modal(full_state(), t, private_metadata=""))
    buttons = by_id["when_slots"]["elements"] + by_id["when_alternatives"]["elements"]
    assert [b["action_id"] for b in buttons] == ["pick_slot_0", "pick_slot_1", "pick_slot_2"]
    assert all(bk.PICK_SLOT_ACTION_PATTERN.match(b["action_id"]) for b in buttons)
    assert [datetime.fromisoformat(b["value"]).hour for b in buttons] == [11, 12, 11]
    order = [
        b.get("block_id") for b in booking_modal(full_state(), t, private_metadata="")["blocks"]
    ]
    assert order.index("when") + 1 == order.index("when_preview")
    assert order.index("when_preview") + 1 == order.index("when_slots")


def test_when_revision_renames_the_block_but_keeps_the_action(t: Translator) -> None:
    view = booking_modal(full_state(when_revision=2), t, private_metadata="")
    assert_valid_view(view)
    block = blocks_by_id(view)["when~2"]
    assert block["element"]["action_id"] == "when"
    assert "when" not in blocks_by_id(view)


def test_timezone_select_puts_the_persons_zone_first_and_stays_under_100(t: Translator) -> None:
    for zone in ("America/Sao_Paulo", "Asia/Yangon", "UTC"):
        view = booking_modal(full_state(timezone=zone), t, private_metadata="")
        element = blocks_by_id(view)["timezone"]["element"]
        values = [o["value"] for g in element["option_groups"] for o in g["options"]]
        assert values[0] == zone
        assert element["initial_option"]["value"] == zone
        assert len(values) == len(set(values)) <= 100


def test_modal_never_exceeds_100_blocks_and_keeps_post_to(t: Translator) -> None:
    fields = tuple(FormFieldSpec(f"q{i}", f"Question {i}", False, "text") for i in range(150))
    view = booking_modal(full_state(form_fields=fields), t, private_metadata="")
    assert len(view["blocks"]) == 100
    assert view["blocks"][-1]["block_id"] == "post_to"
    assert_valid_view(view)


def test_long_texts_are_truncated_to_slack_limits(t: Translator) -> None:
    long_name = "Quarterly business review " * 20
    state = full_state(
        page=PageOption(slug="qbr", name=long_name),
        form_fields=(FormFieldSpec("x", "L" * 5000, True, "select", (("a", "A" * 300),)),),
        preview=Preview(kind="error", text="E" * 5000),
        when_text="w" * 5000,
    )
    view = booking_modal(state, t, private_metadata="")
    assert_valid_view(view)
    by_id = blocks_by_id(view)
    page_text = by_id["meeting_page"]["element"]["initial_option"]["text"]["text"]
    assert len(page_text) == 75 and page_text.endswith("…")
    assert len(by_id["form_field:x"]["label"]["text"]) <= 2000
    assert len(by_id["form_field:x"]["element"]["options"][0]["text"]["text"]) <= 75
    assert len(by_id["when"]["element"]["initial_value"]) <= 3000


def test_private_metadata_over_the_limit_is_refused(t: Translator) -> None:
    with pytest.raises(ValueError):
        booking_modal(full_state(), t, private_metadata="x" * 3001)


def test_typed_text_in_the_preview_cannot_ping_or_link(t: Translator) -> None:
    state = full_state(preview=Preview(kind="error", text=f"I couldn't read “{NASTY}”"))
    view = booking_modal(state, t, private_metadata="")
    preview = blocks_by_id(view)["when_preview"]["text"]["text"]
    assert "<" not in preview and ">" not in preview
    assert "&lt;!channel&gt;" in preview


def test_page_options_filter_by_query_and_cap_at_100() -> None:
    pages = [PageOption(f"page-{i}", f"Page {i}") for i in range(250)] + [
        PageOption("demo", "Product demo")
    ]
    assert len(bk.page_options(pages)) == 100
    found = bk.page_options(pages, "DEMO")
    assert [o["value"] for o in found] == ["demo"]


# --- progress, result, error -----------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_progress_result_and_error_views_are_valid(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    card = sample_card()
    assert_valid_view(progress_modal(t, NASTY))
    assert "<!channel>" not in json.dumps(progress_modal(t, NASTY))
    assert_valid_view(result_modal(t, card, posted_to_channel="C0SALES"))
    assert_valid_view(result_modal(t, "Booked " + NASTY))
    for key in ("error.hubspot.outcome_unknown", "error.hubspot.validation"):
        view = error_modal(t, t.t(key, detail=NASTY), back_metadata='{"form": 1}')
        assert_valid_view(view)
        assert "<!channel>" not in json.dumps(view)


def test_error_view_offers_the_way_back_with_the_form(t: Translator) -> None:
    view = error_modal(t, "HubSpot is down", back_metadata='{"when": "thu 9"}')
    actions = next(b for b in view["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == ["back_to_form"]
    assert actions[0]["text"]["text"] == "Back to the form"
    assert view["private_metadata"] == '{"when": "thu 9"}'
    assert view["title"]["text"] == "Not booked"


def test_outcome_unknown_view_is_honest_and_offers_a_check(t: Translator) -> None:
    view = bk.outcome_unknown_modal(
        t, t.t("error.hubspot.outcome_unknown"), back_metadata="{}", booking_key="V1:abc"
    )
    assert_valid_view(view)
    assert view["title"]["text"] == "Not confirmed"
    assert "did not confirm" in "".join(all_texts(view))
    buttons = {b["action_id"]: b for b in buttons_of(view["blocks"])}
    assert buttons["check_again"]["value"] == "V1:abc"
    assert "back_to_form" in buttons


def test_result_view_says_where_it_was_posted(t: Translator) -> None:
    view = result_modal(t, sample_card(), posted_to_channel="C0SALES")
    assert view["title"]["text"] == "Booked ✓"
    assert "Posted in <#C0SALES>." in list(all_texts(view))


# --- the channel card ------------------------------------------------------------------------
def sample_card(**overrides: Any) -> BookingCard:
    values: dict[str, Any] = {
        "page_name": "Demo call",
        "start_utc": datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
        "duration_minutes": 30,
        "guest_name": "Ana Lima",
        "guest_email": "ana@acme.com",
        "booked_by_user_id": "U0BOOKER1",
        "web_conference_url": "https://meet.example.com/abc-defg",
        "location": None,
        "timezone_for_fallback": "America/New_York",
    }
    values.update(overrides)
    return BookingCard(**values)


def buttons_of(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_has_join_button_and_viewer_local_time(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    text, blocks = booking_card(sample_card(), t)
    assert_valid_message(blocks)
    [join] = buttons_of(blocks)
    assert join["action_id"] == "join_meeting"
    assert join["url"] == "https://meet.example.com/abc-defg"
    body = "\n".join(all_texts(blocks))
    unix = int(datetime(2026, 12, 3, 14, 0, tzinfo=UTC).timestamp())
    assert f"<!date^{unix}^{{day_divider_pretty}}, {{time}}|" in body
    assert "<@U0BOOKER1>" in body
    assert t.t("card.title", page="Demo call", guest="Ana Lima") in body
    assert t.format_duration(30) in body
    assert "Demo call" in text and "Ana Lima" in text and "<@U0BOOKER1>" in text


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Sandbox meeting"), ("pt", "Reunião de teste"), ("es", "Reunión de prueba")],
)
def test_a_sandbox_card_says_it_is_not_in_hubspot(
    catalog: Catalog, language: str, words: str
) -> None:
    t = catalog.for_language(language)
    _, real = booking_card(sample_card(), t)
    _, sandbox = booking_card(sample_card(sandbox=True), t)
    assert_valid_message(sandbox)
    assert words not in "\n".join(all_texts(real))
    [line] = [text for text in all_texts(sandbox) if words in text]
    assert "HubSpot" in line


def test_card_fallback_shows_the_time_in_the_bookers_zone(t: Translator) -> None:
    _, blocks = booking_card(sample_card(), t)
    body = "\n".join(all_texts(blocks))
    assert "|Thu, Dec 3 · 9:00 AM>" in body
    assert "|9:30 AM, New York (UTC−5)>" in body


def test_offline_booking_shows_location_and_no_button(t: Translator) -> None:
    card = sample_card(web_conference_url=None, location="Rua Augusta 100 <São Paulo>")
    _, blocks = booking_card(card, t)
    assert_valid_message(blocks)
    assert buttons_of(blocks) == []
    assert "*Location:* Rua Augusta 100 &lt;São Paulo&gt;" in "\n".join(all_texts(blocks))


@pytest.mark.parametrize(
    "url",
    ["http://meet.example.com/x", "javascript:alert(1)", "https://", "ftp://x.y/z", "", None],
)
def test_non_https_join_urls_get_no_button(t: Translator, url: str | None) -> None:
    _, blocks = booking_card(sample_card(web_conference_url=url, location=None), t)
    assert_valid_message(blocks)
    assert buttons_of(blocks) == []


def test_guest_named_channel_pings_nobody_and_cannot_forge_links(t: Translator) -> None:
    card = sample_card(
        guest_name=NASTY, guest_email="<mailto:x@evil.example|boss@acme.com>", page_name=NASTY
    )
    text, blocks = booking_card(card, t)
    assert_valid_message(blocks)
    for rendered in [text, *all_texts(blocks)]:
        assert "<!channel>" not in rendered
        assert "<https://evil" not in rendered
        assert "<mailto:" not in rendered
        assert "<@U0ADMIN>" not in rendered
    assert "&lt;!channel&gt;" in text


def test_a_bad_booker_id_is_shown_escaped_not_as_a_mention(t: Translator) -> None:
    _, blocks = booking_card(sample_card(booked_by_user_id="!channel>"), t)
    assert "<!channel>" not in json.dumps(blocks)


# --- help, list, home, plain text ------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_help_is_valid_and_shows_examples(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    blocks = help_message(t)
    assert_valid_message(blocks)
    assert "/book list" in json.dumps(blocks, ensure_ascii=False)


def test_ephemeral_text_is_escaped_and_split_under_the_section_limit() -> None:
    blocks = ephemeral_text_blocks((NASTY + " ") * 200)
    assert_valid_message(blocks)
    assert len(blocks) > 1
    for text in all_texts(blocks):
        assert len(text) <= 3000
        assert "<" not in text


@pytest.mark.parametrize("count", [0, 1, 200])
def test_home_view_is_valid_for_any_number_of_bookings(t: Translator, count: int) -> None:
    bookings = [sample_card(guest_name=f"Guest {i}") for i in range(count)]
    view = home_view(t, bookings)
    assert view["type"] == "home"
    assert_valid_view(view, expected_type="home")
    actions = [b["action_id"] for b in buttons_of(view["blocks"])]
    assert actions[0] == bk.HOME_BOOK_ACTION_ID
    if count == 0:
        assert t.t("list.empty") in list(all_texts(view))


def test_booking_list_caps_and_counts_the_rest(t: Translator) -> None:
    bookings = [sample_card(guest_name=f"Guest {i}") for i in range(30)]
    blocks = booking_list_blocks(t, bookings, limit=10)
    assert_valid_message(blocks)
    assert "…and 20 more." in list(all_texts(blocks))
    offline = booking_list_blocks(t, [sample_card(web_conference_url=None)])
    assert buttons_of(offline) == []


# --- escaping and truncation -----------------------------------------------------------------
def test_escape_mrkdwn_follows_slacks_rules() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


@given(st.text())
def test_escaped_text_has_no_control_characters_and_round_trips(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    unescaped = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == text


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    cut = bk.truncate(text, limit)
    assert len(cut) <= limit
    assert cut == text or cut.endswith("…")


@given(st.text(alphabet="ab<>&; ", max_size=300), st.integers(min_value=2, max_value=100))
def test_truncating_escaped_text_never_leaves_half_an_entity(text: str, limit: int) -> None:
    cut = bk.truncate_mrkdwn(escape_mrkdwn(text), limit)
    assert len(cut) <= limit
    body = cut.removesuffix("…")
    assert re.search(r"&(?!(amp|lt|gt);)", body) is None


# --- add to calendar, reminder, the shortcut's modal -----------------------------------------
KEY = "V0ABCDEF:" + "3f" * 32


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_offers_add_to_calendar_with_the_booking_key(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    for card in (
        sample_card(booking_key=KEY),
        sample_card(booking_key=KEY, web_conference_url=None),
    ):
        _, blocks = booking_card(card, t)
        assert_valid_message(blocks)
        calendar = {b["action_id"]: b for b in buttons_of(blocks)}["add_to_calendar"]
        assert calendar["value"] == KEY
        assert calendar["text"]["text"] == t.t("card.add_to_calendar")
        assert "ana@acme.com" not in calendar["value"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_has_the_join_button_and_the_time_for_every_viewer(
    catalog: Catalog, language: str
) -> None:
    t = catalog.for_language(language)
    text, blocks = bk.reminder_message(sample_card(booking_key=KEY), t, minutes=10)
    assert_valid_message(blocks)
    [join] = buttons_of(blocks)
    assert join["action_id"] == "join_meeting"
    assert join["url"] == "https://meet.example.com/abc-defg"
    body = "\n".join(all_texts(blocks))
    unix = int(datetime(2026, 12, 3, 14, 0, tzinfo=UTC).timestamp())
    assert f"<!date^{unix}^" in body and "<@U0BOOKER1>" in body and "Demo call" in body
    assert "10" in text and "Ana Lima" in text


@pytest.mark.parametrize(
    "url", ["http://meet.example.com/x", "javascript:alert(1)", "https://", None]
)
def test_reminder_without_an_https_url_has_no_button(t: Translator, url: str | None) -> None:
    card = sample_card(web_conference_url=url, location="Rua Augusta 100")
    _, blocks = bk.reminder_message(card, t, minutes=10)
    assert_valid_message(blocks)
    assert buttons_of(blocks) == []
    assert "Rua Augusta 100" in "\n".join(all_texts(blocks))


def test_reminder_escapes_typed_names(t: Translator) -> None:
    card = sample_card(guest_name=NASTY, page_name=NASTY, guest_email="a&b@acme.com")
    text, blocks = bk.reminder_message(card, t, minutes=10)
    assert_valid_message(blocks)
    for rendered in [text, *all_texts(blocks)]:
        assert "<!channel>" not in rendered and "<https://evil" not in rendered
        assert "<@U0ADMIN>" not in rendered
    assert "&lt;!channel&gt; &amp;" in text


def test_a_modal_from_a_thread_says_where_the_card_goes_instead_of_asking(
    t: Translator,
) -> None:
    view = booking_modal(full_state(thread_channel="C0THREAD"), t, private_metadata="{}")
    assert_valid_view(view)
    assert "post_to" not in {b["element"]["action_id"] for b in view["blocks"] if "element" in b}
    assert "<#C0THREAD>" in "\n".join(all_texts(view["blocks"]))
