"""What people in three languages notice first: zones named as they say them, names suggested
from the guest's email, a modal that does not contradict itself, a card that scans, and
buttons and notifications a screen reader can read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.blocks import (
    BookingCard,
    ConsentSpec,
    HubSpotPrompt,
    ModalState,
    PageOption,
    Preview,
    booking_card,
    booking_list_blocks,
    booking_modal,
    home_view,
    progress_modal,
    reminder_message,
    timezone_option_groups,
    with_hubspot_prompt,
)
from bot.guest_names import suggest_names
from bot.i18n import Catalog, language_for_locale
from bot.i18n.zones import utc_offset, zone_label

WINTER = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 3, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


# --- 1. time zones ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "language", "label"),
    [
        ("America/Sao_Paulo", "pt", "São Paulo (UTC−3)"),
        ("America/New_York", "pt", "Nova York (UTC−5)"),
        ("America/Mexico_City", "es", "Ciudad de México (UTC−6)"),
        ("America/New_York", "es", "Nueva York (UTC−5)"),
        ("America/New_York", "en", "New York (UTC−5)"),
        ("Asia/Kolkata", "en", "Kolkata (UTC+5:30)"),
        ("Asia/Kathmandu", "es", "Katmandú (UTC+5:45)"),
        ("UTC", "pt", "UTC"),
    ],
)
def test_zone_labels_come_from_cldr_in_the_persons_language(
    zone: str, language: str, label: str
) -> None:
    assert zone_label(zone, language, WINTER) == label


def test_offsets_follow_daylight_saving_on_the_date_in_question() -> None:
    assert zone_label("America/New_York", "pt", SUMMER) == "Nova York (UTC−4)"
    assert zone_label("America/New_York", "pt", WINTER) == "Nova York (UTC−5)"
    assert utc_offset("Europe/Madrid", SUMMER) == "UTC+2"
    assert utc_offset("Europe/Madrid", WINTER) == "UTC+1"
    # Southern hemisphere: Santiago is on summer time in December.
    assert utc_offset("America/Santiago", WINTER) == "UTC−3"
    assert utc_offset("America/Santiago", SUMMER) == "UTC−4"
    # The change itself: New York leaves DST at 06:00 UTC on Nov 1, 2026.
    assert utc_offset("America/New_York", datetime(2026, 11, 1, 5, 59, tzinfo=UTC)) == "UTC−4"
    assert utc_offset("America/New_York", datetime(2026, 11, 1, 6, 0, tzinfo=UTC)) == "UTC−5"


def test_a_meeting_in_july_reads_with_julys_offset(catalog: Catalog) -> None:
    end = SUMMER.replace(hour=16)
    assert (
        catalog.for_language("en")
        .format_when(SUMMER, end, "America/New_York")
        .endswith("New York (UTC−4)")
    )


@pytest.mark.parametrize(
    ("language", "yours", "other"),
    [
        ("pt", "São Paulo (UTC−3)", "Nova York (UTC−5)"),
        ("es", "São Paulo (UTC−3)", "Ciudad de México (UTC−6)"),
        ("en", "São Paulo (UTC−3)", "New York (UTC−5)"),
    ],
)
def test_the_zone_select_is_localized_with_the_persons_zone_first(
    catalog: Catalog, language: str, yours: str, other: str
) -> None:
    t = catalog.for_language(language)
    groups = timezone_option_groups(t, "America/Sao_Paulo", WINTER)
    first = groups[0]["options"][0]
    assert (first["text"]["text"], first["value"]) == (yours, "America/Sao_Paulo")
    labels = [o["text"]["text"] for g in groups for o in g["options"]]
    assert other in labels
    assert not any("/" in label or "_" in label for label in labels)
    values = [o["value"] for g in groups for o in g["options"]]
    assert "America/New_York" in values  # values stay IANA ids


def test_zones_in_each_region_go_west_to_east_on_the_meetings_date(catalog: Catalog) -> None:
    t = catalog.for_language("en")
    for moment in (WINTER, SUMMER):
        for group in timezone_option_groups(t, "UTC", moment)[1:]:
            zones = [option["value"] for option in group["options"]]
            offsets = [moment.astimezone(ZoneInfo(zone)).utcoffset() for zone in zones]
            assert offsets == sorted(offsets), group["label"]
    # Santiago is on summer time in December (UTC−3, with São Paulo), not in July (UTC−4).
    americas = timezone_option_groups(t, "UTC", WINTER)[1]["options"]
    labels = [option["text"]["text"] for option in americas]
    assert labels[0] == "Honolulu (UTC−10)"
    assert "Santiago (UTC−3)" in labels and labels.index("Santiago (UTC−3)") > labels.index(
        "Caracas (UTC−4)"
    )


def test_the_zone_select_shows_the_offsets_of_the_meetings_date(catalog: Catalog) -> None:
    t = catalog.for_language("en")
    state = ModalState(timezone="America/New_York", zone_moment=SUMMER)
    view = booking_modal(state, t, private_metadata="")
    zone = next(b for b in view["blocks"] if b.get("block_id") == "timezone")
    assert zone["element"]["initial_option"]["text"]["text"] == "New York (UTC−4)"


@pytest.mark.parametrize("slack_locale", ["es-419", "es-LA", "es-MX", "es-ES"])
def test_every_spanish_locale_gets_the_neutral_catalog(slack_locale: str) -> None:
    assert language_for_locale(slack_locale) == "es"


# --- 4. names from the email -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("email", "names"),
    [
        ("ana.souza@acme.com", ("Ana", "Souza")),
        ("ANA.SOUZA@acme.com", ("Ana", "Souza")),
        ("john_smith+news@acme.com", ("John", "Smith")),
        ("maria.da.silva@acme.com.br", ("Maria", "da Silva")),
        ("juan.de.la.cruz@acme.mx", ("Juan", "de la Cruz")),
        ("jean-pierre.dupont@acme.fr", ("Jean-Pierre", "Dupont")),
        ("ana.s@acme.com", ("Ana", "")),
        # Nothing guessed where a guess would likely be wrong.
        ("asouza@acme.com", ("", "")),
        ("ana@acme.com", ("", "")),
        ("a.souza@acme.com", ("", "")),
        ("sales@acme.com", ("", "")),
        ("info.brasil@acme.com", ("", "")),
        ("ana123@acme.com", ("", "")),
        ("not an email", ("", "")),
        ("", ("", "")),
    ],
)
def test_guest_names_are_suggested_from_the_email(email: str, names: tuple[str, str]) -> None:
    assert suggest_names(email) == names


def test_spanish_asks_for_apellidos(catalog: Catalog) -> None:
    view = booking_modal(ModalState(), catalog.for_language("es"), private_metadata="")
    last = next(b for b in view["blocks"] if b.get("block_id") == "guest_last_name")
    assert "Apellidos" in last["label"]["text"]


# --- 9. a quieter modal ----------------------------------------------------------------------
def _consent_block(view: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == "form_field:legal_consent")


@pytest.mark.parametrize("language", ["en", "pt", "es"])
def test_consent_is_required_when_the_page_requires_a_box(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    required = ConsentSpec(text="We store your data.", checkbox_label="I agree", communication=())
    view = booking_modal(ModalState(consent=required), t, private_metadata="")
    assert _consent_block(view)["optional"] is False
    optional = ConsentSpec(
        text="News?", checkbox_label="", communication=(("1", "Marketing emails", False),)
    )
    view = booking_modal(ModalState(consent=optional), t, private_metadata="")
    assert _consent_block(view)["optional"] is True


def test_modal_order_and_no_repeated_helper_lines(catalog: Catalog) -> None:
    t = catalog.for_language("en")
    view = booking_modal(ModalState(page=PageOption("demo", "Demo")), t, private_metadata="")
    order = [b.get("block_id") for b in view["blocks"]]
    # Time zone below the guest fields; no empty preview repeating the When hint.
    assert order.index("guest_last_name") < order.index("timezone")
    assert "when_preview" not in order
    page = next(b for b in view["blocks"] if b.get("block_id") == "meeting_page")
    assert "hint" not in page  # "type to search" states the obvious


@pytest.mark.parametrize(
    ("language", "close"), [("en", "Close"), ("pt", "Fechar"), ("es", "Cerrar")]
)
def test_the_booking_view_offers_close_not_done(
    catalog: Catalog, language: str, close: str
) -> None:
    assert progress_modal(catalog.for_language(language), "Demo")["close"]["text"] == close


# --- 10. accessibility -----------------------------------------------------------------------
def test_the_preview_is_a_section_that_starts_with_the_verdict(catalog: Catalog) -> None:
    t = catalog.for_language("pt")
    text = t.t("preview.free", when="sex., 4 de dez. · 10:00–10:30, São Paulo (UTC−3)")
    view = booking_modal(ModalState(preview=Preview("ok", text)), t, private_metadata="")
    preview = next(b for b in view["blocks"] if b.get("block_id") == "when_preview")
    assert preview["type"] == "section"
    assert preview["text"]["text"].startswith("*Livre:*")


def _card(**overrides: Any) -> BookingCard:
    values: dict[str, Any] = {
        "page_name": "Product Demo",
        "start_utc": WINTER,
        "duration_minutes": 30,
        "guest_name": "Ana Souza",
        "guest_email": "ana.souza@acme.com",
        "booked_by_user_id": "U0DANA",
        "web_conference_url": "https://meet.example.com/x",
        "location": None,
        "timezone_for_fallback": "America/New_York",
        "booking_key": "V1:k",
    }
    values.update(overrides)
    return BookingCard(**values)


@pytest.mark.parametrize(
    ("language", "title", "join"),
    [
        ("en", "*Product Demo with Ana Souza*", "Join"),
        ("pt", "*Product Demo com Ana Souza*", "Entrar na reunião"),
        ("es", "*Product Demo con Ana Souza*", "Unirse a la reunión"),
    ],
)
def test_the_card_leads_with_meeting_and_guest_then_when_then_buttons(
    catalog: Catalog, language: str, title: str, join: str
) -> None:
    t = catalog.for_language(language)
    _, blocks = booking_card(_card(), t, show_guest_email=False)
    assert [b["type"] for b in blocks] == ["section", "actions", "context"]
    lines = blocks[0]["text"]["text"].split("\n")
    assert lines[0] == title
    # Weekday, date, time range and duration on one line.
    assert "{day_divider_pretty}" in lines[1] and lines[1].endswith("· 30 min")
    assert len(lines) == 2
    assert blocks[1]["elements"][0]["text"]["text"] == join
    assert "U0DANA" in blocks[2]["elements"][0]["text"]


def test_channel_cards_leave_the_guest_email_out_unless_configured(catalog: Catalog) -> None:
    t = catalog.for_language("en")
    text, blocks = booking_card(_card(), t, show_guest_email=False)
    assert "ana.souza@acme.com" not in str(blocks) + text
    _, blocks = booking_card(_card(), t, show_guest_email=True)
    assert "ana.souza@acme.com" in str(blocks)
    text, blocks = reminder_message(_card(), t, minutes=10)
    assert "ana.souza@acme.com" not in str(blocks) + text
    # A guest without a name is not named by their email in the channel either.
    nameless = _card(guest_name="")
    for text, blocks in (
        booking_card(nameless, t, show_guest_email=False),
        reminder_message(nameless, t, minutes=10),
    ):
        assert "ana.souza@acme.com" not in str(blocks) + text
        assert "*Product Demo*" in str(blocks)


def test_notification_text_is_a_sentence(catalog: Catalog) -> None:
    text, _ = booking_card(_card(), catalog.for_language("en"))
    assert text == (
        "Product Demo with Ana Souza — Fri, Dec 4 · 10:00–10:30 AM, New York (UTC−5). "
        "Booked by <@U0DANA>."
    )
    text, _ = booking_card(_card(), catalog.for_language("pt"))
    assert text == (
        "Product Demo com Ana Souza — sex., 4 de dez. · 10:00–10:30, Nova York (UTC−5). "
        "Agendada por <@U0DANA>."
    )


@pytest.mark.parametrize("language", ["en", "pt", "es"])
def test_repeated_join_buttons_name_their_meeting(catalog: Catalog, language: str) -> None:
    t = catalog.for_language(language)
    cards = [_card(), _card(guest_name="Bo Lee", page_name="Sales Intro")]
    blocks = booking_list_blocks(t, cards)
    joins = [b["accessory"] for b in blocks if "accessory" in b]
    labels = [button["accessibility_label"] for button in joins]
    assert len(set(labels)) == 2
    assert "Ana Souza" in labels[0] and "Bo Lee" in labels[1]
    assert all(len(label) <= 75 for label in labels)
    home = home_view(t, cards)
    assert [
        b["accessory"]["accessibility_label"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == "join_meeting"
    ] == labels


def _primaries(view: dict[str, Any]) -> list[str]:
    found = []
    for block in view["blocks"]:
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("style") == "primary":
                found.append(element["action_id"])
    return found


def test_app_home_has_one_primary_button(catalog: Catalog) -> None:
    t = catalog.for_language("en")
    assert _primaries(home_view(t, [])) == ["open_booking_modal"]
    prompt = HubSpotPrompt(url="https://booker.example.com/hubspot/connect?x=1")
    disconnected = with_hubspot_prompt(home_view(t, [], can_book=False), t, prompt)
    assert _primaries(disconnected) == ["hubspot_connect"]


def test_the_select_changes_offset_at_the_very_minute_dst_ends(catalog: Catalog) -> None:
    t = catalog.for_language("pt")
    before = dict(t.zone_options(("America/New_York",), datetime(2026, 11, 1, 5, 59, tzinfo=UTC)))
    after = dict(t.zone_options(("America/New_York",), datetime(2026, 11, 1, 6, 0, tzinfo=UTC)))
    assert before == {"America/New_York": "Nova York (UTC−4)"}
    assert after == {"America/New_York": "Nova York (UTC−5)"}
