"""Every message exists in every language, and dates read naturally in each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.i18n import Catalog, Translator, language_for_locale, placeholders

MODAL_TITLE_KEYS = (
    "modal.title",
    "modal.submit",
    "modal.close",
    "error.title",
    "error.outcome_unknown_title",
    "progress.title",
    "result.title",
    "result.close",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_all_three_catalogs_have_exactly_the_same_keys(catalog: Catalog) -> None:
    assert set(catalog.languages) == {"en", "pt", "es"}
    english = set(catalog.messages_by_language["en"])
    for language in ("pt", "es"):
        keys = set(catalog.messages_by_language[language])
        assert keys - english == set(), f"{language} has keys English lacks"
        assert english - keys == set(), f"{language} lacks keys"


def test_every_message_has_the_same_placeholders_in_every_language(catalog: Catalog) -> None:
    english = catalog.messages_by_language["en"]
    for language in ("pt", "es"):
        other = catalog.messages_by_language[language]
        mismatched = {
            key: (sorted(placeholders(english[key])), sorted(placeholders(other[key])))
            for key in english
            if placeholders(english[key]) != placeholders(other[key])
        }
        assert mismatched == {}, f"{language}: {mismatched}"


def test_no_message_is_blank(catalog: Catalog) -> None:
    for language, messages in catalog.messages_by_language.items():
        blank = [key for key, text in messages.items() if not text.strip()]
        assert blank == [], f"{language}: {blank}"


@pytest.mark.parametrize("key", MODAL_TITLE_KEYS)
def test_modal_titles_and_buttons_fit_slacks_24_characters(catalog: Catalog, key: str) -> None:
    for language in catalog.languages:
        text = catalog.for_language(language).t(key)
        assert 1 <= len(text) <= 24, f"{language} {key!r} = {text!r}"


def test_keys_the_product_needs_exist(catalog: Catalog) -> None:
    needed = {
        "error.time.empty",
        "error.time.unparseable",
        "error.time.past",
        "error.time.date_only",
        "error.email.invalid",
        "error.required",
        "error.consent_required",
        "error.slot_taken",
        "error.hubspot.auth",
        "error.hubspot.scope",
        "error.hubspot.page_not_found",
        "error.hubspot.validation",
        "error.hubspot.rate_limited",
        "error.hubspot.server_error",
        "error.hubspot.unreachable",
        "error.hubspot.outcome_unknown",
        "progress.title",
        "result.title",
        "card.join",
        "card.booked_by",
        "dm.could_not_post",
        "help.examples",
        "list.empty",
        "home.upcoming",
        "action.back_to_form",
    }
    assert needed - set(catalog.messages_by_language["en"]) == set()


def test_outcome_unknown_is_honest_in_every_language(catalog: Catalog) -> None:
    english = catalog.for_language("en").t("error.hubspot.outcome_unknown")
    assert "did not confirm" in english
    assert "before booking again" in english
    assert "Nothing was booked" not in english


@pytest.mark.parametrize(
    ("slack_locale", "language", "locale"),
    [
        ("pt-BR", "pt", "pt-BR"),
        ("pt-PT", "pt", "pt-BR"),
        ("pt", "pt", "pt-BR"),
        ("es-ES", "es", "es-ES"),
        ("es-LA", "es", "es-ES"),
        ("en-GB", "en", "en-US"),
        ("fr-FR", "en", "en-US"),
        ("", "en", "en-US"),
        (None, "en", "en-US"),
    ],
)
def test_slack_locale_picks_the_language(
    catalog: Catalog, slack_locale: str | None, language: str, locale: str
) -> None:
    translator = catalog.for_locale(slack_locale)
    assert (translator.language, translator.locale) == (language, locale)
    assert language_for_locale(slack_locale) == language


def test_messages_are_translated(catalog: Catalog) -> None:
    assert catalog.for_locale("en-US").t("modal.title") == "Book a meeting"
    assert catalog.for_locale("pt-BR").t("modal.title") == "Agendar reunião"
    assert catalog.for_locale("es-ES").t("modal.title") == "Reservar reunión"


def test_params_are_filled_and_missing_ones_or_keys_raise(catalog: Catalog) -> None:
    english = catalog.for_language("en")
    assert english.t("card.booked_by", user="<@U1>") == "Booked by <@U1>"
    with pytest.raises(KeyError):
        english.t("no.such.key")
    with pytest.raises(KeyError):
        english.t("card.booked_by")


def _span(tz: str, hour: int, minutes: int = 30) -> tuple[datetime, datetime]:
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 3, hour, 0, tzinfo=ZoneInfo(tz))
    return start.astimezone(UTC), (start + timedelta(minutes=minutes)).astimezone(UTC)


def test_format_when_in_each_language(catalog: Catalog) -> None:
    start, end = _span("America/New_York", 9)
    assert (
        catalog.for_language("en").format_when(start, end, "America/New_York")
        == "Thu, Dec 3 · 9:00–9:30 AM, New York (UTC−5)"
    )
    start, end = _span("America/Sao_Paulo", 9)
    assert (
        catalog.for_language("pt").format_when(start, end, "America/Sao_Paulo")
        == "qui., 3 de dez. · 09:00–09:30, São Paulo (UTC−3)"
    )
    start, end = _span("Europe/Madrid", 9)
    assert (
        catalog.for_language("es").format_when(start, end, "Europe/Madrid")
        == "jue, 3 dic · 09:00–09:30, Madrid (UTC+1)"
    )


def test_format_when_across_noon_midnight_and_years(catalog: Catalog) -> None:
    english: Translator = catalog.for_language("en")
    start, end = _span("America/New_York", 11, minutes=75)
    assert english.format_when(start, end, "America/New_York") == (
        "Thu, Dec 3 · 11:00 AM–12:15 PM, New York (UTC−5)"
    )
    start, end = _span("America/New_York", 23, minutes=60)
    assert english.format_when(start, end, "America/New_York") == (
        "Thu, Dec 3 · 11:00 PM – Fri, Dec 4 · 12:00 AM, New York (UTC−5)"
    )
    now = datetime(2025, 12, 1, tzinfo=UTC)
    assert "2026" in english.format_when(start, end, "America/New_York", now=now)
    assert "2026" not in english.format_when(start, end, "America/New_York", now=start)


def test_the_same_instant_reads_in_the_chosen_zone(catalog: Catalog) -> None:
    start = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    english = catalog.for_language("en")
    assert english.format_time(start, "America/New_York") == "9:00 AM"
    assert english.format_time(start, "Asia/Tokyo") == "11:00 PM"
    assert catalog.for_language("pt").format_time(start, "America/Sao_Paulo") == "11:00"
    assert english.format_slot(start, "UTC") == "Thu, Dec 3 · 2:00 PM"


def test_format_day_with_year(catalog: Catalog) -> None:
    day = date(2027, 1, 4)
    assert catalog.for_language("en").format_day(day, with_year=True) == "Mon, Jan 4, 2027"
    assert catalog.for_language("pt").format_day(day, with_year=True) == "seg., 4 de jan. de 2027"
    assert catalog.for_language("es").format_day(day) == "lun, 4 ene"


@pytest.mark.parametrize(
    ("minutes", "text"), [(15, "15 min"), (60, "1 h"), (90, "1 h 30 min"), (120, "2 h")]
)
def test_format_duration(catalog: Catalog, minutes: int, text: str) -> None:
    for language in catalog.languages:
        assert catalog.for_language(language).format_duration(minutes) == text
